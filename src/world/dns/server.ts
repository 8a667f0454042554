// The world's DNS resolver on loopback: UDP and TCP on the same port, answers from answer.ts.
import dgram from 'node:dgram';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { decode, encode, type DecodedPacket, type Packet } from 'dns-packet';
import { indexFaults } from '../faults.js';
import type { DnsServerHandle, ServeOptions } from '../running.js';
import type { World } from '../types.js';
import { RecordStore } from '../zone.js';
import { answerQuery, RCODE, type DnsWorld } from './answer.js';
import { CymruTable } from './cymru.js';

const FLAG_TC = 1 << 9;
const FLAG_RA = 1 << 7;
/** TCP: a connection idle this long is closed; a frame is at most 65535 bytes by construction. */
const TCP_IDLE_MS = 30_000;
const MAX_TCP_CONNECTIONS = 1024;

export interface DnsServerOptions extends ServeOptions {
  /** World file name, for error messages. */
  file?: string;
  host?: string;
  port?: number;
}

export function compileDnsWorld(world: World, file = '<world>'): DnsWorld {
  return { store: RecordStore.fromWorld(world, file), faults: indexFaults(world), cymru: CymruTable.fromWorld(world, file) };
}

export async function startDnsServer(world: World, opts: DnsServerOptions = {}): Promise<DnsServerHandle> {
  const w = compileDnsWorld(world, opts.file);
  const host = opts.host ?? '127.0.0.1';
  const latency = Math.max(0, opts.latencyMs ?? world.latencyMs ?? 0);
  const wantPort = opts.standardPorts ? 53 : (opts.port ?? 0);
  const type = net.isIPv6(host) ? 'udp6' : 'udp4';

  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void): void => {
    if (latency === 0) return fn();
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, latency);
    timers.add(t);
  };

  // An ephemeral UDP port may be taken on TCP: try a few times before giving up.
  let udp: dgram.Socket | undefined;
  let tcp: net.Server | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 10 && !tcp; attempt++) {
    const u = dgram.createSocket({ type, recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    await new Promise<void>((resolve, reject) => {
      u.once('error', reject);
      u.bind(wantPort, host, () => {
        u.off('error', reject);
        resolve();
      });
    });
    port = u.address().port;
    const t = net.createServer();
    t.maxConnections = MAX_TCP_CONNECTIONS;
    try {
      await new Promise<void>((resolve, reject) => {
        t.once('error', reject);
        t.listen(port, host, () => {
          t.off('error', reject);
          resolve();
        });
      });
      udp = u;
      tcp = t;
    } catch (e) {
      u.close();
      if (wantPort !== 0 || attempt === 9) throw e;
    }
  }
  if (!udp || !tcp) throw new Error('could not bind the DNS server');
  const udpSocket = udp;

  udpSocket.on('error', () => {}); // e.g. ICMP port unreachable from a client gone away
  udpSocket.on('message', (msg, rinfo) => {
    const out = respond(w, msg, 'udp');
    if (out) later(() => udpSocket.send(out, rinfo.port, rinfo.address, () => {}));
  });

  const sockets = new Set<net.Socket>();
  tcp.on('connection', (s) => {
    sockets.add(s);
    s.setNoDelay(true);
    s.setTimeout(TCP_IDLE_MS, () => s.destroy());
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    let buf: Buffer = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        const out = respond(w, msg, 'tcp');
        if (out) {
          const frame = Buffer.allocUnsafe(2 + out.length);
          frame.writeUInt16BE(out.length, 0);
          out.copy(frame, 2);
          later(() => {
            if (!s.destroyed) s.write(frame);
          });
        }
      }
    });
  });

  return {
    host,
    port,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => udpSocket.close(() => r())),
        new Promise<void>((r) => tcp!.close(() => r())),
      ]);
    },
  };
}

/** The bytes to send back for one message, or undefined for silence. Never throws. */
export function respond(w: DnsWorld, msg: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined {
  if (msg.length < 12) return undefined; // not even a header: nothing to answer to
  let q: DecodedPacket;
  try {
    q = decode(msg);
  } catch {
    return formerr(msg);
  }
  if (q.type === 'response') return undefined; // never answer answers (reflection loops)
  let reply;
  try {
    reply = answerQuery(w, q);
  } catch {
    return header(msg.readUInt16BE(0), RCODE.SERVFAIL);
  }
  if (reply.kind === 'drop') return undefined;
  if (reply.kind === 'garbage') return garbage(q.id ?? 0);
  let out: Buffer;
  try {
    out = encode(reply.packet);
  } catch {
    return header(q.id ?? 0, RCODE.SERVFAIL);
  }
  if (transport === 'udp' && (reply.truncateUdp || out.length > reply.udpSize)) {
    // TC with the question (and OPT) but no records: the client retries over TCP.
    const p = reply.packet;
    try {
      out = encode({ ...p, flags: (p.flags ?? 0) | FLAG_TC, answers: [], authorities: [] });
    } catch {
      return header(q.id ?? 0, RCODE.SERVFAIL);
    }
  }
  return out;
}

/** A header-only FORMERR for a query that does not parse. */
function formerr(msg: Buffer): Buffer {
  return header(msg.readUInt16BE(0), RCODE.FORMERR);
}

function header(id: number, rcode: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(0x8000 | FLAG_RA | rcode, 2);
  return b;
}

/** The right id and a header promising records that never come, then noise: undecodable. */
function garbage(id: number): Buffer {
  const b = Buffer.concat([Buffer.alloc(12), randomBytes(20)]);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(0x8000 | FLAG_RA, 2);
  b.writeUInt16BE(1, 4); // one question
  b.writeUInt16BE(40, 6); // forty answers
  b[12] = 0xc0; // a compression pointer forward: never valid in a question name
  b[13] = 0xff;
  return b;
}

export type { Packet };
