// Everything gathered about one domain: DNS first, then TLS and HTTP on apex and www side by
// side, then the hosts redirects led to. Errors are values on the Observation; a deadline keeps
// what was gathered (a TLS handshake counts as soon as it is done), records the rest as timed
// out, and aborts the probes still running, so none outlives its domain.
import { emptyObservation, type AsnInfo, type HostAddresses, type HostRole, type HttpObservation, type Observation, type ProbeError, type TlsObservation } from '../types.js';
import type { DomainEntry } from '../input/read.js';
import { newWebSession, type WebSession } from './http.js';

/** The probes a scan uses; src/collect/probes.ts builds the real ones. */
export interface Probes {
  gatherDns(domain: string): Promise<{ dns: Observation['dns']; errors: ProbeError[] }>;
  resolveHost(name: string, roles: HostRole[]): Promise<{ host: HostAddresses; errors: ProbeError[] }>;
  asn(ip: string): Promise<AsnInfo>;
  /** `signal`: the domain's deadline; an aborted probe stops and closes its connection. */
  tls(host: string, address: string, signal?: AbortSignal): Promise<TlsObservation>;
  http(url: string, session?: WebSession, signal?: AbortSignal): Promise<HttpObservation>;
  /**
   * TLS on `address` (when given) and HTTP on https://host/, over one connection where possible.
   * `onTls` hears the TLS observation as soon as the handshake is over, before the HTTP exchange.
   */
  web(host: string, address: string | undefined, session: WebSession, opts?: WebProbeOptions): Promise<{ tls?: TlsObservation; http: HttpObservation }>;
}

export interface WebProbeOptions {
  signal?: AbortSignal;
  /** The host's addresses from the domain's DNS (A first), so the HTTP probe need not ask again. */
  addresses?: string[];
  onTls?(tls: TlsObservation): void;
}

export interface DomainScanOptions {
  /** TLS and HTTP probes on (false: DNS and ASN only). */
  web: boolean;
  deadlineMs: number;
  /** Aborted by a second Ctrl-C: keep what is there, stop waiting. */
  signal?: AbortSignal;
}

export async function scanDomain(entry: DomainEntry, probes: Probes, opts: DomainScanOptions): Promise<Observation> {
  const obs = emptyObservation(entry.domain, entry.input);
  if (entry.unicode) obs.unicode = entry.unicode;
  // Late answers after the deadline must not change what was already handed on.
  let open = true;
  // Aborted at the deadline (or a second Ctrl-C): running probes stop and close their connections.
  const stop = new AbortController();
  const work = gather(obs, entry.domain, probes, opts, () => open, stop.signal).catch((e: unknown) => {
    if (open) obs.errors.push({ stage: 'scan', code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<'deadline' | 'aborted'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), opts.deadlineMs);
    onAbort = () => resolve('aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const outcome = await Promise.race([work.then(() => 'done' as const), deadline]);
  clearTimeout(timer);
  // One shared signal serves every domain of a scan: leave no listener behind.
  if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
  open = false;
  if (outcome !== 'done') stop.abort();
  if (outcome === 'deadline') {
    obs.errors.push({ stage: 'scan', code: 'DEADLINE', message: `unfinished probes dropped after ${opts.deadlineMs / 1000} s`, target: entry.domain });
  } else if (outcome === 'aborted') {
    obs.errors.push({ stage: 'scan', code: 'ABORTED', message: 'interrupted before all probes finished', target: entry.domain });
  }
  sortObservation(obs);
  // A finished domain has no probe left to touch it; one cut short by its deadline may still
  // have late answers arriving, so the caller gets a copy of what was there.
  return outcome === 'done' ? obs : structuredClone(obs);
}

async function gather(obs: Observation, domain: string, probes: Probes, opts: DomainScanOptions, isOpen: () => boolean, signal: AbortSignal): Promise<void> {
  const dns = await probes.gatherDns(domain);
  if (!isOpen()) return;
  obs.dns = dns.dns;
  obs.errors.push(...dns.errors);

  const asnDone = lookupAsns(obs, probes, isOpen);
  if (!opts.web) return void (await asnDone);

  const starts = [domain, `www.${domain}`].filter((h) => (obs.dns.hosts[h]?.a.length ?? 0) + (obs.dns.hosts[h]?.aaaa.length ?? 0) > 0);
  const probed = new Set<string>();
  const session = newWebSession();
  const web = starts.map(async (host) => {
    probed.add(host);
    let heard = false;
    const onTls = (t: TlsObservation): void => {
      heard = true;
      if (isOpen()) obs.tls.push(t);
    };
    const h = obs.dns.hosts[host]!;
    const { tls, http } = await probes.web(host, addressOf(host, obs), session, { signal, onTls, addresses: [...h.a, ...h.aaaa] });
    if (!isOpen()) return;
    if (tls && !heard) obs.tls.push(tls);
    obs.http.push(http);
  });
  await Promise.all(web);
  if (!isOpen()) return;

  // Hosts the redirects ended on: resolve, place in a network, and read their certificate.
  const finals = new Set<string>();
  for (const h of obs.http) {
    const final = hostOf(h.finalUrl);
    if (final && !probed.has(final)) finals.add(final);
  }
  await Promise.all(
    [...finals].sort().map(async (host) => {
      const known = obs.dns.hosts[host];
      if (known) {
        if (!known.roles.includes('final')) known.roles.push('final');
      } else {
        const r = await probes.resolveHost(host, ['final']);
        if (!isOpen()) return;
        obs.dns.hosts[host] = r.host;
        obs.errors.push(...r.errors);
      }
      const tls = await tlsOn(host, obs, probes, signal);
      if (tls && isOpen()) obs.tls.push(tls);
    }),
  );
  if (!isOpen()) return;
  await Promise.all([asnDone, lookupAsns(obs, probes, isOpen)]);
}

function addressOf(host: string, obs: Observation): string | undefined {
  const h = obs.dns.hosts[host];
  return h?.a[0] ?? h?.aaaa[0];
}

function tlsOn(host: string, obs: Observation, probes: Probes, signal: AbortSignal): Promise<TlsObservation | undefined> {
  const address = addressOf(host, obs);
  return address ? probes.tls(host, address, signal) : Promise.resolve(undefined);
}

async function lookupAsns(obs: Observation, probes: Probes, isOpen: () => boolean): Promise<void> {
  const ips = new Set<string>();
  for (const h of Object.values(obs.dns.hosts)) for (const ip of [...h.a, ...h.aaaa]) if (!(ip in obs.addresses)) ips.add(ip);
  await Promise.all(
    [...ips].map(async (ip) => {
      const info = await probes.asn(ip);
      if (isOpen()) obs.addresses[ip] = info;
    }),
  );
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Probes finish in any order; sort so two scans of the same world are identical. */
function sortObservation(obs: Observation): void {
  obs.tls.sort((a, b) => a.host.localeCompare(b.host));
  obs.http.sort((a, b) => a.url.localeCompare(b.url));
  obs.errors.sort((a, b) => a.stage.localeCompare(b.stage) || (a.target ?? '').localeCompare(b.target ?? '') || a.code.localeCompare(b.code));
  const sortedAddrs: Record<string, AsnInfo> = {};
  for (const k of Object.keys(obs.addresses).sort()) sortedAddrs[k] = obs.addresses[k]!;
  obs.addresses = sortedAddrs;
}
