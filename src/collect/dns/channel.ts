// One upstream's transports: a UDP socket with many queries in flight, and a reused,
// pipelined TCP connection for truncated answers. Answers are matched on id AND question;
// anything else is dropped and counted. A packet whose id matches no query is dropped before it
// is decoded, and one transport may receive only so much of that before it is replaced (a new
// UDP port, a new TCP connection), so a flood costs a bounded amount. No method throws anything
// but DnsError.
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { DnsError } from './errors.js';
import type { Upstream } from './upstream.js';
import { decodeReply, MAX_RECORDS, type Reply } from './reply.js';
import { encodeQuery, type QueryType } from './wire.js';

export interface ChannelStats {
  udpSent: number;
  tcpSent: number;
  /** Packets that matched no query in flight (wrong id, question or source); an unknown id is not decoded. */
  mismatched: number;
  /** Undecodable packets whose id matched a query in flight. */
  malformed: number;
  timeouts: number;
  /** Transports replaced: after too much unmatched traffic, or a TCP answer that stalled mid-frame. */
  resets: number;
}

/**
 * Unmatched packets a transport may receive before it is replaced: a floor, plus a few per query
 * sent on it (late answers to timed-out queries are legitimate). A flood beyond it lands on a
 * closed port or connection.
 */
const UNMATCHED_FLOOR = 512;
const UNMATCHED_PER_QUERY = 2;
/** At most one replacement for unmatched traffic in this long; in between, extra packets are only dropped. */
const REPLACE_GAP_MS = 10_000;

/** Told once: the matching reply, or why there is none. Never throws back into the transport. */
export type ReplyCallback = (err: DnsError | undefined, reply?: Reply) => void;

interface Pending {
  name: string;
  type: QueryType;
  /** The query as sent, to send again on a replaced transport. */
  msg: Buffer;
  done: ReplyCallback;
  /** Date.now() after which it has timed out. */
  deadline: number;
  timeoutMs: number;
}

/** Coarsest timeout sweep (ms); finer when a timeout is short (a tenth of it, at least 5 ms). */
const MAX_SWEEP_MS = 100;

/** Random 16-bit ids, drawn from a buffer refilled in bulk (crypto per id is slow). */
class IdSource {
  private pool = randomBytes(2048);
  private at = 0;
  next(): number {
    if (this.at >= this.pool.length) {
      this.pool = randomBytes(2048);
      this.at = 0;
    }
    const id = this.pool.readUInt16BE(this.at);
    this.at += 2;
    return id;
  }
}

/** Queries in flight on one transport, keyed by id. */
abstract class Exchange {
  protected readonly pending = new Map<number, Pending>();
  private readonly ids = new IdSource();
  protected closed = false;
  /** Since the transport was last (re)opened: queries sent and unmatched packets received. */
  protected sent = 0;
  protected unmatched = 0;
  private replacedAt = -Infinity;

  constructor(
    protected readonly up: Upstream,
    protected readonly stats: ChannelStats,
    /** Told when the transport is replaced, so the resolver can prefer other upstreams for a while. */
    private readonly onReset: () => void = () => undefined,
  ) {}

  /** What a timeout or a lost connection is called on this transport. */
  protected abstract readonly failCode: 'DNS_TIMEOUT' | 'DNS_TRUNCATED_TCP_FAILED';
  protected abstract transmit(msg: Buffer, id: number): void;
  protected abstract idle(): void;
  /** Drops the transport (its traffic with it) and sends the queries in flight on a new one. */
  protected abstract replace(): void;
  /** A query timed out; the transport may have to go (a TCP frame stalled halfway). */
  protected timedOut(): void {}

  /** Timeouts are found by one sweep timer per transport, not a timer per query. */
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweepAt = 0;
  private slack = MAX_SWEEP_MS;

  /**
   * Sends a query; `done` hears the matching reply or a DnsError (timeout, closed, lost
   * connection), once. It may be called before this returns (closed, unencodable name).
   */
  exchange(name: string, type: QueryType, timeoutMs: number, done: ReplyCallback): void {
    if (this.closed) return done(new DnsError(this.failCode, `resolver closed before ${name} ${type} was asked`));
    let id = this.ids.next();
    for (let i = 0; i < 64 && this.pending.has(id); i++) id = this.ids.next();
    if (this.pending.has(id)) return done(new DnsError(this.failCode, `too many queries in flight to ${hostPort(this.up)}`));
    let msg: Buffer;
    try {
      msg = encodeQuery(id, name, type);
    } catch {
      return done(new DnsError('DNS_MALFORMED', `cannot encode a query for ${JSON.stringify(name)}`));
    }
    const deadline = Date.now() + timeoutMs;
    this.pending.set(id, { name, type, msg, done, deadline, timeoutMs });
    this.slack = Math.min(this.slack, Math.max(5, Math.floor(timeoutMs / 10)));
    this.schedule(deadline);
    this.sent++;
    this.transmit(msg, id);
  }

  /** The sweep fires at the earliest deadline, but never more often than every `slack` ms. */
  private schedule(deadline: number): void {
    if (this.sweepTimer && this.sweepAt <= deadline + this.slack) return;
    clearTimeout(this.sweepTimer);
    const now = Date.now();
    this.sweepAt = Math.max(deadline, now + 1);
    this.sweepTimer = setTimeout(this.sweep, this.sweepAt - now);
    this.sweepTimer.unref(); // the socket keeps the process alive while queries are in flight
  }

  private readonly sweep = (): void => {
    this.sweepTimer = undefined;
    const now = Date.now();
    let next = Infinity;
    for (const [id, p] of this.pending) {
      if (p.deadline > now) {
        if (p.deadline < next) next = p.deadline;
        continue;
      }
      this.pending.delete(id);
      this.stats.timeouts++;
      this.timedOut();
      if (this.pending.size === 0) this.idle();
      p.done(new DnsError(this.failCode, `no answer from ${hostPort(this.up)}${this.failCode === 'DNS_TIMEOUT' ? '' : ' over TCP'} within ${p.timeoutMs} ms`));
    }
    if (next !== Infinity) this.schedule(Math.max(next, now + this.slack));
  };

  /** Hands a received message to its query, or drops and counts it. */
  protected receive(msg: Buffer): void {
    // The id first: decoding costs far more, and a flood of well-formed answers would pay it each time.
    if (msg.length < 2 || !this.pending.has(msg.readUInt16BE(0))) return this.noMatch();
    const d = decodeReply(msg, MAX_RECORDS);
    if (!d.ok) {
      this.stats.malformed++;
      const p = d.id === undefined ? undefined : this.pending.get(d.id);
      // The id is all a garbage packet can be matched on; without a match it is noise.
      if (p && d.id !== undefined) this.settle(d.id)?.done(new DnsError('DNS_MALFORMED', `undecodable answer from ${hostPort(this.up)} for ${p.name} ${p.type}`));
      return;
    }
    const r = d.reply;
    const p = this.pending.get(r.id);
    if (!p || !r.response || r.qdcount !== 1 || r.qname !== p.name || r.qtype !== p.type) return this.noMatch();
    this.settle(r.id)?.done(undefined, r);
  }

  /**
   * Counts a packet that answered nothing. Past the budget the upstream is cooled down and the
   * transport replaced, at most once per REPLACE_GAP_MS: an upstream that floods every answer
   * would otherwise have each replacement's re-sent queries flooded again.
   */
  protected noMatch(): void {
    this.stats.mismatched++;
    if (++this.unmatched <= UNMATCHED_FLOOR + UNMATCHED_PER_QUERY * this.sent) return;
    this.sent = 0;
    this.unmatched = 0;
    this.onReset();
    const now = Date.now();
    if (now - this.replacedAt >= REPLACE_GAP_MS) this.reset();
  }

  protected reset(): void {
    if (this.closed) return;
    this.replacedAt = Date.now();
    this.stats.resets++;
    this.sent = 0;
    this.unmatched = 0;
    this.replace();
    this.onReset();
  }

  /** The queries still waiting, to send again. */
  protected inFlightMessages(): Buffer[] {
    return [...this.pending.values()].map((p) => p.msg);
  }

  protected settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    if (this.pending.size === 0) this.idle();
    return p;
  }

  protected failAll(why: string): void {
    for (const [id, p] of [...this.pending]) {
      this.settle(id);
      p.done(new DnsError(this.failCode, `${p.name} ${p.type}: ${why}`));
    }
    if (this.pending.size === 0) {
      clearTimeout(this.sweepTimer);
      this.sweepTimer = undefined;
    }
  }

  get inFlight(): number {
    return this.pending.size;
  }
}

export class UdpExchange extends Exchange {
  protected readonly failCode = 'DNS_TIMEOUT' as const;
  private socket: dgram.Socket | undefined;
  private connected = false;
  /** Queries sent before the socket finished connecting. */
  private readonly queue: Buffer[] = [];

  private open(): dgram.Socket {
    if (this.socket) return this.socket;
    const s = dgram.createSocket({ type: net.isIPv6(this.up.host.replace(/%.*$/, '')) ? 'udp6' : 'udp4', recvBufferSize: 1 << 20 });
    s.on('error', () => {}); // ICMP unreachable and the like: the query times out instead
    s.on('message', (msg, rinfo) => {
      if (this.socket !== s) return;
      // An answer from someone we did not ask. Once connected, the kernel drops those itself.
      if (!this.connected && (!sameAddress(rinfo.address, this.up.host) || rinfo.port !== this.up.port)) return this.noMatch();
      this.receive(msg);
    });
    // Connected: the kernel drops datagrams from other sources, and send() skips a per-packet
    // address lookup (a fifth of the CPU time at 10k queries/s). Sends wait for the connect.
    this.connected = false;
    s.connect(this.up.port, this.up.host, () => {
      if (this.socket !== s) return;
      this.connected = true;
      for (const m of this.queue.splice(0)) this.sendNow(s, m);
    });
    this.socket = s;
    return s;
  }

  protected transmit(msg: Buffer): void {
    const s = this.open();
    this.hold(s);
    this.stats.udpSent++;
    if (this.connected) this.sendNow(s, msg);
    else this.queue.push(msg);
  }

  private sendNow(s: dgram.Socket, msg: Buffer): void {
    try {
      // No callback: a send error is an 'error' event (ignored above) and the query times out.
      s.send(msg);
    } catch {
      // closed under us: the query times out or was already failed by close()
    }
  }

  /** Whether the socket holds the process open (a native call each way: made on a change only). */
  private held = false;
  private hold(s: dgram.Socket): void {
    if (this.held) return;
    this.held = true;
    s.ref();
  }

  protected idle(): void {
    this.held = false;
    this.socket?.unref();
  }

  /** A new socket, so a new source port: what keeps arriving at the old one is the kernel's to drop. */
  protected replace(): void {
    const old = this.socket;
    this.socket = undefined;
    this.queue.length = 0;
    old?.close();
    const again = this.inFlightMessages();
    if (again.length === 0) return;
    const s = this.open();
    this.held = false;
    this.hold(s);
    for (const m of again) {
      this.stats.udpSent++;
      this.sent++;
      this.queue.push(m);
    }
  }

  close(): Promise<void> {
    this.closed = true;
    this.failAll('resolver closed');
    this.queue.length = 0;
    const s = this.socket;
    this.socket = undefined;
    return s ? new Promise((r) => s.close(() => r())) : Promise.resolve();
  }
}

/** Largest TCP receive buffer: one maximal frame and a bit. */
const MAX_TCP_BUFFER = 2 + 65535 + 4096;

export class TcpExchange extends Exchange {
  protected readonly failCode = 'DNS_TRUNCATED_TCP_FAILED' as const;
  private socket: net.Socket | undefined;
  private buf: Buffer = Buffer.alloc(0);

  private open(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    this.sent = 0;
    this.unmatched = 0;
    const s = net.connect({ host: this.up.host, port: this.up.port });
    s.setNoDelay(true);
    this.buf = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      if (this.socket !== s) return;
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      while (this.buf.length >= 2) {
        const len = this.buf.readUInt16BE(0);
        if (this.buf.length < 2 + len) break;
        const frame = this.buf.subarray(2, 2 + len);
        this.buf = this.buf.subarray(2 + len);
        this.receive(frame);
      }
      if (this.buf.length > MAX_TCP_BUFFER) s.destroy();
    });
    const lost = (why: string): void => {
      if (this.socket !== s) return;
      this.socket = undefined;
      this.failAll(why);
    };
    s.on('error', (e: NodeJS.ErrnoException) => lost(`TCP connection to ${hostPort(this.up)} failed (${e.code ?? 'error'})`));
    s.on('close', () => lost(`TCP connection to ${hostPort(this.up)} closed`));
    this.socket = s;
    return s;
  }

  protected transmit(msg: Buffer): void {
    const s = this.open();
    s.ref();
    this.stats.tcpSent++;
    const frame = Buffer.allocUnsafe(2 + msg.length);
    frame.writeUInt16BE(msg.length, 0);
    msg.copy(frame, 2);
    s.write(frame);
  }

  protected idle(): void {
    this.socket?.unref();
  }

  /**
   * A query timed out while part of a frame waits in the buffer: the server announced an answer
   * and stopped mid-way. Every later answer on this connection would be read as the rest of that
   * frame, so the connection goes.
   */
  protected override timedOut(): void {
    if (this.buf.length > 0) this.reset();
  }

  /** A new connection, the queries in flight sent again on it. */
  protected replace(): void {
    const old = this.socket;
    this.socket = undefined;
    this.buf = Buffer.alloc(0);
    old?.destroy();
    const again = this.inFlightMessages();
    if (again.length === 0) return;
    for (const m of again) {
      this.transmit(m);
      this.sent++;
    }
  }

  close(): Promise<void> {
    this.closed = true;
    const s = this.socket;
    this.socket = undefined;
    this.failAll('resolver closed');
    s?.destroy();
    return Promise.resolve();
  }
}

export function hostPort(u: Upstream): string {
  return net.isIPv6(u.host) ? `[${u.host}]:${u.port}` : `${u.host}:${u.port}`;
}

function sameAddress(a: string, b: string): boolean {
  const strip = (s: string): string => s.replace(/^::ffff:/, '').replace(/%.*$/, '').toLowerCase();
  return strip(a) === strip(b);
}
