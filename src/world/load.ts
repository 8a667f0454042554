// Read and check a world file. A bad world is refused with `FILE: path.to.field: reason`;
// zone record syntax is checked when the DNS server compiles the zones (same message form).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isIP } from 'node:net';
import { WorldError } from './errors.js';
import { FAULTS, type World } from './types.js';

export interface LoadedWorld {
  world: World;
  file: string;
  /** Directory that bodyFile paths are relative to. */
  baseDir: string;
}

export function loadWorld(file: string): LoadedWorld {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new WorldError(file, '(file)', (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new WorldError(file, '(root)', `invalid JSON: ${(e as Error).message}`);
  }
  const baseDir = path.dirname(path.resolve(file));
  validateWorld(data, file, baseDir);
  return { world: data, file, baseDir };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateWorld(data: unknown, file: string, baseDir: string): asserts data is World {
  const fail = (field: string, reason: string): never => {
    throw new WorldError(file, field, reason);
  };
  if (!isObj(data)) fail('(root)', 'a world is a JSON object');
  const w = data as Obj;
  if (w.world !== 1) fail('world', `must be 1 (this version reads World format 1), got ${JSON.stringify(w.world)}`);
  if (w.description !== undefined && typeof w.description !== 'string') fail('description', 'must be a string');
  if (w.domains !== undefined) {
    if (!Array.isArray(w.domains)) fail('domains', 'must be an array of domain names');
    (w.domains as unknown[]).forEach((d, i) => typeof d === 'string' || fail(`domains[${i}]`, 'must be a string'));
  }
  if (w.latencyMs !== undefined && !(typeof w.latencyMs === 'number' && w.latencyMs >= 0 && w.latencyMs <= 60_000)) {
    fail('latencyMs', 'must be a number of milliseconds from 0 to 60000');
  }
  if (w.http2 !== undefined && typeof w.http2 !== 'boolean') fail('http2', 'must be true or false');
  validateAsns(w.asns, fail);
  const caIds = validateCas(w.cas, fail);
  validateZones(w.zones, fail);
  validateSites(w.sites, caIds, baseDir, fail);
  validateFaults(w.faults, fail);
}

type Fail = (field: string, reason: string) => never;

function validateAsns(asns: unknown, fail: Fail): void {
  if (asns === undefined) return;
  if (!Array.isArray(asns)) fail('asns', 'must be an array');
  (asns as unknown[]).forEach((a, i) => {
    const at = `asns[${i}]`;
    if (!isObj(a)) return fail(at, 'must be an object');
    if (!Number.isInteger(a.asn) || (a.asn as number) < 1 || (a.asn as number) > 4294967295) fail(`${at}.asn`, 'must be an AS number (1..4294967295)');
    if (typeof a.name !== 'string' || a.name === '') fail(`${at}.name`, 'must be a non-empty string');
    if (a.country !== undefined && !(typeof a.country === 'string' && /^[A-Z]{2}$/.test(a.country))) fail(`${at}.country`, 'must be an ISO 3166-1 alpha-2 code like "US"');
    if (!Array.isArray(a.prefixes)) return fail(`${at}.prefixes`, 'must be an array of CIDR prefixes');
    (a.prefixes as unknown[]).forEach((p, j) => {
      if (typeof p !== 'string' || !isCidr(p)) fail(`${at}.prefixes[${j}]`, `not a CIDR prefix: ${JSON.stringify(p)}`);
    });
  });
}

export function isCidr(s: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const family = isIP(m[1]!);
  const bits = Number(m[2]);
  return (family === 4 && bits <= 32) || (family === 6 && bits <= 128);
}

function validateCas(cas: unknown, fail: Fail): Set<string> {
  const ids = new Set<string>();
  if (cas === undefined) return ids;
  if (!Array.isArray(cas)) fail('cas', 'must be an array');
  const list = cas as unknown[];
  list.forEach((c, i) => {
    const at = `cas[${i}]`;
    if (!isObj(c)) return fail(at, 'must be an object');
    if (typeof c.id !== 'string' || c.id === '') fail(`${at}.id`, 'must be a non-empty string');
    if (ids.has(c.id as string)) fail(`${at}.id`, `duplicate CA id "${c.id as string}"`);
    ids.add(c.id as string);
    if (!isObj(c.subject) || Object.keys(c.subject).length === 0) fail(`${at}.subject`, 'must be an object of attributes, e.g. {"CN": "R3", "O": "Let\'s Encrypt"}');
    for (const [k, v] of Object.entries(c.subject as Obj)) if (typeof v !== 'string') fail(`${at}.subject.${k}`, 'must be a string');
    if (c.ski !== undefined && (typeof c.ski !== 'string' || !/^([0-9a-f]{2}){1,64}$/i.test(c.ski))) fail(`${at}.ski`, 'must be hex, 1 to 64 bytes');
  });
  const byId = new Map(list.map((c) => [(c as Obj).id as string, c as Obj]));
  list.forEach((c, i) => {
    const issuer = (c as Obj).issuer;
    if (issuer === undefined) return;
    if (typeof issuer !== 'string' || !ids.has(issuer)) fail(`cas[${i}].issuer`, `unknown CA "${String(issuer)}"`);
    // Walk up: a cycle would make certificate building loop forever.
    const seen = new Set<string>();
    let cur: Obj | undefined = c as Obj;
    while (cur && typeof cur.issuer === 'string') {
      if (seen.has(cur.id as string)) fail(`cas[${i}].issuer`, 'issuer chain loops');
      seen.add(cur.id as string);
      cur = byId.get(cur.issuer);
    }
  });
  return ids;
}

function validateZones(zones: unknown, fail: Fail): void {
  if (zones === undefined) return;
  if (!isObj(zones)) fail('zones', 'must be an object: zone name → array of records');
  for (const [zone, records] of Object.entries(zones as Obj)) {
    if (!/^[a-z0-9_.-]+\.?$/i.test(zone)) fail(`zones.${zone}`, 'not a zone name');
    if (!Array.isArray(records)) fail(`zones.${zone}`, 'must be an array of record strings');
    (records as unknown[]).forEach((r, i) => typeof r === 'string' || fail(`zones.${zone}[${i}]`, 'must be a string like "@ A 127.0.0.1"'));
  }
}

function validateHttp(h: unknown, at: string, baseDir: string, fail: Fail): void {
  if (h === undefined) return;
  if (!isObj(h)) return fail(at, 'must be an object');
  if (h.status !== undefined && !(Number.isInteger(h.status) && (h.status as number) >= 100 && (h.status as number) <= 599)) fail(`${at}.status`, 'must be an HTTP status (100..599)');
  if (h.headers !== undefined) {
    if (!isObj(h.headers)) fail(`${at}.headers`, 'must be an object of header name → value');
    for (const [k, v] of Object.entries(h.headers as Obj)) {
      const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
      if (!ok) fail(`${at}.headers.${k}`, 'must be a string or an array of strings');
    }
  }
  if (h.body !== undefined && typeof h.body !== 'string') fail(`${at}.body`, 'must be a string');
  if (h.bodyFile !== undefined) {
    if (typeof h.bodyFile !== 'string') fail(`${at}.bodyFile`, 'must be a path');
    if (!existsSync(path.resolve(baseDir, h.bodyFile as string))) fail(`${at}.bodyFile`, `no such file: ${h.bodyFile as string}`);
  }
}

function validateSites(sites: unknown, caIds: Set<string>, baseDir: string, fail: Fail): void {
  if (sites === undefined) return;
  if (!isObj(sites)) fail('sites', 'must be an object: host name → site');
  for (const [host, site] of Object.entries(sites as Obj)) {
    const at = `sites.${host}`;
    if (!isObj(site)) fail(at, 'must be an object');
    const s = site as Obj;
    if (s.tls !== undefined) {
      if (!isObj(s.tls)) fail(`${at}.tls`, 'must be an object');
      const tls = s.tls as Obj;
      if (typeof tls.ca !== 'string' || !caIds.has(tls.ca)) fail(`${at}.tls.ca`, `unknown CA "${String(tls.ca)}"`);
      if (tls.names !== undefined && !(Array.isArray(tls.names) && tls.names.every((n) => typeof n === 'string'))) fail(`${at}.tls.names`, 'must be an array of host names');
    }
    validateHttp(s.http, `${at}.http`, baseDir, fail);
    validateHttp(s.plainHttp, `${at}.plainHttp`, baseDir, fail);
  }
}

function validateFaults(faults: unknown, fail: Fail): void {
  if (faults === undefined) return;
  if (!isObj(faults)) fail('faults', 'must be an object: zone or host name → fault name');
  const known = new Set<string>(FAULTS);
  for (const [key, v] of Object.entries(faults as Obj)) {
    const names = Array.isArray(v) ? v : [v];
    for (const n of names) if (typeof n !== 'string' || !known.has(n)) fail(`faults.${key}`, `unknown fault ${JSON.stringify(n)}; known: ${FAULTS.join(', ')}`);
  }
}
