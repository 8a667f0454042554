// Per-domain DNS gathering against the world's server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherDns, resolveHost } from '../../../src/collect/dns/gather.js';
import { Resolver } from '../../../src/collect/dns/resolver.js';
import { startDnsServer } from '../../../src/world/dns/server.js';
import type { DnsServerHandle } from '../../../src/world/running.js';
import { testWorld } from './world.js';

let server: DnsServerHandle;
let r: Resolver;
/** For the dns-timeout world: everything else gets a timeout a loaded machine cannot hit. */
let fast: Resolver;
beforeAll(async () => {
  server = await startDnsServer(testWorld);
  r = new Resolver({ upstreams: [server], timeoutMs: 2000, retries: 1 });
  fast = new Resolver({ upstreams: [server], timeoutMs: 150, retries: 0 });
});
afterAll(async () => {
  await Promise.all([r.close(), fast.close()]);
  await server.close();
});

describe('gatherDns', () => {
  it('gathers every record type, hosts and roles, normalised and sorted', async () => {
    const { dns, errors } = await gatherDns('example.com', r);
    expect(errors).toEqual([]);
    expect(dns.ns).toEqual(['ns1.example.com', 'ns2.dns-host.net']);
    expect(dns.soa).toEqual({ mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 2024010101 });
    expect(dns.mx).toEqual([
      { preference: 10, exchange: 'mail.example.com' },
      { preference: 20, exchange: 'mx.mailvendor.net' },
    ]);
    expect(dns.txt).toEqual(['google-site-verification=abcdef', 'v=spf1 include:_spf.google.com -all']);
    expect(dns.dmarc).toEqual(['v=DMARC1; p=reject']);
    expect(dns.caa).toEqual([
      { flags: 0, tag: 'issue', value: 'letsencrypt.org' },
      { flags: 128, tag: 'iodef', value: 'mailto:sec@example.com' },
    ]);
    expect(Object.keys(dns.hosts)).toEqual(['example.com', 'mail.example.com', 'mx.mailvendor.net', 'ns1.example.com', 'ns2.dns-host.net', 'www.example.com']);
    expect(dns.hosts['example.com']).toEqual({ roles: ['apex'], cname: [], a: ['127.16.0.10', '127.16.0.9'], aaaa: ['2001:db8::10'] });
    expect(dns.hosts['www.example.com']).toEqual({ roles: ['www'], cname: ['edge.cdn.net', 'e1.edge.cdn.net'], a: ['127.19.0.1', '127.19.0.2'], aaaa: [] });
    expect(dns.hosts['ns2.dns-host.net']).toEqual({ roles: ['ns'], cname: [], a: ['127.17.0.53'], aaaa: ['2001:db8::53'] });
    expect(dns.hosts['mx.mailvendor.net']?.roles).toEqual(['mx']);
  });

  it('asks a domain for DKIM keys under the given selectors and for autodiscover, never as errors', async () => {
    const { dns, errors } = await gatherDns('mail-extras.test', r, { extraNames: { selectors: ['google', 's1', 'selector1', 'selector2'], names: ['_amazonses'] } });
    expect(errors).toEqual([]);
    expect(dns.dkim).toEqual([
      { selector: 'google', cname: [], txt: ['v=DKIM1; k=rsa; p=MIIBIjANBgkq'] },
      { selector: 'selector1', cname: ['selector1-mail-extras-test._domainkey.contoso.onmicrosoft.com'], txt: ['v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0B'] },
    ]);
    expect(dns.autodiscover).toEqual(['autodiscover.outlook.com']);
    expect(dns.named).toEqual([{ name: '_amazonses', txt: ['pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU='] }]);
    const off = await gatherDns('mail-extras.test', r, { extraDns: false, extraNames: { selectors: ['google'], names: [] } });
    expect(off.dns.dkim).toBeUndefined();
    expect(off.dns.autodiscover).toBeUndefined();
    // No MX is no reason to skip them (a domain that only sends mail still has DKIM keys)...
    expect((await gatherDns('no-mail.test', r, { extraNames: { selectors: ['google'], names: [] } })).dns.autodiscover).toEqual(['autodiscover.outlook.com']);
    // ...but a domain that does not exist is not asked for anything more.
    expect((await gatherDns('nx.test', r, { extraNames: { selectors: ['google'], names: [] } })).dns.autodiscover).toBeUndefined();
  });

  it('records NXDOMAIN once for the apex, and nothing for a missing www or null MX', async () => {
    const nx = await gatherDns('nx.test', r);
    expect(nx.errors).toEqual([{ stage: 'dns', code: 'DNS_NXDOMAIN', message: 'nx.test does not exist (NXDOMAIN)', target: 'nx.test' }]);
    const nowww = await gatherDns('nowww.test', r);
    expect(nowww.errors).toEqual([]);
    expect(nowww.dns.hosts['www.nowww.test']).toEqual({ roles: ['www'], cname: [], a: [], aaaa: [] });
    expect(nowww.dns.mx).toEqual([{ preference: 0, exchange: '' }]);
    expect(Object.keys(nowww.dns.hosts)).toEqual(['nowww.test', 'www.nowww.test']);
  });

  it.each([
    ['servfail.test', 'DNS_SERVFAIL'],
    ['timeout.test', 'DNS_TIMEOUT'],
    ['malformed.test', 'DNS_MALFORMED'],
  ])('records %s as %s on every query, with stage and target, never throwing', async (domain, code) => {
    const { errors } = await gatherDns(domain, code === 'DNS_TIMEOUT' ? fast : r);
    const targets = errors.map((e) => e.target);
    expect(targets).toEqual(
      [`${domain} A`, `${domain} AAAA`, `${domain} CAA`, `${domain} MX`, `${domain} NS`, `${domain} SOA`, `${domain} TXT`, `_dmarc.${domain} TXT`, `www.${domain} A`, `www.${domain} AAAA`].sort(),
    );
    for (const e of errors) {
      expect(e).toMatchObject({ stage: 'dns', code });
      expect(e.message).not.toMatch(/\n/);
    }
  });

  it('reports a CNAME loop on www', async () => {
    const { dns, errors } = await gatherDns('loop.test', r);
    expect(dns.hosts['loop.test']?.a).toEqual(['127.20.0.1']);
    expect(errors.map((e) => `${e.target} ${e.code}`)).toEqual(['www.loop.test A DNS_CNAME_LOOP', 'www.loop.test AAAA DNS_CNAME_LOOP']);
  });

  it('gets truncated answers over TCP', async () => {
    const { dns, errors } = await gatherDns('trunc.test', r);
    expect(errors).toEqual([]);
    expect(dns.txt).toHaveLength(12);
  });
});

describe('names', () => {
  it('normalises IDN and case, and turns an invalid name into an error', async () => {
    const idn = await gatherDns('Bücher.TEST.', r);
    expect(Object.keys(idn.dns.hosts)).toEqual(['www.xn--bcher-kva.test', 'xn--bcher-kva.test']);
    expect(idn.dns.hosts['xn--bcher-kva.test']?.a).toEqual(['127.24.0.1']);
    const bad = await gatherDns('a..b', r);
    expect(bad.errors.map((e) => e.code)).toEqual(['DNS_MALFORMED']);
    expect((await resolveHost('-'.repeat(70), r, ['final'])).errors.map((e) => e.code)).toEqual(['DNS_MALFORMED']);
  });
});

describe('resolveHost', () => {
  it('resolves with roles and no NXDOMAIN error for non-apex roles', async () => {
    const ok = await resolveHost('www.split.test', r, ['final']);
    expect(ok).toEqual({ host: { roles: ['final'], cname: ['x.trunc.test'], a: ['127.22.0.1'], aaaa: [] }, errors: [] });
    const missing = await resolveHost('gone.example.com', r, ['mx']);
    expect(missing.errors).toEqual([]);
    const apex = await resolveHost('gone.example.com', r, ['apex']);
    expect(apex.errors.map((e) => e.code)).toEqual(['DNS_NXDOMAIN']);
  });
});
