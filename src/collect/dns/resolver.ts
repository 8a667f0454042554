// A stub resolver for scans: dns-packet over node:dgram/node:net (not node:dns), so we see
// every record, every rcode and every odd packet, and control timeouts, retries and rate.
import { domainToASCII } from 'node:url';
import { RecentlyUsed } from '../../recent.js';
import { TokenBucket } from './bucket.js';
import { TcpExchange, UdpExchange, hostPort, type ChannelStats } from './channel.js';
import { DnsError } from './errors.js';
import { MAX_RECORDS, recordsOf, type Reply } from './reply.js';
import type { Upstream } from './upstream.js';
import { normalName, QUERY_TYPES, type Answer, type QueryType } from './wire.js';

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
/**
 * Names whose answers are kept (each name's types together), least recently used dropped first.
 * Most names belong to one domain and are asked within seconds; the shared ones (mail and DNS
 * providers' hosts, Cymru AS names) stay hot. 12,000 names cover the domains of ~40 s of a fast
 * scan; 200,000 answers made a 5,000-domain scan's RSS grow by hundreds of MB.
 */
const MAX_NAMES = 12_000;

const NOOP = (): void => undefined;

const TYPE_INDEX = Object.fromEntries(QUERY_TYPES.map((t, i) => [t, i])) as Record<QueryType, number>;

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
  /** @internal (Lookup) */
  readonly ups: Upstreamed[];
  private readonly cache = new RecentlyUsed<string, Promise<DnsAnswer>[]>(MAX_NAMES);
  private closed = false;
  /** @internal (Lookup) */
  readonly timeoutMs: number;
  /** @internal (Lookup) */
  readonly retries: number;

  get isClosed(): boolean {
    return this.closed;
  }

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
    // By name, then type: no key string to build and hash per query.
    let byType = this.cache.get(qname);
    if (byType === undefined) this.cache.set(qname, (byType = new Array<Promise<DnsAnswer>>(QUERY_TYPES.length)));
    const t = TYPE_INDEX[type];
    const hit = byType[t];
    if (hit) {
      this.stats.cacheHits++;
      return hit;
    }
    const p = this.resolve(qname, type);
    p.catch(NOOP); // observed by the caller; the cached copy must not count as unhandled
    byType[t] = p;
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

  /**
   * Upstreams in turn until a usable answer: a timeout retries (with a doubled timeout, on the
   * next upstream when there are several), SERVFAIL/REFUSED moves on to an upstream not yet
   * tried. One Promise per query; its attempts are callbacks on one Lookup.
   */
  private resolve(name: string, type: QueryType): Promise<DnsAnswer> {
    return new Promise((resolve, reject) => new Lookup(this, name, type, resolve, reject).attempt());
  }

  /** The first upstream not cooling down (the first of all when every one is). */
  firstUpstream(): number {
    if (this.ups.length === 1) return 0;
    const now = Date.now();
    const i = this.ups.findIndex((u) => u.coolUntil <= now);
    return i < 0 ? 0 : i;
  }

  /**
   * One attempt on one upstream: rate limit, in-flight limit, then UDP (Lookup asks TCP when the
   * answer is truncated). Without a rate limit and below the in-flight limit the query leaves at once.
   */
  exchange(l: Lookup, u: Upstreamed, timeoutMs: number): void {
    if (u.bucket) void u.bucket.take().then(() => this.admit(l, u, timeoutMs));
    else this.admit(l, u, timeoutMs);
  }

  private admit(l: Lookup, u: Upstreamed, timeoutMs: number): void {
    if (u.active >= MAX_IN_FLIGHT) u.waiting.push(() => this.send(l, u, timeoutMs));
    else this.send(l, u, timeoutMs);
  }

  private send(l: Lookup, u: Upstreamed, timeoutMs: number): void {
    if (this.closed) return l.onReply(new DnsError('DNS_TIMEOUT', `resolver closed before ${l.name} ${l.type} was asked`));
    u.active++;
    l.sent = u;
    u.udp.exchange(l.name, l.type, timeoutMs, l.onReply);
  }
}

/** One query's way through the upstreams (Resolver.resolve). */
class Lookup {
  private readonly n: number;
  private idx: number;
  private timeouts = 0;
  private guard = 0;
  private last: DnsError | undefined;
  /** Upstreams that said SERVFAIL/REFUSED. */
  private failed: Set<number> | undefined;
  /** The upstream whose in-flight slot this attempt holds. */
  sent: Upstreamed | undefined;

  constructor(
    private readonly r: Resolver,
    readonly name: string,
    readonly type: QueryType,
    private readonly resolve: (a: DnsAnswer) => void,
    private readonly reject: (e: DnsError) => void,
  ) {
    this.n = r.ups.length;
    this.idx = r.firstUpstream();
  }

  attempt(): void {
    if (this.guard > this.n + this.r.retries) return this.giveUp();
    const t = this.r.timeoutMs;
    this.r.exchange(this, this.r.ups[this.idx]!, Math.min(t * 2 ** this.timeouts, t * 4));
  }

  private giveUp(): void {
    this.reject(this.last ?? new DnsError('DNS_TIMEOUT', `no answer for ${this.name} ${this.type}`));
  }

  /** This attempt's UDP answer was truncated and is being asked again over TCP. */
  private overTcp = false;

  /**
   * Every answer and failure of every attempt (one closure per query: they are the resolver's
   * hottest allocation). A truncated UDP answer is asked again over TCP, holding the same slot.
   */
  readonly onReply = (err: DnsError | undefined, reply?: Reply): void => {
    if (!err && reply!.tc && !this.overTcp && this.sent) {
      this.overTcp = true;
      this.r.stats.truncated++;
      this.sent.tcp.exchange(this.name, this.type, this.r.timeoutMs, this.onReply);
      return;
    }
    this.overTcp = false;
    const u = this.sent ?? this.r.ups[this.idx]!;
    if (this.sent) {
      this.sent = undefined;
      u.active--;
      wakeOne(u);
    }
    this.guard++;
    if (err) {
      if (err.code !== 'DNS_TIMEOUT' || this.r.isClosed) return this.reject(err);
      this.last = err;
      if (++this.timeouts > this.r.retries) return this.giveUp();
      this.idx = nextUpstream(this.idx, this.n, this.failed) ?? this.idx;
      return this.attempt();
    }
    const rcode = reply!.rcode;
    if (rcode === 'NOERROR' || rcode === 'NXDOMAIN') {
      let records;
      try {
        records = recordsOf(reply!, MAX_RECORDS);
      } catch {
        return this.reject(new DnsError('DNS_MALFORMED', `unusable records from ${hostPort(u.up)} for ${this.name} ${this.type}`));
      }
      return this.resolve({ name: this.name, type: this.type, rcode, answers: records.answers, authorities: records.authorities });
    }
    // SERVFAIL, REFUSED (and FORMERR/NOTIMP, which no well-behaved server sends us): next upstream.
    this.last = new DnsError(rcode === 'REFUSED' ? 'DNS_REFUSED' : 'DNS_SERVFAIL', `${hostPort(u.up)} answered ${rcode} for ${this.name} ${this.type}`);
    (this.failed ??= new Set()).add(this.idx);
    const next = nextUpstream(this.idx, this.n, this.failed);
    if (next === undefined) return this.giveUp();
    this.r.stats.failovers++;
    this.idx = next;
    this.attempt();
  };
}

function wakeOne(u: Upstreamed): void {
  if (u.head >= u.waiting.length) return;
  const w = u.waiting[u.head]!;
  // A queue that never quite empties (a long scan) must not keep every query it ever held:
  // handled slots are dropped, and the array is cut down once its handled part dominates.
  u.waiting[u.head++] = NOOP;
  if (u.head === u.waiting.length) {
    u.waiting.length = 0;
    u.head = 0;
  } else if (u.head >= 1024 && u.head * 2 >= u.waiting.length) {
    u.waiting.splice(0, u.head);
    u.head = 0;
  }
  w();
}

function nextUpstream(idx: number, n: number, failed: Set<number> | undefined): number | undefined {
  for (let i = 1; i <= n; i++) {
    const j = (idx + i) % n;
    if (!failed?.has(j)) return j;
  }
  return undefined;
}

/** Lowercase ASCII labels of 1-63 letters, digits, '-' or '_', no trailing dot. */
const ASKED = /^[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*$/;

/** The name as asked: IDN to punycode, lowercase, no trailing dot, within DNS limits. */
export function queryName(name: string): string {
  // Already as asked (what every name we built ourselves is): nothing to change or check further.
  if (name.length <= 253 && ASKED.test(name)) return name;
  let n = name.trim();
  if (/[^\x00-\x7f]/.test(n)) n = domainToASCII(n);
  n = normalName(n);
  const labels = n.split('.');
  if (n === '' || n.length > 253 || labels.some((l) => l.length === 0 || l.length > 63)) {
    throw new DnsError('DNS_MALFORMED', `not a valid DNS name: ${JSON.stringify(name.slice(0, 100))}`);
  }
  return n;
}
