// Relationships the company configured in DNS and on its network: NS, SOA, MX, SPF, TXT tokens,
// CNAMEs of its own host names, the ASNs of its addresses (certificates: ./certificate.ts).
import type { AsnInfo, Observation } from '../types.js';
import { caaIssuer, dmarcHits, dmarcTargets, registrableDomain, trimDots, type Matchers, type RuleHit } from '../vendors/match.js';
import type { Attributions } from './attribute.js';
import { clip, isOwnHost, type Signals } from './signals.js';

/** Confidence of findings that matched no vendor rule, or that rest on indirect evidence. */
const UNMATCHED = 0.6;
const SELF_HOSTED = 0.7;
/** Hosting behind a CDN: the network seen is the CDN's, the origin is hidden. */
const CDN_FRONTED_HOSTING = 0.55;

function asLabel(info: AsnInfo | undefined): string | null {
  if (!info || info.asn === null) return null;
  return info.asName ? `AS${info.asn} ${info.asName}` : `AS${info.asn}`;
}

function addressEvidence(ip: string, info: AsnInfo | undefined): string[] {
  const label = asLabel(info);
  if (!label) return [`no ASN known for ${ip}`];
  const out = [`${label} for ${ip}`];
  if (info?.country) out.push(`${label} registered in ${info.country}`);
  return out;
}

/**
 * The vendors an address's network belongs to: the rules naming its AS number; when none does,
 * the rules matching its organisation or AS name. Each hit comes with what it rests on: the name
 * rule and the company's home country (the AS's registration country is in addressEvidence), and
 * for a carrier, that the site merely sits in the carrier's address space.
 */
export function networkHits(m: Matchers, info: AsnInfo | undefined): { hit: RuleHit; evidence: string[] }[] {
  if (!info || info.asn === null) return [];
  const byNumber = m.asn(info.asn);
  const byName = byNumber.length === 0 && info.asName ? m.asorg(info.asName) : [];
  return [...byNumber, ...byName].map((hit) => {
    const evidence: string[] = [];
    const c = hit.vendor.company;
    if (hit.rule.kind === 'asorg') evidence.push(`AS${info.asn} organisation "${clip(info.asName ?? '', 80)}" is ${hit.vendor.name}'s (${c.name}, based in ${c.country})`);
    if ((hit.rule.kind === 'asn' || hit.rule.kind === 'asorg') && hit.rule.carrier) {
      evidence.push(`AS${info.asn} is a carrier network (${c.name}): the address is in its space; the site may be hosted by one of its customers`);
    }
    return { hit, evidence };
  });
}

/** NS or MX host under the company's own domain: attribute to the network its addresses live in. */
function selfHosted(obs: Observation, m: Matchers, acc: Attributions, category: 'dns' | 'email', host: string, evidence: string): void {
  const h = obs.dns.hosts[host];
  const ips = h ? [...h.a, ...h.aaaa] : [];
  const own = `${evidence} (self-hosted)`;
  if (ips.length === 0) {
    acc.add({ category, vendor: null, name: `self-hosted (${registrableDomain(host) ?? host})`, confidence: SELF_HOSTED, evidence: [own, `no address known for ${host}`], selfHosted: true });
    return;
  }
  for (const ip of ips) {
    const info = obs.addresses[ip];
    const hits = networkHits(m, info);
    const ev = [own, ...addressEvidence(ip, info)];
    if (hits.length === 0) acc.add({ category, vendor: null, name: asLabel(info) ?? `self-hosted (${registrableDomain(host) ?? host})`, confidence: SELF_HOSTED, evidence: ev, selfHosted: true });
    for (const { hit, evidence } of hits) acc.add({ category, vendor: hit.vendor, confidence: SELF_HOSTED, evidence: [...ev, ...evidence], selfHosted: true });
  }
}

export function classifyDns(obs: Observation, s: Signals, m: Matchers, acc: Attributions): void {
  for (const ns of s.ns) {
    const evidence = `NS ${ns}`;
    const hits = m.host('ns', ns);
    for (const hit of hits) acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [evidence] });
    if (hits.length > 0) continue;
    if (isOwnHost(ns, s.registrable)) selfHosted(obs, m, acc, 'dns', ns, evidence);
    else acc.add({ category: 'dns', vendor: null, name: registrableDomain(ns) ?? ns, confidence: UNMATCHED, evidence: [evidence] });
  }
  // SOA only confirms (lower confidence); an unmatched SOA adds nothing the NS did not say.
  if (s.soa) {
    for (const field of ['mname', 'rname'] as const) {
      for (const hit of m.host(field === 'mname' ? 'soa-mname' : 'soa-rname', s.soa[field])) {
        acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`SOA ${field} ${clip(s.soa[field])}`] });
      }
    }
  }
}

export function classifyMail(obs: Observation, s: Signals, m: Matchers, acc: Attributions): void {
  for (const mx of s.mx) {
    const host = trimDots(mx.exchange.toLowerCase());
    if (host === '') continue; // null MX (RFC 7505): no mail
    const evidence = `MX ${mx.preference} ${host}`;
    const hits = m.host('mx', host);
    for (const hit of hits) acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [evidence] });
    if (hits.length > 0) continue;
    if (isOwnHost(host, s.registrable)) selfHosted(obs, m, acc, 'email', host, evidence);
    else acc.add({ category: 'email', vendor: null, name: registrableDomain(host) ?? host, confidence: UNMATCHED, evidence: [evidence] });
  }
  for (const { mechanism, target } of s.spf) {
    const sep = mechanism === 'redirect' ? '=' : ':';
    for (const hit of m.host('spf', target)) {
      acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`SPF ${mechanism}${sep}${target}`] });
    }
  }
  for (const record of s.txt) {
    for (const hit of m.txt(record)) acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`TXT ${clip(record, 80)}`] });
  }
}

/** DKIM keys, autodiscover and DMARC report addresses: the mail platform behind a gateway, and report vendors. */
export function classifyMailExtras(obs: Observation, m: Matchers, acc: Attributions): void {
  for (const k of obs.dns.dkim ?? []) {
    const at = `DKIM ${k.selector}._domainkey`;
    const evidence = k.cname.length > 0 ? `${at} CNAME ${clip(k.cname.join(' → '))}` : `${at} TXT ${clip(k.txt[0] ?? '', 60)}`;
    for (const hit of m.dkim(k.selector, k.cname)) acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [evidence] });
  }
  const auto = obs.dns.autodiscover ?? [];
  for (const host of auto) {
    for (const hit of m.host('autodiscover', host)) acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`autodiscover CNAME ${clip(auto.join(' → '))}`] });
  }
  for (const { name, txt } of obs.dns.named ?? []) {
    for (const record of txt) {
      for (const hit of m.txt(record, name)) acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`TXT ${name} ${clip(record, 80)}`] });
    }
  }
  for (const record of obs.dns.dmarc) {
    for (const address of dmarcTargets(record)) {
      const { tag, target } = address;
      for (const hit of dmarcHits(m, address)) acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`DMARC ${tag} to ${clip(target)}`] });
    }
  }
}

/** CAA authorises CAs: weaker than the certificate served, and said so. */
export function classifyCaa(obs: Observation, m: Matchers, acc: Attributions): void {
  for (const r of obs.dns.caa) {
    if (r.tag !== 'issue' && r.tag !== 'issuewild') continue;
    const ca = caaIssuer(r.value);
    if (!ca) continue;
    for (const hit of m.host('caa', ca)) {
      acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`CAA ${r.flags} ${r.tag} "${clip(r.value, 80)}" (authorised by CAA, not the certificate served)`] });
    }
  }
}

export function classifyNetwork(obs: Observation, s: Signals, m: Matchers, acc: Attributions): void {
  for (const edge of s.cnames) {
    for (const hit of m.host('cname', edge.to)) {
      acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`${edge.from} CNAME ${edge.to}`], fallback: hit.rule.fallback === true, named: true });
    }
  }
  for (const { ip } of s.addresses) {
    const info = obs.addresses[ip];
    const hits = networkHits(m, info);
    if (hits.length === 0) {
      acc.add({ category: 'hosting', vendor: null, name: asLabel(info) ?? undefined, confidence: UNMATCHED, evidence: addressEvidence(ip, info) });
      continue;
    }
    for (const { hit, evidence: why } of hits) {
      const evidence = [...addressEvidence(ip, info), ...why];
      acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence });
      if (hit.category === 'cdn') {
        acc.add({ category: 'hosting', vendor: hit.vendor, confidence: Math.min(hit.confidence, CDN_FRONTED_HOSTING), evidence: [...evidence, `${ip} is a CDN edge: the origin is hidden`] });
      }
    }
  }
}
