// classify: Observation → Result. Pure: no network, no clock; the same Observation (in any
// order of its arrays) gives the same Result, sorted, so month-to-month diffs are clean.
import type { Observation, ProbeError, Result, ResultStatus } from '../types.js';
import type { VendorDb } from '../vendors/load.js';
import { Attributions } from './attribute.js';
import { classifyCertificates } from './certificate.js';
import { classifyCaa, classifyDns, classifyMail, classifyMailExtras, classifyNetwork } from './infra.js';
import { signalsOf } from './signals.js';
import { classifyPage, classifyResponses } from './web.js';

export function classify(obs: Observation, db: VendorDb): Result {
  const s = signalsOf(obs);
  const m = db.matchers;
  const acc = new Attributions();
  classifyDns(obs, s, m, acc);
  classifyMail(obs, s, m, acc);
  classifyMailExtras(obs, m, acc);
  classifyNetwork(obs, s, m, acc);
  classifyCertificates(s, m, db.ccadb, acc);
  classifyCaa(obs, m, acc);
  classifyResponses(s, m, acc);
  classifyPage(s, m, acc);
  const result: Result = {
    domain: obs.domain,
    ...(obs.unicode !== undefined ? { unicode: obs.unicode } : {}),
    input: obs.input,
    status: statusOf(obs),
    services: acc.services(),
    errors: sortErrors(allErrors(obs)),
  };
  return result;
}

/** The scan's own errors plus each TLS and HTTP probe's, once each: a reader sees every failure in one list. */
export function allErrors(obs: Observation): ProbeError[] {
  const seen = new Set<string>();
  const out: ProbeError[] = [];
  for (const e of [...obs.errors, ...obs.tls.map((t) => t.error), ...obs.http.map((h) => h.error)]) {
    if (!e) continue;
    const key = `${e.stage}\u0000${e.code}\u0000${e.target ?? ''}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

/** ok: no errors; failed: errors and not one DNS answer; partial: errors but something usable. */
export function statusOf(obs: Observation): ResultStatus {
  if (allErrors(obs).length === 0) return 'ok';
  const d = obs.dns;
  const anyHost = Object.values(d.hosts).some((h) => h.a.length + h.aaaa.length + h.cname.length > 0);
  const anything = d.ns.length + d.mx.length + d.txt.length + d.dmarc.length + d.caa.length > 0 || d.soa !== null || anyHost;
  return anything ? 'partial' : 'failed';
}

function sortErrors(errors: ProbeError[]): ProbeError[] {
  const key = (e: ProbeError) => `${e.stage}\u0000${e.code}\u0000${e.target ?? ''}\u0000${e.message}`;
  return errors.map((e) => ({ ...e })).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
