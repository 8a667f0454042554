// The resolver against a hostile server written here: wrong ids, wrong questions, spoofed
// sources, garbage, truncation with a dead or pipelining TCP side. Real sockets on loopback.
import dgram from 'node:dgram';
import net from 'node:net';
import { decode, encode, type DecodedPacket, type Packet } from 'dns-packet';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsError, Resolver } from '../../../src/collect/dns/resolver.js';
import { decodeMessage, encodeQuery } from '../../../src/collect/dns/wire.js';

type Behaviour = (q: DecodedPacket, reply: (b: Buffer) => void, spoof: (b: Buffer) => void) => void;

const answer = (q: DecodedPacket, ip: string, over: Partial<Packet> = {}): Buffer => {
  const question = q.questions![0]!;
  return encode({ type: 'response', id: q.id, flags: 0x8180, questions: [question], answers: [{ type: 'A', name: question.name, ttl: 60, data: ip }], ...over });
};

// The first label of the question picks the behaviour.
const behaviours: Record<string, Behaviour> = {
  wrongid: (q, reply) => {
    reply(answer(q, '10.0.0.66', { id: (q.id! + 1) & 0xffff }));
    reply(answer(q, '10.0.0.1'));
  },
  wrongq: (q, reply) => {
    reply(encode({ type: 'response', id: q.id, flags: 0x8180, questions: [{ type: 'A', name: 'evil.test' }], answers: [{ type: 'A', name: 'evil.test', ttl: 60, data: '10.0.0.66' }] }));
    reply(answer(q, '10.0.0.2'));
  },
  spoofed: (q, reply, spoof) => {
    spoof(answer(q, '10.0.0.66'));
    setTimeout(() => reply(answer(q, '10.0.0.3')), 20);
  },
  noise: (q, reply) => {
    const b = Buffer.from('this is not dns at all, not at all');
    b.writeUInt16BE((q.id! + 7) & 0xffff, 0);
    reply(b);
  },
  refused: (q, reply) => reply(encode({ type: 'response', id: q.id, flags: 0x8180 | 5, questions: q.questions! })),
  deadtcp: (q, reply) => reply(encode({ type: 'response', id: q.id, flags: 0x8180 | (1 << 9), questions: q.questions! })),
  // A real answer with bytes after the question overwritten: odd records must not escape.
  mutated: (q, reply) => {
    const question = q.questions![0]!;
    const b = encode({
      type: 'response',
      id: q.id,
      flags: 0x8180,
      questions: [question],
      answers: [
        { type: 'CNAME', name: question.name, ttl: 60, data: 'x.example.com' },
        { type: 'MX', name: question.name, ttl: 60, data: { preference: 10, exchange: 'mx.example.com' } },
        { type: 'TXT', name: question.name, ttl: 60, data: ['v=spf1 -all'] },
        { type: 'SOA', name: question.name, ttl: 60, data: { mname: 'a.test', rname: 'b.test', serial: 1 } },
      ],
    });
    let seed = Number(question.name.split('.')[1]) + 1;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const start = 12 + question.name.length + 2 + 4;
    for (let i = 0; i < 1 + rand(6); i++) b[start + rand(b.length - start)] = rand(256);
    reply(b.subarray(0, b.length - rand(8)));
  },
  tcp: (q, reply) => reply(encode({ type: 'response', id: q.id, flags: 0x8180 | (1 << 9), questions: q.questions! })),
};

let udp: dgram.Socket;
let spoofer: dgram.Socket;
let tcp: net.Server;
let port = 0;
let tcpConnections = 0;
const resolvers: Resolver[] = [];
const make = (timeoutMs = 200): Resolver => {
  const r = new Resolver({ upstreams: [{ host: '127.0.0.1', port }], timeoutMs, retries: 0 });
  resolvers.push(r);
  return r;
};

beforeAll(async () => {
  spoofer = dgram.createSocket('udp4');
  await new Promise<void>((r) => spoofer.bind(0, '127.0.0.1', () => r()));
  // Same port for UDP and TCP, as a real server has.
  for (;;) {
    udp = dgram.createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
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
    const b = behaviours[q.questions![0]!.name.split('.')[0]!];
    b?.(
      q,
      (out) => udp.send(out, rinfo.port, rinfo.address),
      (out) => spoofer.send(out, rinfo.port, rinfo.address),
    );
  });
  tcp.on('connection', (s) => {
    tcpConnections++;
    s.on('error', () => {});
    let buf = Buffer.alloc(0);
    const queries: DecodedPacket[] = [];
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        queries.push(decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (queries[0]?.questions?.[0]?.name.startsWith('deadtcp')) return void s.destroy();
      if (queries.length < 2) return;
      // Both answers in reverse order, in one write split mid-frame: pipelining and reassembly.
      const frames = queries.reverse().map((q) => {
        const a = answer(q, '10.0.0.4');
        const f = Buffer.alloc(2 + a.length);
        f.writeUInt16BE(a.length, 0);
        a.copy(f, 2);
        return f;
      });
      const all = Buffer.concat(frames);
      s.write(all.subarray(0, 5));
      setTimeout(() => s.write(all.subarray(5)), 10);
      queries.length = 0;
    });
  });
});

afterAll(async () => {
  await Promise.all(resolvers.map((r) => r.close()));
  await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => spoofer.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
});

const ips = (a: { answers: unknown[] }): string[] => a.answers.map((x) => (x as { data: string }).data);

describe('answers that do not match the query', () => {
  it('drops a wrong id and waits for the right one', async () => {
    const r = make();
    expect(ips(await r.query('wrongid.test', 'A'))).toEqual(['10.0.0.1']);
    expect(r.stats.mismatched).toBe(1);
  });
  it('drops the right id with the wrong question', async () => {
    const r = make();
    expect(ips(await r.query('wrongq.test', 'A'))).toEqual(['10.0.0.2']);
    expect(r.stats.mismatched).toBe(1);
  });
  it('drops an answer from another source port', async () => {
    const r = make();
    // The connected socket lets the kernel drop it; were it delivered, it would be counted.
    expect(ips(await r.query('spoofed.test', 'A'))).toEqual(['10.0.0.3']);
    expect(r.stats.mismatched).toBeLessThanOrEqual(1);
  });
  it('drops garbage with an unknown id without decoding it, counting it, and times out', async () => {
    const r = make(100);
    const e = await r.query('noise.test', 'A').catch((x: unknown) => x);
    expect((e as DnsError).code).toBe('DNS_TIMEOUT');
    // An unknown id is dropped before decoding (a flood must stay cheap): unmatched, not malformed.
    expect([r.stats.mismatched, r.stats.malformed]).toEqual([1, 0]);
  });
});

describe('rcodes', () => {
  it('maps REFUSED to DNS_REFUSED, and caches it for the run', async () => {
    const r = make();
    for (let i = 0; i < 2; i++) {
      const e = await r.query('refused.test', 'NS').catch((x: unknown) => x);
      expect((e as DnsError).code).toBe('DNS_REFUSED');
    }
    expect(r.stats.udpSent).toBe(1);
  });
});

describe('truncation', () => {
  it('reports a TCP side that hangs up', async () => {
    const e = await make().query('deadtcp.test', 'A').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DnsError);
    expect((e as DnsError).code).toBe('DNS_TRUNCATED_TCP_FAILED');
  });
  it('pipelines queries on one reused connection and matches answers out of order', async () => {
    const r = make(1000);
    const before = tcpConnections;
    const [a, b] = await Promise.all([r.query('tcp.one.test', 'A'), r.query('tcp.two.test', 'A')]);
    expect([a.name, b.name]).toEqual(['tcp.one.test', 'tcp.two.test']);
    expect(ips(a)).toEqual(['10.0.0.4']);
    expect(tcpConnections - before).toBe(1);
    expect(r.stats.tcpSent).toBe(2);
  });
});

describe('decoding at the boundary', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const d = decodeMessage(Buffer.from(bytes));
        expect(typeof d.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
  it('never throws on mutated real answers', () => {
    const base = encode({
      type: 'response',
      id: 7,
      flags: 0x8180,
      questions: [{ type: 'MX', name: 'example.com' }],
      answers: [
        { type: 'MX', name: 'example.com', ttl: 60, data: { preference: 10, exchange: 'mx.example.com' } },
        { type: 'TXT', name: 'example.com', ttl: 60, data: ['v=spf1 -all'] },
        { type: 'CAA', name: 'example.com', ttl: 60, data: { flags: 0, tag: 'issue', value: 'ca.test' } },
      ],
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat(base.length), (edits, cut) => {
        const b = Buffer.from(base);
        for (const [at, v] of edits) b[at] = v;
        const d = decodeMessage(b.subarray(0, Math.max(cut, 12)));
        if (d.ok) expect(Array.isArray(d.packet.answers)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
  it('turns mutated answers into answers or DnsErrors, end to end', async () => {
    const r = make(1000);
    const types = ['A', 'MX', 'TXT', 'SOA', 'CNAME'] as const;
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        r.query(`mutated.${i}.test`, types[i % types.length]!).then(
          (a) => (Array.isArray(a.answers) ? 'answer' : 'bad'),
          (e: unknown) => (e instanceof DnsError ? e.code : 'leaked'),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'bad' || o === 'leaked')).toEqual([]);
    expect(outcomes).toContain('answer');
    expect(outcomes).toContain('DNS_MALFORMED');
  });
  it('round-trips its own queries', () => {
    const d = decodeMessage(encodeQuery(4242, 'example.com', 'CAA'));
    expect(d.ok && d.packet.id === 4242 && d.packet.questions?.[0]?.type).toBe('CAA');
  });
});
