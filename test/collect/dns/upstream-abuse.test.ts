// An upstream that abuses the resolver's shared transports (issue 19, item 3): a TCP answer that
// announces 65,535 bytes, sends 100 and stops, must not swallow every later answer on the
// connection; a flood of well-formed answers with wrong ids must cost a bounded amount.
// Real sockets on loopback; the server is written here.
import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';
import { decode, encode, type DecodedPacket } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsError, Resolver } from '../../../src/collect/dns/resolver.js';
import { TcpExchange } from '../../../src/collect/dns/channel.js';
import { MAX_RECORDS, recordsOf, type Reply } from '../../../src/collect/dns/reply.js';

const answer = (q: DecodedPacket, ip: string, id = q.id!): Buffer =>
  encode({ type: 'response', id, flags: 0x8180, questions: [q.questions![0]!], answers: [{ type: 'A', name: q.questions![0]!.name, ttl: 60, data: ip }] });
const frame = (b: Buffer): Buffer => Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);

let udp: dgram.Socket;
let tcp: net.Server;
let port = 0;
let tcpConnections = 0;
/** Resolves when the flood (started by the first flood.* query) has been sent in full. */
let flooded: Promise<void> | undefined;
const FLOOD = 20_000;
const resolvers: Resolver[] = [];

function startFlood(to: dgram.RemoteInfo): Promise<void> {
  // Paced in small batches so the kernel does not drop it: every packet reaches the resolver's
  // port unless that port is gone.
  const junk = answer({ id: 0, questions: [{ type: 'A', name: 'junk.test' }] } as DecodedPacket, '10.6.6.6');
  return new Promise((resolve) => {
    let sent = 0;
    const batch = (): void => {
      for (let i = 0; i < 50 && sent < FLOOD; i++, sent++) {
        const b = Buffer.from(junk);
        b.writeUInt16BE((sent * 7919) & 0xffff, 0);
        udp.send(b, to.port, to.address);
      }
      if (sent < FLOOD) setTimeout(batch, 1);
      else resolve();
    };
    batch();
  });
}

beforeAll(async () => {
  for (;;) {
    udp = dgram.createSocket({ type: 'udp4', sendBufferSize: 4 << 20 });
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');
    port = udp.address().port;
    tcp = net.createServer();
    const ok = await new Promise<boolean>((r) => {
      tcp.once('error', () => r(false));
      tcp.listen(port, '127.0.0.1', () => r(true));
    });
    if (ok) break;
    udp.close();
  }
  udp.on('message', (msg, rinfo) => {
    const q = decode(msg);
    const name = q.questions![0]!.name;
    if (name.startsWith('tcp.')) {
      // Truncated: ask again over TCP.
      return void udp.send(encode({ type: 'response', id: q.id, flags: 0x8180 | (1 << 9), questions: q.questions! }), rinfo.port, rinfo.address);
    }
    if (name.startsWith('flood.') && !flooded) flooded = startFlood(rinfo);
    udp.send(answer(q, '10.0.0.1'), rinfo.port, rinfo.address);
  });
  tcp.on('connection', (s) => {
    tcpConnections++;
    s.on('error', () => {});
    let buf = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const q = decode(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        // tcp.stall.*: announce a maximal frame, send 100 bytes of it, and fall silent.
        if (q.questions![0]!.name.startsWith('tcp.stall')) s.write(Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.alloc(100, 0x41)]));
        else s.write(frame(answer(q, '10.0.0.4')));
      }
    });
  });
});

afterAll(async () => {
  await Promise.all(resolvers.map((r) => r.close()));
  udp.close();
  tcp.close();
});

const make = (timeoutMs: number): Resolver => {
  const r = new Resolver({ upstreams: [{ host: '127.0.0.1', port }], timeoutMs, retries: 0 });
  resolvers.push(r);
  return r;
};
const ips = (a: { answers?: unknown[] }): string[] => (a.answers ?? []).map((x) => (x as { data: string }).data);

describe('a TCP answer that stalls mid-frame', () => {
  it('times out alone: the connection is replaced and later TCP answers arrive', async () => {
    const r = make(300);
    const before = tcpConnections;
    const e = await r.query('tcp.stall.test', 'A').catch((x: unknown) => x);
    expect((e as DnsError).code).toBe('DNS_TRUNCATED_TCP_FAILED');
    // Before the fix these were read as the rest of the stalled frame, and timed out too.
    for (const n of ['tcp.one.test', 'tcp.two.test', 'tcp.three.test']) expect(ips(await r.query(n, 'A'))).toEqual(['10.0.0.4']);
    expect(tcpConnections - before).toBe(2);
    expect(r.stats.resets).toBe(1);
  });

  it('queries pipelined behind the stalled one are sent again on the new connection', async () => {
    // The transport itself, so the two queries can have different deadlines.
    const stats = { udpSent: 0, tcpSent: 0, mismatched: 0, malformed: 0, timeouts: 0, resets: 0 };
    const t = new TcpExchange({ host: '127.0.0.1', port }, stats);
    try {
      const ask = (name: string, ms: number) => new Promise<Reply>((resolve, reject) => t.exchange(name, 'A', ms, (e, reply) => (e ? reject(e) : resolve(reply!))));
      const stalled = ask('tcp.stall.two.test', 300).catch((x: unknown) => x);
      const behind = ask('tcp.behind.test', 20_000).then((reply) => recordsOf(reply, MAX_RECORDS));
      expect(((await stalled) as DnsError).code).toBe('DNS_TRUNCATED_TCP_FAILED');
      expect(ips(await behind)).toEqual(['10.0.0.4']);
      expect([stats.resets, stats.tcpSent]).toEqual([1, 3]);
    } finally {
      await t.close();
    }
  });
});

describe('a flood of well-formed answers with wrong ids', () => {
  it('costs a bounded number of packets: past the budget the socket is replaced and the flood lands on a closed port', async () => {
    const r = make(5000);
    expect(ips(await r.query('flood.test', 'A'))).toEqual(['10.0.0.1']);
    await flooded;
    // Let what was sent reach the socket (or the closed port): a query answered after the flood
    // was sent in full comes after every flood packet on this path.
    expect(ips(await r.query('after.test', 'A'))).toEqual(['10.0.0.1']);
    expect(r.stats.resets).toBeGreaterThanOrEqual(1);
    // Before the fix, every one of the 20,000 packets was decoded and counted.
    expect(r.stats.mismatched).toBeLessThan(2_000);
    expect(r.stats.malformed).toBe(0);
  });
});
