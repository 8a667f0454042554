// Fuzz: DNS responses into the resolver. First the pure decode boundary (decodeMessage), then
// a real Resolver and gatherDns against a hostile UDP server on loopback that answers each
// query with fuzzed bytes (given the query's id, so they reach the decode path and are not
// just dropped as noise). Invariant: an answer or a DnsError with a DNS_ code, within 1 s.
import dgram from 'node:dgram';
import { encode, type Answer as PacketAnswer } from 'dns-packet';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherDns } from '../../src/collect/dns/gather.js';
import { DnsError, Resolver } from '../../src/collect/dns/resolver.js';
import { decodeMessage } from '../../src/collect/dns/wire.js';
import { decodeReply, decodeReplyWithLibrary, recordsOf, type ReplyDecoded } from '../../src/collect/dns/reply.js';
import { ERROR_CODES } from '../../src/types.js';
import { params, runs, testTimeout, timed, timedAsync } from './budget.js';

const NAME = 'fuzz.test';

/** A valid response to (id, name, type) with a bit of everything, the base for mutations. */
function validResponse(id: number, name: string, type: string, txt: string[] = ['v=spf1 -all']): Buffer {
  const answers: PacketAnswer[] = [
    { type: 'CNAME', name, ttl: 60, data: `cdn.${name}` },
    { type: 'A', name: `cdn.${name}`, ttl: 60, data: '192.0.2.1' },
    { type: 'AAAA', name, ttl: 60, data: '2001:db8::1' },
    { type: 'MX', name, ttl: 60, data: { preference: 10, exchange: `mx.${name}` } },
    { type: 'NS', name, ttl: 60, data: `ns1.${name}` },
    { type: 'TXT', name, ttl: 60, data: txt },
    { type: 'CAA', name, ttl: 60, data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } },
  ];
  return encode({
    type: 'response',
    id,
    flags: 0x8180,
    questions: [{ type: type as 'A', name, class: 'IN' }],
    answers,
    authorities: [{ type: 'SOA', name, ttl: 60, data: { mname: `ns1.${name}`, rname: `hostmaster.${name}`, serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1 } }],
  });
}

type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'extend'; bytes: Uint8Array }
  | { kind: 'counts'; section: number; count: number }
  | { kind: 'pointer'; at: number; target: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
  // Header counts (QD/AN/NS/AR) larger than the packet holds.
  fc.record({ kind: fc.constant('counts' as const), section: fc.integer({ min: 0, max: 3 }), count: fc.integer({ min: 0, max: 0xffff }) }),
  // A compression pointer anywhere, including at itself (a loop) or forward.
  fc.record({ kind: fc.constant('pointer' as const), at: fc.nat(), target: fc.nat() }),
);

/** Applies mutations after the 12-byte header id (bytes 0-1 keep the query's id). */
function mutate(base: Buffer, ms: Mutation[]): Buffer {
  let b = Buffer.from(base);
  for (const m of ms) {
    switch (m.kind) {
      case 'flip':
        if (b.length > 2) b[2 + (m.at % (b.length - 2))] = m.value;
        break;
      case 'truncate':
        b = b.subarray(0, Math.max(2, m.keep % (b.length + 1)));
        break;
      case 'extend':
        b = Buffer.concat([b, m.bytes]);
        break;
      case 'counts':
        if (b.length >= 12) b.writeUInt16BE(m.count, 4 + 2 * m.section);
        break;
      case 'pointer':
        if (b.length >= 14) {
          const at = 12 + (m.at % (b.length - 13));
          b.writeUInt16BE(0xc000 | (m.target % b.length), at);
        }
        break;
    }
  }
  return b;
}

/** A packet whose answer owner name is a compression pointer to itself: a one-step loop. */
function pointerLoop(id: number, name: string, type: string): Buffer {
  const b = validResponse(id, name, type);
  const ownerAt = 12 + (name.length + 2) + 4; // first answer's owner name, after the question
  b.writeUInt16BE(0xc000 | ownerAt, ownerAt);
  return b;
}

/** A strategy builds a reply from the query's id, name and type. */
type Reply = (id: number, name: string, type: string) => Buffer;

const replyArb: fc.Arbitrary<Reply> = fc.oneof(
  // Random bytes behind the right id.
  fc.uint8Array({ maxLength: 600 }).map((bytes) => (id: number) => {
    const b = Buffer.alloc(2 + bytes.length);
    b.writeUInt16BE(id, 0);
    Buffer.from(bytes).copy(b, 2);
    return b;
  }),
  fc.array(mutation, { minLength: 1, maxLength: 6 }).map((ms) => (id: number, name: string, type: string) => mutate(validResponse(id, name, type), ms)),
  fc.constant(pointerLoop),
  // Huge TXT: many maximal character-strings in one record (within the UDP size).
  fc.integer({ min: 1, max: 15 }).map((n) => (id: number, name: string, type: string) => validResponse(id, name, type, Array.from({ length: n }, (_, i) => String.fromCharCode(97 + i).repeat(255)))),
);

const DNS_CODES = ERROR_CODES.filter((c) => c.startsWith('DNS_'));

describe('fuzz: decodeMessage', () => {
  it('never throws on random bytes or mutated packets; ok packets have arrays', () => {
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 1500 }).map((u) => Buffer.from(u)),
      fc.array(mutation, { minLength: 1, maxLength: 8 }).map((ms) => mutate(validResponse(0x1234, NAME, 'A'), ms)),
      fc.constant(pointerLoop(1, NAME, 'A')),
    );
    fc.assert(
      fc.property(input, (buf) => {
        const d = timed('decodeMessage', () => decodeMessage(buf));
        if (d.ok) {
          expect(Array.isArray(d.packet.answers)).toBe(true);
          expect(Array.isArray(d.packet.questions)).toBe(true);
        } else if (buf.length >= 2) {
          expect(d.id).toBe(buf.readUInt16BE(0));
        }
      }),
      params(2000),
    );
  });
});

/** Every record type the one-pass decoder takes itself, plus glue and an EDNS record. */
function richResponse(id: number, name: string, type: string): Buffer {
  return encode({
    type: 'response',
    id,
    flags: 0x8180,
    questions: [{ type: type as 'A', name, class: 'IN' }],
    answers: [
      { type: 'CNAME', name: name.toUpperCase(), ttl: 60, data: `CDN.${name}.` },
      { type: 'A', name: `cdn.${name}`, ttl: 60, data: '192.0.2.1' },
      { type: 'AAAA', name, ttl: 60, data: '2001:db8::1' },
      { type: 'MX', name, ttl: 60, data: { preference: 10, exchange: `Mx.${name}` } },
      { type: 'NS', name, ttl: 60, flush: true, data: `ns1.${name}` },
      { type: 'TXT', name, ttl: 60, data: ['v=spf1 -all', '', 'z'.repeat(40)] },
      { type: 'CAA', name, ttl: 60, data: { flags: 128, tag: 'issue', value: 'letsencrypt.org' } },
      { type: 'SRV', name: `_sip._tcp.${name}`, ttl: 60, data: { priority: 1, weight: 2, port: 5060, target: `sip.${name}` } },
      { type: 'PTR', name, ttl: 60, data: `host.${name}` },
      { type: 'DNAME', name, ttl: 60, data: `other.${name}` },
    ],
    authorities: [{ type: 'SOA', name, ttl: 60, data: { mname: `ns1.${name}`, rname: `host\\.master.${name}`, serial: 7, refresh: 1, retry: 2, expire: 3, minimum: 4 } }],
    additionals: [
      { type: 'A', name: `ns1.${name}`, ttl: 60, data: '192.0.2.53' },
      { type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] },
    ],
  });
}

/** What the resolver reads of a decoding: the header facts, and the records or the failure to read them. */
function view(d: ReplyDecoded): unknown {
  if (!d.ok) return d;
  const { id, response, tc, rcode, qdcount, qname, qtype } = d.reply;
  let records: unknown;
  try {
    records = recordsOf(d.reply, 3);
  } catch {
    records = 'unusable';
  }
  return { id, response, tc, rcode, qdcount, qname, qtype, records };
}

describe('fuzz: the one-pass decoder reads every packet exactly as dns-packet does', () => {
  it('takes the common packet itself', () => {
    const d = decodeReply(richResponse(7, NAME, 'A'), 3);
    expect(d.ok && d.reply.packet).toBe(undefined);
    expect(view(d)).toEqual(view(decodeReplyWithLibrary(richResponse(7, NAME, 'A'))));
  });

  it('same header, records (capped) or failure, on random bytes and mutated packets', () => {
    let fast = 0;
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((u) => Buffer.from(u)),
      fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => mutate(richResponse(0x1234, NAME, 'A'), ms)),
      fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => mutate(validResponse(0x4321, NAME, 'TXT'), ms)),
    );
    fc.assert(
      fc.property(input, (buf) => {
        const ours = decodeReply(buf, 3);
        if (ours.ok && !ours.reply.packet) fast++;
        expect(view(ours)).toEqual(view(decodeReplyWithLibrary(buf)));
      }),
      params(3000),
    );
    // The comparison means something only if the one-pass path took part.
    expect(fast).toBeGreaterThan(50);
  });
});

describe('fuzz: Resolver against a hostile UDP server', () => {
  let server: dgram.Socket;
  let port = 0;
  let current: Reply = (id, name, type) => validResponse(id, name, type);
  const open: Resolver[] = [];

  beforeAll(async () => {
    server = dgram.createSocket('udp4');
    server.on('message', (msg, rinfo) => {
      if (msg.length < 12) return;
      const id = msg.readUInt16BE(0);
      // The question name as asked, read plainly (our own queries carry no compression).
      const labels: string[] = [];
      let at = 12;
      for (let i = 0; i < 128 && at < msg.length; i++) {
        const len = msg[at]!;
        if (len === 0) break;
        labels.push(msg.subarray(at + 1, at + 1 + len).toString('latin1'));
        at += 1 + len;
      }
      const qtype = at + 3 <= msg.length ? msg.readUInt16BE(at + 1) : 1;
      const types: Record<number, string> = { 1: 'A', 28: 'AAAA', 5: 'CNAME', 2: 'NS', 15: 'MX', 16: 'TXT', 6: 'SOA', 257: 'CAA', 33: 'SRV' };
      let out: Buffer;
      try {
        out = current(id, labels.join('.'), types[qtype] ?? 'A');
      } catch {
        out = Buffer.from([id >> 8, id & 0xff]);
      }
      server.send(out, rinfo.port, rinfo.address);
    });
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    port = server.address().port;
  });

  afterAll(async () => {
    await Promise.all(open.map((r) => r.close()));
    await new Promise<void>((r) => server.close(() => r()));
  });

  const make = (): Resolver => {
    // Short timeout, one retry: a dropped reply costs 40 + 80 ms.
    const r = new Resolver({ upstreams: [{ host: '127.0.0.1', port }], timeoutMs: 40, retries: 1 });
    open.push(r);
    return r;
  };

  const n1 = runs(60, 0.05);
  it(
    'query(): an answer or a DnsError with a DNS_ code, never anything else',
    async () => {
      const seen = { answers: 0, errors: 0 };
      await fc.assert(
        fc.asyncProperty(replyArb, fc.constantFrom('A', 'AAAA', 'MX', 'TXT', 'NS', 'SOA', 'CAA', 'CNAME') as fc.Arbitrary<'A'>, async (reply, type) => {
          current = reply;
          const r = make();
          try {
            const out = await timedAsync('query', () => r.query(NAME, type).then((a) => a, (e: unknown) => e));
            if (out instanceof Error) {
              seen.errors++;
              expect(out).toBeInstanceOf(DnsError);
              expect(DNS_CODES).toContain((out as DnsError).code);
            } else {
              seen.answers++;
              const ok = out as { rcode: string; answers: { name: unknown }[] };
              expect(['NOERROR', 'NXDOMAIN']).toContain(ok.rcode);
              expect(ok.answers.length).toBeLessThanOrEqual(256);
              for (const a of ok.answers) expect(typeof a.name).toBe('string');
            }
          } finally {
            await r.close();
          }
        }),
        { ...params(60, 0.05), numRuns: n1 },
      );
      // The generators reach both outcomes: the fuzz is not all noise nor all valid.
      expect(seen.answers).toBeGreaterThan(0);
      expect(seen.errors).toBeGreaterThan(0);
    },
    testTimeout(n1, 300),
  );

  const n2 = runs(15, 0.01);
  it(
    'gatherDns(): never throws; errors are coded DNS_ errors on the dns stage',
    async () => {
      await fc.assert(
        fc.asyncProperty(replyArb, async (reply) => {
          current = reply;
          const r = make();
          try {
            const { dns, errors } = await timedAsync('gatherDns', () => gatherDns(NAME, r));
            for (const e of errors) {
              expect(e.stage).toBe('dns');
              expect(DNS_CODES).toContain(e.code);
            }
            for (const t of [...dns.txt, ...dns.dmarc]) expect(t.length).toBeLessThanOrEqual(4096);
            expect(dns.txt.length).toBeLessThanOrEqual(64);
          } finally {
            await r.close();
          }
        }),
        { ...params(15, 0.01), numRuns: n2 },
      );
    },
    testTimeout(n2, 1500),
  );
});
