// The real probes, built once per scan from the options: one resolver, one ASN source, shared
// trust roots. Everything per domain goes through these.
import { readFileSync } from 'node:fs';
import pLimit from 'p-limit';
import { Resolver, parseUpstream, systemUpstreams, type Upstream } from './dns/resolver.js';
import { gatherDns, resolveHost, txtOf } from './dns/gather.js';
import type { ExtraNames } from './dns/mail-extras.js';
import { openAsnSource, type AsnSource } from './asn/index.js';
import { ChainCache, probeTls, probeTlsKeep } from './tls.js';
import { probeHttp, DEFAULT_USER_AGENT, type FirstHop, type HttpProbeOptions } from './http.js';
import type { ErrorCode, TlsObservation } from '../types.js';
import type { Probes } from './domain.js';

export interface ProbeSettings {
  resolvers?: string[];
  dnsTimeoutMs: number;
  dnsRetries: number;
  dnsRate?: number;
  asnSource: 'db' | 'cymru';
  asnDb?: string;
  httpsPort: number;
  httpPort: number;
  /** Extra trusted roots, PEM text. */
  caPem?: string[];
  allowPrivate: boolean;
  httpTimeoutMs: number;
  maxBody: number;
  /** TCP connections open at once across the scan (a TLS or HTTP probe holds one at a time). */
  maxSockets?: number;
  userAgent?: string;
  saveBody?: boolean;
  /** DKIM default selectors and autodiscover for every existing domain (≤ 12 queries); default on. */
  extraDns?: boolean;
  /** DKIM selectors and TXT service names to ask: those the vendor database's rules name. */
  extraNames?: ExtraNames;
}

export interface ProbeSet {
  probes: Probes;
  asn: AsnSource;
  resolver: Resolver;
  close(): Promise<void>;
}

/** TLS probe failures an HTTPS request to the same address would only repeat. */
const CONNECTING = new Set<ErrorCode>(['TCP_TIMEOUT', 'TCP_REFUSED', 'NET_UNREACHABLE', 'TCP_RESET', 'TLS_HANDSHAKE']);

export function upstreamsFrom(list: string[] | undefined): Upstream[] {
  if (list && list.length) return list.map(parseUpstream);
  return systemUpstreams();
}

export async function openProbes(s: ProbeSettings): Promise<ProbeSet> {
  const resolver = new Resolver({
    upstreams: upstreamsFrom(s.resolvers),
    timeoutMs: s.dnsTimeoutMs,
    retries: s.dnsRetries,
    ratePerSecond: s.dnsRate,
  });
  // Team Cymru is asked through the scan's own resolver (and so through a world's DNS).
  const txt = { txt: async (name: string) => txtOf((await resolver.query(name, 'TXT')).answers) };
  const asn = await openAsnSource(s.asnDb ? { kind: 'file', file: s.asnDb } : s.asnSource === 'cymru' ? { kind: 'cymru', resolver: txt } : { kind: 'db' });
  const ca = s.caPem;
  const resolve = async (host: string): Promise<string[]> => {
    const r = await resolveHost(host, resolver, ['final']);
    return [...r.host.a, ...r.host.aaaa];
  };
  // Each TLS probe, and each HTTP probe (its redirect hops are sequential), holds one socket at a
  // time, so one slot per probe call caps open connections for the whole scan.
  const sockets = pLimit(s.maxSockets ?? 512);
  const tlsOptions = { port: s.httpsPort, ca, timeoutMs: s.httpTimeoutMs, allowPrivate: s.allowPrivate, chains: new ChainCache() };
  const httpOptions: HttpProbeOptions = {
    resolve,
    httpsPort: s.httpsPort,
    httpPort: s.httpPort,
    timeoutMs: s.httpTimeoutMs,
    maxBody: s.maxBody,
    maxRedirects: 5,
    userAgent: s.userAgent ?? DEFAULT_USER_AGENT,
    allowPrivate: s.allowPrivate,
    saveBody: s.saveBody,
  };
  const probes: Probes = {
    gatherDns: (domain) => gatherDns(domain, resolver, { extraDns: s.extraDns, extraNames: s.extraNames }),
    resolveHost: (name, roles) => resolveHost(name, resolver, roles),
    asn: (ip) => asn.lookup(ip),
    // A probe still waiting for a socket slot when its domain's deadline passed does not start.
    tls: (host, address, signal) => sockets(() => (signal?.aborted ? Promise.resolve(deadlineTls(host, address, s.httpsPort)) : probeTls(host, address, { ...tlsOptions, signal }))),
    http: (url, session, signal) => sockets(() => probeHttp(url, httpOptions, { session, signal })),
    // TLS first, then the HTTP request over the same connection (one socket slot throughout).
    web: (host, address, session, opts = {}) =>
      sockets(async () => {
        const { signal, onTls, addresses } = opts;
        if (address === undefined) return { http: await probeHttp(`https://${host}/`, httpOptions, { session, signal }) };
        if (signal?.aborted) return { tls: deadlineTls(host, address, s.httpsPort), http: await probeHttp(`https://${host}/`, httpOptions, { session, signal }) };
        const kept = await probeTlsKeep(host, address, { ...tlsOptions, signal });
        // Recorded now: a page that trickles for the rest of the deadline must not cost the certificate.
        onTls?.(kept.obs);
        const first: FirstHop = addresses ? { host, address, addresses } : { host, address };
        if (kept.socket) first.socket = kept.socket;
        else if (kept.obs.error && CONNECTING.has(kept.obs.error.code)) first.failure = { code: kept.obs.error.code, message: kept.obs.error.message };
        return { tls: kept.obs, http: await probeHttp(`https://${host}/`, httpOptions, { session, first, signal }) };
      }),
  };
  return {
    probes,
    asn,
    resolver,
    async close() {
      await resolver.close();
      await asn.close?.();
    },
  };
}

/** The TLS probe of a domain whose deadline passed before it started. */
function deadlineTls(host: string, address: string, port: number): TlsObservation {
  return { host, address, port, authorized: false, chain: [], error: { stage: 'tls', code: 'DEADLINE', message: 'domain deadline passed before the TLS probe started', target: `${host} ${address}` } };
}

export function readPem(file: string): string {
  return readFileSync(file, 'utf8');
}
