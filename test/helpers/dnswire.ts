// A tiny raw DNS client for tests: dns-packet over a plain UDP or TCP socket, no resolver logic,
// so the tests see exactly what the server sends.
import dgram from 'node:dgram';
import net from 'node:net';
import { decode, encode, type DecodedPacket, type Packet } from 'dns-packet';

export interface QueryOpts {
  /** EDNS0 UDP payload size to advertise; omitted = no OPT record. */
  edns?: number;
  id?: number;
  timeoutMs?: number;
}

export function queryPacket(name: string, type: string, opts: QueryOpts = {}): Buffer {
  const p: Packet = {
    type: 'query',
    id: opts.id ?? Math.floor(Math.random() * 65536),
    flags: 1 << 8, // RD
    questions: [{ name, type: type as 'A', class: 'IN' }],
    additionals:
      opts.edns !== undefined ? [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns, flags: 0, options: [] } as never] : [],
  };
  return encode(p);
}

/**
 * Sends raw bytes over UDP; resolves with the raw reply, or undefined after the timeout. The
 * reply ends the wait: the default timeout is only a guard, long enough for a loaded machine.
 */
export function udpRaw(port: number, msg: Buffer, timeoutMs = 15_000, host = '127.0.0.1'): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const done = (b: Buffer | undefined): void => {
      clearTimeout(t);
      s.close();
      resolve(b);
    };
    const t = setTimeout(() => done(undefined), timeoutMs);
    s.on('message', (m) => done(m));
    s.on('error', () => done(undefined));
    s.send(msg, port, host);
  });
}

/**
 * Sends UDP datagrams in order from one socket and collects the replies until `last(reply)` says
 * the awaited one came (the server answers in order, so earlier datagrams were all handled).
 * Rejects after `guardMs`, a guard for a dead server, not a wait.
 */
export function udpUntil(port: number, msgs: Buffer[], last: (reply: Buffer) => boolean, guardMs = 20_000, host = '127.0.0.1'): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const replies: Buffer[] = [];
    const t = setTimeout(() => {
      s.close();
      reject(new Error(`no awaited reply within ${guardMs} ms (${replies.length} other replies)`));
    }, guardMs);
    s.on('message', (m) => {
      replies.push(m);
      if (!last(m)) return;
      clearTimeout(t);
      s.close();
      resolve(replies);
    });
    s.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    s.connect(port, host, () => {
      for (const m of msgs) s.send(m);
    });
  });
}

/**
 * Sends raw messages over one TCP connection, length-prefixed; resolves with the replies in order
 * when every message has one, or the server closes, or after the timeout (a guard by default).
 */
export function tcpRaw(port: number, msgs: Buffer[], timeoutMs = 15_000, host = '127.0.0.1'): Promise<Buffer[]> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let buf = Buffer.alloc(0);
    const s = net.connect(port, host);
    const done = (): void => {
      clearTimeout(t);
      s.destroy();
      resolve(out);
    };
    const t = setTimeout(done, timeoutMs);
    s.on('connect', () => {
      for (const m of msgs) {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(m.length, 0);
        s.write(Buffer.concat([len, m]));
      }
    });
    s.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (out.length === msgs.length) done();
    });
    s.on('error', done);
    s.on('close', done);
  });
}

export async function udpQuery(port: number, name: string, type: string, opts: QueryOpts = {}): Promise<DecodedPacket> {
  const raw = await udpRaw(port, queryPacket(name, type, opts), opts.timeoutMs);
  if (!raw) throw new Error(`no UDP answer for ${name} ${type}`);
  return decode(raw);
}

export async function tcpQuery(port: number, name: string, type: string, opts: QueryOpts = {}): Promise<DecodedPacket> {
  const [raw] = await tcpRaw(port, [queryPacket(name, type, opts)], opts.timeoutMs);
  if (!raw) throw new Error(`no TCP answer for ${name} ${type}`);
  return decode(raw);
}

export const TC = 1 << 9;
export const RA = 1 << 7;

/** TXT data as strings, each record's chunks joined. */
export function txtOf(p: DecodedPacket): string[] {
  return (p.answers ?? [])
    .filter((a) => a.type === 'TXT')
    .map((a) => (a.data as unknown as Buffer[]).map((b) => b.toString('utf8')).join(''));
}

/** An answer's data: dns-packet's types leave it off some record kinds (OPT). */
export function dataOf(a: object | undefined): unknown {
  return (a as { data?: unknown } | undefined)?.data;
}
