// A stub resolver for scans: dns-packet over node:dgram/node:net (not node:dns), so we see
// every record, every rcode and every odd packet, and control timeouts, retries and rate.
import { domainToASCII } from 'node:url';
import { TokenBucket } from './bucket.js';
import { TcpExchange, UdpExchange, hostPort, type ChannelStats } from './channel.js';
import { DnsError } from './errors.js';
import type { Upstream } from './upstream.js';
import { normalName, type Answer, type DecodedPacket, type QueryType } from './wire.js';

export { DnsError, isDnsError, type DnsErrorCode } from './errors.js';
export { parseUpstream, parseResolvConf, systemUpstreams, type Upstream } from './upstream.js';
export { QUERY_TYPES, type QueryType, type Answer } from './wire.js';

/** A usable answer: NOERROR (possibly with no records: NODATA) or NXDOMAIN. Other rcodes are DnsErrors. */
export interface DnsAnswer {
  name: string;
  type: QueryType;
  rcode: 'NOERROR' | 'NXDOMAIN';
  /** Answer section; owner names and name-valued data lowercase without trailing dot. */
  answers: Answer[];
  /** Authority section (the SOA of a negative answer). */
  authorities: Answer[];
}

export interface ResolverOptions {
  upstreams: Upstream[];
  /** Per attempt; doubled on each retry, up to four times this. */
  timeoutMs: number;
  /** Further attempts after a timeout (on the next upstream when there are several). */
  retries: number;
  /** Queries per second per upstream; unlimited when absent. */
  ratePerSecond?: number;
}

export interface ResolverStats extends ChannelStats {
  /** Calls to query(). */
  queries: number;
  /** Calls answered from the cache or joined to an identical query in flight. */
  cacheHits: number;
  /** Answers with TC set, asked again over TCP. */
  truncated: number;
  /** SERVFAIL/REFUSED answers passed on to the next upstream. */
  failovers: number;
}

/** Queries in flight per upstream; more wait, so a burst does not overflow socket buffers. */
const MAX_IN_FLIGHT = 1024;
/** Records kept from one answer section: a hostile server cannot make us hold more. */
const MAX_RECORDS = 256;
/**
 * Cache entries kept, least recently used dropped first. Most names belong to one domain and are
 * asked once; the shared ones (mail and DNS providers' hosts, Cymru AS names) stay hot. 200,000
 * entries made a 5,000-domain scan's RSS grow by hundreds of MB.
 */
const MAX_CACHE = 20_000;

/** How long an upstream whose transport was replaced (a flood, a stalled answer) is asked last. */
const COOL_MS = 10_000;

interface Upstreamed {
  up: Upstream;
  /** Until then (ms since epoch) queries start at another upstream, when there is one. */
  coolUntil: number;
  udp: UdpExchange;
  tcp: TcpExchange;
  bucket: TokenBucket | undefined;
  active: number;
  /** Queries waiting for an in-flight slot, oldest first from `head` (shift() is O(n)). */
  waiting: (() => void)[];
  head: number;
}

export class Resolver {
  readonly stats: ResolverStats = { queries: 0, cacheHits: 0, truncated: 0, failovers: 0, udpSent: 0, tcpSent: 0, mismatched: 0, malformed: 0, timeouts: 0, resets: 0 };
  private readonly ups: Upstreamed[];
  private readonly cache = new Map<string, Promise<DnsAnswer>>();
  private closed = false;
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(o: ResolverOptions) {
    if (o.upstreams.length === 0) throw new Error('at least one DNS upstream is needed');
    this.timeoutMs = Math.max(1, o.timeoutMs);
    this.retries = Math.max(0, Math.floor(o.retries));
    const rate = o.ratePerSecond;
    this.ups = o.upstreams.map((up) => {
      const u: Upstreamed = {
        up,
        coolUntil: 0,
        udp: undefined as unknown as UdpExchange,
        tcp: undefined as unknown as TcpExchange,
        bucket: rate !== undefined && rate > 0 ? new TokenBucket(rate) : undefined,
        active: 0,
        waiting: [],
        head: 0,
      };
      const cool = (): void => {
        u.coolUntil = Date.now() + COOL_MS;
      };
      u.udp = new UdpExchange(up, this.stats, cool);
      u.tcp = new TcpExchange(up, this.stats, cool);
      return u;
    });
  }

  /**
   * The answer for (name, type), asked once per run: later and concurrent calls share it,
   * negative answers and errors included. Rejects only with DnsError.
   */
  query(name: string, type: QueryType): Promise<DnsAnswer> {
    this.stats.queries++;
    let qname: string;
    try {
      qname = queryName(name);
    } catch (e) {
      return Promise.reject(e);
    }
    const key = `${type} ${qname}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.cacheHits++;
      // Re-inserted: a Map iterates in insertion order, so the first key is the least recent.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const p = this.resolve(qname, type);
    p.catch(() => {}); // observed by the caller; the cached copy must not count as unhandled
    if (this.cache.size >= MAX_CACHE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, p);
    return p;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const u of this.ups) {
      u.bucket?.drain();
      for (const w of u.waiting.splice(u.head)) w();
      u.waiting.length = 0;
      u.head = 0;
    }
    await Promise.all(this.ups.flatMap((u) => [u.udp.close(), u.tcp.close()]));
  }

  private async resolve(name: string, type: QueryType): Promise<DnsAnswer> {
    const n = this.ups.length;
    const failed = new Set<number>(); // upstreams that said SERVFAIL/REFUSED
    let idx = this.firstUpstream();
    let timeouts = 0;
    let last: DnsError | undefined;
    for (let guard = 0; guard <= n + this.retries; guard++) {
      const u = this.ups[idx]!;
      let pkt: DecodedPacket;
      try {
        pkt = await this.exchange(u, name, type, Math.min(this.timeoutMs * 2 ** timeouts, this.timeoutMs * 4));
      } catch (e) {
        const err = e instanceof DnsError ? e : new DnsError('DNS_TIMEOUT', `${name} ${type}: query failed`);
        if (err.code !== 'DNS_TIMEOUT' || this.closed) throw err;
        last = err;
        if (++timeouts > this.retries) break;
        idx = nextUpstream(idx, n, failed) ?? idx;
        continue;
      }
      const rcode = (pkt as { rcode?: string }).rcode ?? 'NOERROR';
      if (rcode === 'NOERROR' || rcode === 'NXDOMAIN') {
        try {
          return toAnswer(name, type, rcode, pkt);
        } catch {
          throw new DnsError('DNS_MALFORMED', `unusable records from ${hostPort(u.up)} for ${name} ${type}`);
        }
      }
      // SERVFAIL, REFUSED (and FORMERR/NOTIMP, which no well-behaved server sends us): next upstream.
      last = new DnsError(rcode === 'REFUSED' ? 'DNS_REFUSED' : 'DNS_SERVFAIL', `${hostPort(u.up)} answered ${rcode} for ${name} ${type}`);
      failed.add(idx);
      const next = nextUpstream(idx, n, failed);
      if (next === undefined) break;
      this.stats.failovers++;
      idx = next;
    }
    throw last ?? new DnsError('DNS_TIMEOUT', `no answer for ${name} ${type}`);
  }

  /** The first upstream not cooling down (the first of all when every one is). */
  private firstUpstream(): number {
    if (this.ups.length === 1) return 0;
    const now = Date.now();
    const i = this.ups.findIndex((u) => u.coolUntil <= now);
    return i < 0 ? 0 : i;
  }

  /** One attempt on one upstream: rate limit, in-flight limit, UDP, then TCP when truncated. */
  private async exchange(u: Upstreamed, name: string, type: QueryType, timeoutMs: number): Promise<DecodedPacket> {
    await u.bucket?.take();
    if (u.active >= MAX_IN_FLIGHT) await new Promise<void>((r) => u.waiting.push(r));
    if (this.closed) throw new DnsError('DNS_TIMEOUT', `resolver closed before ${name} ${type} was asked`);
    u.active++;
    try {
      const pkt = await u.udp.exchange(name, type, timeoutMs);
      if (!pkt.flag_tc) return pkt;
      this.stats.truncated++;
      return await u.tcp.exchange(name, type, this.timeoutMs);
    } finally {
      u.active--;
      wakeOne(u);
    }
  }
}

function wakeOne(u: Upstreamed): void {
  if (u.head >= u.waiting.length) return;
  const w = u.waiting[u.head++]!;
  if (u.head === u.waiting.length) {
    u.waiting.length = 0;
    u.head = 0;
  }
  w();
}

function nextUpstream(idx: number, n: number, failed: Set<number>): number | undefined {
  for (let i = 1; i <= n; i++) {
    const j = (idx + i) % n;
    if (!failed.has(j)) return j;
  }
  return undefined;
}

/** The name as asked: IDN to punycode, lowercase, no trailing dot, within DNS limits. */
export function queryName(name: string): string {
  let n = name.trim();
  if (/[^\x00-\x7f]/.test(n)) n = domainToASCII(n);
  n = normalName(n);
  const labels = n.split('.');
  if (n === '' || n.length > 253 || labels.some((l) => l.length === 0 || l.length > 63)) {
    throw new DnsError('DNS_MALFORMED', `not a valid DNS name: ${JSON.stringify(name.slice(0, 100))}`);
  }
  return n;
}

function toAnswer(name: string, type: QueryType, rcode: 'NOERROR' | 'NXDOMAIN', pkt: DecodedPacket): DnsAnswer {
  return {
    name,
    type,
    rcode,
    answers: (pkt.answers ?? []).slice(0, MAX_RECORDS).map(normalRecord),
    authorities: (pkt.authorities ?? []).slice(0, MAX_RECORDS).map(normalRecord),
  };
}

/** Lowercases owner names and name-valued data, so callers compare names directly. */
function normalRecord(a: Answer): Answer {
  const r = { ...a, name: normalName(a.name) } as Answer;
  switch (r.type) {
    case 'CNAME':
    case 'NS':
    case 'PTR':
    case 'DNAME':
      return { ...r, data: normalName(r.data) };
    case 'MX':
      return { ...r, data: { ...r.data, exchange: normalName(r.data.exchange) } };
    case 'SOA':
      return { ...r, data: { ...r.data, mname: normalName(r.data.mname), rname: normalName(r.data.rname) } };
    case 'SRV':
      return { ...r, data: { ...r.data, target: normalName(r.data.target) } };
    default:
      return r;
  }
}
