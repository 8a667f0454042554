// Everything DNS tells about one domain (docs/contracts.md "Observation"): NS, SOA, MX, TXT, _dmarc,
// CAA, and the addresses and CNAME chains of the apex, www, and the MX and NS hosts.
import type { CaaRecord, DnsObservation, HostAddresses, HostRole, MxRecord, ProbeError, SoaRecord } from '../../types.js';
import { followChain, type ChainResult } from './chain.js';
import { DnsError } from './errors.js';
import { queryName, type DnsAnswer, type Resolver } from './resolver.js';
import { stringData, type Answer, type QueryType } from './wire.js';
import { gatherMailExtras, type ExtraNames } from './mail-extras.js';

/** Hosts looked up per role: a hostile zone may list hundreds of MX or NS names. */
const MAX_HOSTS_PER_ROLE = 8;
/** TXT records kept per name, and characters per record. */
const MAX_TXT = 64;
const MAX_TXT_CHARS = 4096;

const ROLE_ORDER: HostRole[] = ['apex', 'www', 'final', 'mx', 'ns'];

export interface GatherOptions {
  /** DKIM selectors and autodiscover for domains with MX (mail-extras.ts); default on. */
  extraDns?: boolean;
  /** The DKIM selectors and TXT service names to ask (the vendor rules' own); none: only autodiscover. */
  extraNames?: ExtraNames;
}

export async function gatherDns(name: string, r: Resolver, o: GatherOptions = {}): Promise<{ dns: DnsObservation; errors: ProbeError[] }> {
  let domain: string;
  try {
    domain = queryName(name); // punycode, lowercase, no trailing dot: the keys of `hosts`
  } catch (e) {
    return { dns: { ns: [], soa: null, mx: [], txt: [], dmarc: [], caa: [], hosts: {} }, errors: [toProbeError(e, name)] };
  }
  const errors: ProbeError[] = [];
  // NXDOMAIN of the domain shows up in every apex query; it is reported once, below.
  let apexNx = false;
  const ask = async (name: string, type: QueryType, quietNx: boolean): Promise<Answer[]> => {
    try {
      const a = await r.query(name, type);
      if (a.rcode === 'NXDOMAIN' && !quietNx) apexNx = true;
      return a.answers.filter((x) => x.type === type && x.name === a.name);
    } catch (e) {
      errors.push(toProbeError(e, `${name} ${type}`));
      return [];
    }
  };
  const dmarcName = `_dmarc.${domain}`;
  const [ns, soa, mx, txt, dmarc, caa, apex, www] = await Promise.all([
    ask(domain, 'NS', false),
    ask(domain, 'SOA', false),
    ask(domain, 'MX', false),
    ask(domain, 'TXT', false),
    ask(dmarcName, 'TXT', true),
    ask(domain, 'CAA', false),
    resolveHost(domain, r, ['apex']),
    resolveHost(`www.${domain}`, r, ['www']),
  ]);

  const dns: DnsObservation = {
    ns: uniqSorted(ns.map(stringData)),
    soa: soaOf(soa),
    mx: mxOf(mx),
    txt: txtOf(txt),
    dmarc: txtOf(dmarc),
    caa: caaOf(caa),
    hosts: {},
  };
  const hosts = new Map<string, HostAddresses>();
  const add = (name: string, h: HostAddresses, errs: ProbeError[]): void => {
    hosts.set(name, h);
    for (const e of errs) {
      if (e.code === 'DNS_NXDOMAIN') apexNx = true; // resolveHost reports NXDOMAIN for the apex only
      else errors.push(e);
    }
  };
  add(domain, apex.host, apex.errors);
  add(`www.${domain}`, www.host, www.errors);

  // MX and NS hosts: their addresses place self-hosted mail and DNS in a network.
  const mxHosts = uniqSorted(dns.mx.map((m) => m.exchange).filter((h) => h !== '')).slice(0, MAX_HOSTS_PER_ROLE);
  const nsHosts = dns.ns.slice(0, MAX_HOSTS_PER_ROLE);
  const roles = new Map<string, HostRole[]>();
  for (const h of mxHosts) roles.set(h, ['mx']);
  for (const h of nsHosts) roles.set(h, [...(roles.get(h) ?? []), 'ns']);
  const lookups: Promise<void>[] = [];
  for (const [name, rs] of roles) {
    const known = hosts.get(name);
    if (known) {
      known.roles = sortRoles([...known.roles, ...rs]);
      continue;
    }
    lookups.push(resolveHost(name, r, rs).then((x) => add(name, x.host, x.errors)));
  }
  // Every domain that exists: a domain that only sends mail (no MX) still signs it with DKIM.
  const extras = o.extraDns !== false && !apexNx ? gatherMailExtras(domain, r, o.extraNames ?? { selectors: [], names: [] }) : undefined;
  await Promise.all(lookups);
  if (extras) {
    const { dkim, autodiscover, named } = await extras;
    if (dkim.length > 0) dns.dkim = dkim;
    if (autodiscover.length > 0) dns.autodiscover = autodiscover;
    if (named.length > 0) dns.named = named;
  }

  if (apexNx) errors.push({ stage: 'dns', code: 'DNS_NXDOMAIN', message: `${domain} does not exist (NXDOMAIN)`, target: domain });
  for (const name of [...hosts.keys()].sort()) dns.hosts[name] = hosts.get(name)!;
  return { dns, errors: sortErrors(dedupeErrors(errors)) };
}

/**
 * A and AAAA of one host, with its CNAME chain. NXDOMAIN is an error only for the apex (a
 * missing www is common); NODATA is just an empty list.
 */
export async function resolveHost(host0: string, r: Resolver, roles: HostRole[]): Promise<{ host: HostAddresses; errors: ProbeError[] }> {
  let name: string;
  try {
    name = queryName(host0);
  } catch (e) {
    return { host: { roles: sortRoles(roles), cname: [], a: [], aaaa: [] }, errors: [toProbeError(e, host0)] };
  }
  const settle = (p: Promise<ChainResult>): Promise<ChainResult | DnsError | unknown> => p.catch((e: unknown) => e);
  const [a, aaaa] = await Promise.all([settle(followChain(r, name, 'A')), settle(followChain(r, name, 'AAAA'))]);
  const host: HostAddresses = { roles: sortRoles(roles), cname: [], a: [], aaaa: [] };
  const errors: ProbeError[] = [];
  const nx = (c: ChainResult): boolean => c.rcode === 'NXDOMAIN' && c.chain.length === 0;
  for (const [type, res] of [['A', a], ['AAAA', aaaa]] as const) {
    if (isChain(res)) {
      const addrs = uniqSorted(res.records.map(stringData));
      if (type === 'A') host.a = addrs;
      else host.aaaa = addrs;
      if (res.chain.length > host.cname.length) host.cname = res.chain;
    } else {
      errors.push(toProbeError(res, `${name} ${type}`));
    }
  }
  if (roles.includes('apex') && ((isChain(a) && nx(a)) || (isChain(aaaa) && nx(aaaa)))) {
    errors.push({ stage: 'dns', code: 'DNS_NXDOMAIN', message: `${name} does not exist (NXDOMAIN)`, target: name });
  }
  return { host, errors: sortErrors(dedupeErrors(errors)) };
}

function isChain(x: unknown): x is ChainResult {
  return typeof x === 'object' && x !== null && Array.isArray((x as ChainResult).chain);
}

/** Library or unexpected errors never leave as they are: each becomes a stable code. */
export function toProbeError(e: unknown, target: string): ProbeError {
  if (e instanceof DnsError) return { stage: 'dns', code: e.code, message: oneLine(e.message), target };
  return { stage: 'dns', code: 'DNS_MALFORMED', message: `unexpected failure asking ${target}`, target };
}

function oneLine(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').slice(0, 300);
}

function soaOf(records: Answer[]): SoaRecord | null {
  const s = records.find((x) => x.type === 'SOA');
  if (!s || s.type !== 'SOA') return null;
  return { mname: s.data.mname, rname: s.data.rname, serial: s.data.serial ?? 0 };
}

function mxOf(records: Answer[]): MxRecord[] {
  const out: MxRecord[] = [];
  const seen = new Set<string>();
  for (const x of records) {
    if (x.type !== 'MX') continue;
    const m = { preference: x.data.preference ?? 0, exchange: x.data.exchange === '.' ? '' : x.data.exchange };
    const key = `${m.preference} ${m.exchange}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out.sort((a, b) => a.preference - b.preference || cmp(a.exchange, b.exchange));
}

export function txtOf(records: Answer[]): string[] {
  const out: string[] = [];
  for (const x of records) {
    if (x.type !== 'TXT') continue;
    const chunks = Array.isArray(x.data) ? x.data : [x.data];
    out.push(chunks.map((c) => (typeof c === 'string' ? c : c.toString('utf8'))).join('').slice(0, MAX_TXT_CHARS));
    if (out.length >= MAX_TXT) break;
  }
  return uniqSorted(out);
}

function caaOf(records: Answer[]): CaaRecord[] {
  const out: CaaRecord[] = [];
  for (const x of records) {
    if (x.type !== 'CAA') continue;
    out.push({ flags: x.data.flags ?? (x.data.issuerCritical ? 128 : 0), tag: String(x.data.tag), value: String(x.data.value) });
  }
  return out.sort((a, b) => a.flags - b.flags || cmp(a.tag, b.tag) || cmp(a.value, b.value));
}

function uniqSorted(xs: string[]): string[] {
  return [...new Set(xs)].sort(cmp);
}

function sortRoles(rs: HostRole[]): HostRole[] {
  return [...new Set(rs)].sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));
}

function dedupeErrors(es: ProbeError[]): ProbeError[] {
  const seen = new Set<string>();
  return es.filter((e) => {
    const k = `${e.code} ${e.target}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sortErrors(es: ProbeError[]): ProbeError[] {
  return es.sort((a, b) => cmp(a.target ?? '', b.target ?? '') || cmp(a.code, b.code));
}

/** Code-point order, not locale order: output must not depend on the machine's locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type { DnsAnswer };
