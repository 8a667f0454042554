// The resolver against the world's DNS server: real UDP and TCP on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followChain } from '../../../src/collect/dns/chain.js';
import { DnsError, Resolver, parseResolvConf, parseUpstream, queryName, type QueryType } from '../../../src/collect/dns/resolver.js';
import { startDnsServer } from '../../../src/world/dns/server.js';
import type { DnsServerHandle } from '../../../src/world/running.js';
import { testWorld } from './world.js';

let server: DnsServerHandle;
const resolvers: Resolver[] = [];
const make = (o: Partial<ConstructorParameters<typeof Resolver>[0]> = {}): Resolver => {
  const r = new Resolver({ upstreams: [{ host: server.host, port: server.port }], timeoutMs: 2000, retries: 1, ...o });
  resolvers.push(r);
  return r;
};
const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof DnsError ? e.code : `not a DnsError: ${String(e)}`),
  );

beforeAll(async () => {
  server = await startDnsServer(testWorld);
});
afterAll(async () => {
  await Promise.all(resolvers.map((r) => r.close()));
  await server.close();
});

describe('parseUpstream', () => {
  it('reads address and port forms', () => {
    expect(parseUpstream('1.2.3.4')).toEqual({ host: '1.2.3.4', port: 53 });
    expect(parseUpstream('1.2.3.4:5353')).toEqual({ host: '1.2.3.4', port: 5353 });
    expect(parseUpstream('[::1]:53')).toEqual({ host: '::1', port: 53 });
    expect(parseUpstream('::1')).toEqual({ host: '::1', port: 53 });
  });
  it.each(['', 'dns.google', '1.2.3.4:0', '1.2.3.4:99999', '1.2.3.4:x', '[::1', '[::1]x', '300.1.1.1'])('rejects %j with a clear message', (s) => {
    expect(() => parseUpstream(s)).toThrow(/invalid resolver/);
  });
  it('reads nameservers from resolv.conf text', () => {
    const text = '# comment\nnameserver 10.0.0.1\noptions ndots:1\nnameserver fe80::1%eth0\nnameserver bogus\nsearch x\n';
    expect(parseResolvConf(text)).toEqual([
      { host: '10.0.0.1', port: 53 },
      { host: 'fe80::1%eth0', port: 53 },
    ]);
  });
});

describe('Resolver against a world', () => {
  it.each<[QueryType, string, unknown]>([
    ['A', 'example.com', ['127.16.0.10', '127.16.0.9']],
    ['AAAA', 'example.com', ['2001:db8::10']],
    ['NS', 'example.com', ['ns1.example.com', 'ns2.dns-host.net']],
    ['CNAME', 'www.example.com', ['edge.cdn.net']],
  ])('answers %s %s', async (type, name, want) => {
    const a = await make().query(name, type);
    expect(a.rcode).toBe('NOERROR');
    const got = a.answers.filter((x) => x.type === type && x.name === name).map((x) => (x as { data: string }).data);
    expect(got.sort()).toEqual(want);
  });

  it('answers MX, TXT, SOA, CAA and SRV with their data', async () => {
    const r = make();
    const [mx, txt, soa, caa, srv] = await Promise.all([
      r.query('example.com', 'MX'),
      r.query('example.com', 'TXT'),
      r.query('example.com', 'SOA'),
      r.query('example.com', 'CAA'),
      r.query('_sip._tcp.example.com', 'SRV'),
    ]);
    expect(mx.answers.map((x) => (x.type === 'MX' ? `${x.data.preference} ${x.data.exchange}` : '')).sort()).toEqual(['10 mail.example.com', '20 mx.mailvendor.net']);
    expect(txt.answers).toHaveLength(2);
    expect(soa.answers[0]?.type === 'SOA' && soa.answers[0].data.mname).toBe('ns1.example.com');
    expect(caa.answers.map((x) => (x.type === 'CAA' ? `${x.data.tag}=${x.data.value}` : '')).sort()).toEqual(['iodef=mailto:sec@example.com', 'issue=letsencrypt.org']);
    expect(srv.answers[0]?.type === 'SRV' && srv.answers[0].data.target).toBe('sip.example.com');
  });

  it('returns NXDOMAIN and NODATA as answers, not errors', async () => {
    const r = make();
    expect((await r.query('nothere.example.com', 'A')).rcode).toBe('NXDOMAIN');
    const nodata = await r.query('mail.example.com', 'AAAA');
    expect(nodata.rcode).toBe('NOERROR');
    expect(nodata.answers).toEqual([]);
    expect(nodata.authorities.some((x) => x.type === 'SOA')).toBe(true);
  });

  it('caches by (name, type), negative answers too, and coalesces identical queries in flight', async () => {
    const r = make();
    const [a, b] = await Promise.all([r.query('example.com', 'A'), r.query('EXAMPLE.com.', 'A')]);
    expect(a).toBe(b);
    await r.query('nothere.example.com', 'A');
    await r.query('nothere.example.com', 'A');
    expect(r.stats.udpSent).toBe(2);
    expect(r.stats.cacheHits).toBe(2);
    await r.query('example.com', 'AAAA');
    expect(r.stats.udpSent).toBe(3);
  });

  it('maps each DNS fault to its code', async () => {
    const r = make({ timeoutMs: 100, retries: 1 });
    const slow = make(); // answers on a loaded machine must not time out
    expect(await codeOf(slow.query('servfail.test', 'A'))).toBe('DNS_SERVFAIL');
    expect((await slow.query('nx.test', 'A')).rcode).toBe('NXDOMAIN');
    expect(await codeOf(slow.query('malformed.test', 'A'))).toBe('DNS_MALFORMED');
    const t0 = performance.now();
    expect(await codeOf(r.query('timeout.test', 'A'))).toBe('DNS_TIMEOUT');
    // Two attempts: 100 ms, then 200 ms with backoff.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    expect(r.stats.timeouts).toBe(2);
    expect(slow.stats.malformed).toBe(1);
  });

  it('asks again over TCP when the UDP answer is truncated', async () => {
    const r = make();
    const [txt, a] = await Promise.all([r.query('trunc.test', 'TXT'), r.query('trunc.test', 'A')]);
    expect(txt.answers.filter((x) => x.type === 'TXT')).toHaveLength(12);
    expect(a.answers.map((x) => (x as { data: string }).data)).toEqual(['127.22.0.2']);
    expect(r.stats.truncated).toBe(2);
    expect(r.stats.tcpSent).toBe(2);
  });

  it('passes SERVFAIL on to the next upstream', async () => {
    const other = await startDnsServer({ world: 1, zones: { 'servfail.test': ['@ A 127.99.0.1'] } });
    try {
      const r = make({ upstreams: [server, other].map((s) => ({ host: s.host, port: s.port })) });
      const a = await r.query('servfail.test', 'A');
      expect(a.answers.map((x) => (x as { data: string }).data)).toEqual(['127.99.0.1']);
      expect(r.stats.failovers).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('retries a timed-out query on the next upstream', async () => {
    const r = make({ upstreams: [{ host: '127.0.0.1', port: 9 }, server], timeoutMs: 300, retries: 1 });
    expect((await r.query('example.com', 'A')).rcode).toBe('NOERROR');
    expect(r.stats.timeouts).toBe(1);
  });

  it('speaks to an IPv6 upstream given as [::1]:port, over UDP and TCP', async () => {
    const v6 = await startDnsServer(testWorld, { host: '::1' });
    try {
      const r = make({ upstreams: [parseUpstream(`[::1]:${v6.port}`)] });
      expect((await r.query('example.com', 'AAAA')).answers.map((x) => (x as { data: string }).data)).toEqual(['2001:db8::10']);
      expect((await r.query('trunc.test', 'TXT')).answers).toHaveLength(12);
      expect(r.stats.tcpSent).toBe(1);
    } finally {
      await v6.close();
    }
  });

  it('limits the rate per upstream', async () => {
    const r = make({ ratePerSecond: 20 });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 12 }, (_, i) => r.query(`h${i}.rate.example.com`, 'A')));
    // Burst of 2, then 10 more at 20/s: at least ~500 ms.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(450);
  });

  it('rejects invalid names and converts IDN names', async () => {
    const r = make();
    expect(await codeOf(r.query('a..b', 'A'))).toBe('DNS_MALFORMED');
    expect(await codeOf(r.query(`${'x'.repeat(64)}.com`, 'A'))).toBe('DNS_MALFORMED');
    expect(queryName('Bücher.test.')).toBe('xn--bcher-kva.test');
    const a = await r.query('bücher.test', 'A');
    expect(a.answers.map((x) => (x as { data: string }).data)).toEqual(['127.24.0.1']);
  });

  it('close() releases everything and fails what is in flight', async () => {
    const r = new Resolver({ upstreams: [server], timeoutMs: 5000, retries: 0 });
    const p = codeOf(r.query('timeout.test', 'AAAA'));
    await new Promise((res) => setTimeout(res, 20));
    await r.close();
    expect(await p).toBe('DNS_TIMEOUT');
    expect(await codeOf(r.query('example.com', 'MX'))).toBe('DNS_TIMEOUT');
  });
});

describe('followChain', () => {
  it('follows the chain the recursive answer carries', async () => {
    const c = await followChain(make(), 'www.example.com', 'A');
    expect(c.chain).toEqual(['edge.cdn.net', 'e1.edge.cdn.net']);
    expect(c.records.map((x) => (x as { data: string }).data).sort()).toEqual(['127.19.0.1', '127.19.0.2']);
  });
  it('asks for a hop the answer left unresolved', async () => {
    const r = make();
    const c = await followChain(r, 'www.split.test', 'A');
    expect(c.chain).toEqual(['x.trunc.test']);
    expect(c.records.map((x) => (x as { data: string }).data)).toEqual(['127.22.0.1']);
    expect(r.stats.udpSent).toBe(2);
  });
  it('detects loops', async () => {
    expect(await codeOf(followChain(make(), 'www.loop.test', 'A'))).toBe('DNS_CNAME_LOOP');
  });
  it('stops overlong chains', async () => {
    const e = await followChain(make(), 'h0.long.test', 'A').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DnsError);
    expect((e as DnsError).code).toBe('DNS_CNAME_LOOP');
    expect((e as DnsError).message).toMatch(/longer than 10/);
  });
  it('returns a name without CNAME as it is', async () => {
    const c = await followChain(make(), 'example.com', 'AAAA');
    expect(c).toMatchObject({ chain: [], final: 'example.com', rcode: 'NOERROR' });
  });
});
