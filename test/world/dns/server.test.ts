// The world's DNS server spoken to over real UDP and TCP on loopback with a raw client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from 'dns-packet';
import { startDnsServer } from '../../../src/world/dns/server.js';
import type { DnsServerHandle } from '../../../src/world/running.js';
import type { World } from '../../../src/world/types.js';
import { RA, TC, dataOf, queryPacket, tcpQuery, tcpRaw, txtOf, udpQuery, udpRaw, udpUntil } from '../../helpers/dnswire.js';

const chunk = (i: number): string => `"token-${i}-${'x'.repeat(50)}"`;
const WORLD: World = {
  world: 1,
  asns: [
    { asn: 16509, name: 'AMAZON-02', country: 'US', prefixes: ['127.16.0.0/16', '2600:1f00::/24'] },
    { asn: 4134, name: 'CHINANET-BACKBONE', country: 'CN', registry: 'apnic', allocated: '2002-10-08', prefixes: ['127.40.0.0/16'] },
  ],
  zones: {
    'example.com': [
      '@ SOA ns1 hostmaster ( 2024010101 7200 3600 1209600 300 )',
      '@ NS ns1.example.com.',
      '@ NS ns2.example.net.',
      '@ A 127.16.0.10',
      '@ AAAA 2600:1f00::10',
      '@ MX 10 mx.example.com.',
      '@ MX 20 backup.mx.example.net.',
      '@ TXT "v=spf1 include:spf.protection.outlook.com -all"',
      '@ TXT "a \\"quoted\\" word; not a comment" "two\\0591"',
      '@ CAA 0 issue "letsencrypt.org"',
      '_sip._tcp SRV 10 60 5060 sip',
      'www CNAME cdn.cdnprovider.net.',
      'loop1 CNAME loop2',
      'loop2 CNAME loop1',
      'ns1 A 127.16.0.53',
      'deep.sub A 127.16.0.11',
      // ~740 bytes of TXT: over 512, under 1232.
      ...Array.from({ length: 12 }, (_, i) => `mid TXT ${chunk(i)}`),
      // ~1850 bytes: over 1232.
      ...Array.from({ length: 30 }, (_, i) => `big TXT ${chunk(i)}`),
      'nx A 127.16.0.1',
      'nx.below A 127.16.0.1',
      'timeout A 127.16.0.1',
      'trunc A 127.16.0.1',
      'mal A 127.16.0.1',
    ],
    'cdnprovider.net': ['cdn CNAME edge', 'edge A 127.16.0.20', 'edge A 127.16.0.21'],
    'servfail.test': ['@ A 127.16.0.1', 'www A 127.16.0.2'],
  },
  faults: {
    'servfail.test': 'dns-servfail',
    'nx.example.com': 'dns-nxdomain',
    'timeout.example.com': 'dns-timeout',
    'trunc.example.com': 'dns-truncate',
    'mal.example.com': 'dns-malformed',
  },
};

let dns: DnsServerHandle;
let port: number;
beforeAll(async () => {
  dns = await startDnsServer(WORLD);
  port = dns.port;
});
afterAll(async () => {
  await dns?.close();
});

const data = (p: { answers?: Array<{ type: string; data?: unknown }> }, type: string): unknown[] =>
  (p.answers ?? []).filter((a) => a.type === type).map((a) => a.data);

describe('record types over UDP', () => {
  it('A, AAAA with RA set and the question echoed', async () => {
    const a = await udpQuery(port, 'Example.COM', 'A');
    expect(a.rcode).toBe('NOERROR');
    expect(a.flags! & RA).toBe(RA);
    expect(a.flag_ra).toBe(true);
    expect(a.questions?.[0]?.name.toLowerCase()).toBe('example.com');
    expect(data(a, 'A')).toEqual(['127.16.0.10']);
    const aaaa = await udpQuery(port, 'example.com.', 'AAAA');
    expect(data(aaaa, 'AAAA')).toEqual(['2600:1f00::10']);
  });

  it('MX, NS, SOA, CAA, SRV', async () => {
    expect(data(await udpQuery(port, 'example.com', 'MX'), 'MX')).toEqual([
      { preference: 10, exchange: 'mx.example.com' },
      { preference: 20, exchange: 'backup.mx.example.net' },
    ]);
    expect(data(await udpQuery(port, 'example.com', 'NS'), 'NS')).toEqual(['ns1.example.com', 'ns2.example.net']);
    expect(data(await udpQuery(port, 'example.com', 'SOA'), 'SOA')).toEqual([
      { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 2024010101, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 },
    ]);
    expect(data(await udpQuery(port, 'example.com', 'CAA'), 'CAA')).toEqual([
      expect.objectContaining({ flags: 0, tag: 'issue', value: 'letsencrypt.org' }),
    ]);
    expect(data(await udpQuery(port, '_sip._tcp.example.com', 'SRV'), 'SRV')).toEqual([
      { priority: 10, weight: 60, port: 5060, target: 'sip.example.com' },
    ]);
  });

  it('TXT with quoted and escaped strings, chunks kept apart', async () => {
    const p = await udpQuery(port, 'example.com', 'TXT');
    const chunks = data(p, 'TXT').map((d) => (d as Buffer[]).map((b) => b.toString()));
    expect(chunks).toEqual([['v=spf1 include:spf.protection.outlook.com -all'], ['a "quoted" word; not a comment', 'two;1']]);
  });

  it('follows a CNAME chain across zones and includes the target records', async () => {
    const p = await udpQuery(port, 'www.example.com', 'A');
    expect(p.rcode).toBe('NOERROR');
    expect((p.answers ?? []).map((a) => `${a.name} ${a.type} ${String(dataOf(a))}`)).toEqual([
      'www.example.com CNAME cdn.cdnprovider.net',
      'cdn.cdnprovider.net CNAME edge.cdnprovider.net',
      'edge.cdnprovider.net A 127.16.0.20',
      'edge.cdnprovider.net A 127.16.0.21',
    ]);
    // Asking for the CNAME itself gives just the first hop.
    expect(data(await udpQuery(port, 'www.example.com', 'CNAME'), 'CNAME')).toEqual(['cdn.cdnprovider.net']);
  });

  it('a CNAME loop ends, showing the loop', async () => {
    const p = await udpQuery(port, 'loop1.example.com', 'A');
    expect(data(p, 'CNAME')).toEqual(['loop2.example.com', 'loop1.example.com']);
  });
});

describe('negative answers', () => {
  it('NXDOMAIN with the zone SOA in authority', async () => {
    const p = await udpQuery(port, 'nope.example.com', 'A');
    expect(p.rcode).toBe('NXDOMAIN');
    expect(p.answers).toEqual([]);
    expect(p.authorities?.map((a) => [a.name, a.type, (a as { ttl?: number }).ttl])).toEqual([['example.com', 'SOA', 300]]);
  });

  it('NODATA: NOERROR, no answers, SOA in authority; also for an empty non-terminal', async () => {
    for (const name of ['mx.example.com.invalid-not', 'ns1.example.com', 'sub.example.com']) {
      const p = await udpQuery(port, name, 'MX');
      if (name.endsWith('invalid-not')) {
        expect(p.rcode).toBe('NXDOMAIN'); // under no zone
        continue;
      }
      expect(p.rcode).toBe('NOERROR');
      expect(p.answers).toEqual([]);
      expect(p.authorities?.map((a) => a.type)).toEqual(['SOA']);
    }
  });

  it('a name under no zone is NXDOMAIN', async () => {
    const p = await udpQuery(port, 'www.unknown-zone.org', 'A');
    expect(p.rcode).toBe('NXDOMAIN');
    expect(p.answers).toEqual([]);
  });
});

describe('EDNS0 and truncation', () => {
  it('echoes an OPT record when the query has one, and none otherwise', async () => {
    const withOpt = await udpQuery(port, 'example.com', 'A', { edns: 1232 });
    const opt = withOpt.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    expect(opt?.udpPayloadSize).toBe(1232);
    const without = await udpQuery(port, 'example.com', 'A');
    expect(without.additionals?.some((a) => a.type === 'OPT')).toBe(false);
  });

  it('sets TC over 512 bytes without EDNS; the same answer fits with EDNS 1232', async () => {
    const plain = await udpQuery(port, 'mid.example.com', 'TXT');
    expect(plain.flags! & TC).toBe(TC);
    expect(plain.answers).toEqual([]);
    const edns = await udpQuery(port, 'mid.example.com', 'TXT', { edns: 1232 });
    expect(edns.flags! & TC).toBe(0);
    expect(txtOf(edns)).toHaveLength(12);
    // Too small an advertised size counts as 512.
    const tiny = await udpQuery(port, 'mid.example.com', 'TXT', { edns: 100 });
    expect(tiny.flags! & TC).toBe(TC);
  });

  it('caps the client size at 1232: a bigger answer is truncated even when 4096 is offered', async () => {
    const raw = await udpRaw(port, queryPacket('big.example.com', 'TXT', { edns: 4096 }));
    expect(raw!.length).toBeLessThanOrEqual(1232);
    const p = decode(raw!);
    expect(p.flags! & TC).toBe(TC);
    const full = await tcpQuery(port, 'big.example.com', 'TXT', { edns: 4096 });
    expect(full.flags! & TC).toBe(0);
    expect(txtOf(full)).toHaveLength(30);
  });

  it('TCP answers several pipelined queries on one connection, in order', async () => {
    const replies = await tcpRaw(port, [
      queryPacket('example.com', 'A', { id: 1 }),
      queryPacket('big.example.com', 'TXT', { id: 2 }),
      queryPacket('example.com', 'MX', { id: 3 }),
    ]);
    expect(replies.map((r) => decode(r).id)).toEqual([1, 2, 3]);
    expect(txtOf(decode(replies[1]!))).toHaveLength(30);
  });
});

describe('Team Cymru answers', () => {
  it('origin (IPv4) and AS name', async () => {
    const o = await udpQuery(port, '10.0.16.127.origin.asn.cymru.com', 'TXT');
    expect(txtOf(o)).toEqual(['16509 | 127.16.0.0/16 | US | arin | 2020-01-01']);
    const c = await udpQuery(port, '5.0.40.127.origin.asn.cymru.com', 'TXT');
    expect(txtOf(c)).toEqual(['4134 | 127.40.0.0/16 | CN | apnic | 2002-10-08']);
    const n = await udpQuery(port, 'AS16509.asn.cymru.com', 'TXT');
    expect(txtOf(n)).toEqual(['16509 | US | arin | 2020-01-01 | AMAZON-02, US']);
  });

  it('origin6 (IPv6, nibbles)', async () => {
    // 2600:1f00::1 → 32 nibbles reversed
    const nibbles = '2600' + '1f00' + '0'.repeat(23) + '1';
    const name = `${[...nibbles].reverse().join('.')}.origin6.asn.cymru.com`;
    const p = await udpQuery(port, name, 'TXT');
    expect(txtOf(p)).toEqual(['16509 | 2600:1f00::/24 | US | arin | 2020-01-01']);
  });

  it('unknown address or AS → NXDOMAIN', async () => {
    expect((await udpQuery(port, '1.0.0.10.origin.asn.cymru.com', 'TXT')).rcode).toBe('NXDOMAIN');
    expect((await udpQuery(port, 'AS64512.asn.cymru.com', 'TXT')).rcode).toBe('NXDOMAIN');
  });
});

describe('faults, for every name at or under the key', () => {
  it('dns-servfail on a zone key', async () => {
    for (const name of ['servfail.test', 'www.servfail.test', 'x.y.servfail.test']) {
      const p = await udpQuery(port, name, 'A');
      expect(p.rcode).toBe('SERVFAIL');
      expect(p.answers).toEqual([]);
    }
  });

  it('dns-nxdomain on a host key, with SOA, also below it; a sibling is unaffected', async () => {
    for (const name of ['nx.example.com', 'nx.below.example.com'.replace('nx.below', 'below.nx')]) {
      const p = await udpQuery(port, name, 'A');
      expect(p.rcode).toBe('NXDOMAIN');
      expect(p.authorities?.map((a) => a.type)).toEqual(['SOA']);
    }
    expect((await udpQuery(port, 'nx.below.example.com', 'A')).rcode).toBe('NOERROR');
  });

  it('dns-timeout: no answer over UDP or TCP', async () => {
    expect(await udpRaw(port, queryPacket('timeout.example.com', 'A'), 300)).toBeUndefined();
    expect(await udpRaw(port, queryPacket('a.timeout.example.com', 'MX'), 300)).toBeUndefined();
    expect(await tcpRaw(port, [queryPacket('timeout.example.com', 'A')], 300)).toEqual([]);
  });

  it('dns-truncate: UDP carries TC and no records, TCP the full answer', async () => {
    const u = await udpQuery(port, 'trunc.example.com', 'A', { edns: 1232 });
    expect(u.flags! & TC).toBe(TC);
    expect(u.answers).toEqual([]);
    const t = await tcpQuery(port, 'trunc.example.com', 'A');
    expect(t.flags! & TC).toBe(0);
    expect(data(t, 'A')).toEqual(['127.16.0.1']);
  });

  it('dns-malformed: bytes with the query id that do not decode', async () => {
    const raw = await udpRaw(port, queryPacket('mal.example.com', 'A', { id: 4242 }));
    expect(raw).toBeDefined();
    expect(raw!.readUInt16BE(0)).toBe(4242);
    expect(() => decode(raw!)).toThrow();
    const [tcp] = await tcpRaw(port, [queryPacket('x.mal.example.com', 'A', { id: 77 })]);
    expect(tcp!.readUInt16BE(0)).toBe(77);
    expect(() => decode(tcp!)).toThrow();
  });
});

describe('hostile queries', () => {
  it('garbage never crashes the server; it keeps answering', async () => {
    const junk = [
      Buffer.alloc(0),
      Buffer.from([1, 2, 3]),
      Buffer.alloc(12, 0xff),
      Buffer.concat([queryPacket('example.com', 'A').subarray(0, 20)]),
      Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 255)),
    ];
    for (let i = 0; i < 50; i++) junk.push(Buffer.from(Array.from({ length: 12 + ((i * 7) % 80) }, (_, j) => (i * 31 + j * 17) & 255)));
    // Waits on events, not on time (the machine may be busy): every datagram goes from one
    // socket, then a real query; its answer arriving means all the junk before it was handled.
    const idOf = (b: Buffer): number => (b.length >= 2 ? b.readUInt16BE(0) : -1);
    const replies = await udpUntil(port, [...junk, queryPacket('example.com', 'A', { id: 4242 })], (b) => idOf(b) === 4242);
    expect(data(decode(replies.at(-1)!), 'A')).toEqual(['127.16.0.10']);
    // TCP likewise, on one connection: it ends with the real answer or with the server hanging up.
    await tcpRaw(port, [...junk.filter((j) => j.length > 0), queryPacket('example.com', 'A', { id: 4243 })]);
    // A header-only FORMERR for a header that parses but a body that does not.
    const bad = Buffer.concat([queryPacket('example.com', 'A', { id: 9 }).subarray(0, 12), Buffer.from([0xc0, 0xff, 0, 1])]);
    const reply = await udpRaw(port, bad);
    expect(reply && decode(reply).rcode).toBe('FORMERR');
    // A response is never answered (no reflection loops): the first reply is the query's after it.
    const resp = Buffer.from(queryPacket('example.com', 'A', { id: 4244 }));
    resp[2] = resp[2]! | 0x80;
    const [first] = await udpUntil(port, [resp, queryPacket('example.com', 'A', { id: 4245 })], (b) => idOf(b) === 4245);
    expect(idOf(first!)).toBe(4245);
    expect(data(await udpQuery(port, 'example.com', 'A'), 'A')).toEqual(['127.16.0.10']);
    expect(data(await tcpQuery(port, 'example.com', 'A'), 'A')).toEqual(['127.16.0.10']);
  });
});

describe('latency', () => {
  it('latencyMs delays every answer, UDP and TCP', async () => {
    const slow = await startDnsServer({ ...WORLD, latencyMs: 150 });
    try {
      let t0 = performance.now();
      expect(data(await udpQuery(slow.port, 'example.com', 'A'), 'A')).toEqual(['127.16.0.10']);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
      t0 = performance.now();
      expect((await tcpQuery(slow.port, 'example.com', 'A')).rcode).toBe('NOERROR');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
      // The same world at 0 answers fast.
      t0 = performance.now();
      await udpQuery(port, 'example.com', 'A');
      expect(performance.now() - t0).toBeLessThan(140);
    } finally {
      await slow.close();
    }
  });
});

describe('respond (pure) on random and mutated bytes', () => {
  it('never throws', async () => {
    const fc = await import('fast-check');
    const { compileDnsWorld, respond } = await import('../../../src/world/dns/server.js');
    const w = compileDnsWorld(WORLD);
    const base = queryPacket('www.example.com', 'A', { edns: 1232 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        respond(w, Buffer.from(bytes), 'udp');
        respond(w, Buffer.from(bytes), 'tcp');
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), (edits) => {
        const b = Buffer.from(base);
        for (const [i, v] of edits) b[i] = v;
        b[2] = b[2]! & 0x7f; // keep it a query so it goes through answerQuery
        respond(w, b, 'udp');
      }),
      { numRuns: 1000 },
    );
  });
});
