// Without --allow-private, a scanned domain cannot make the scanner connect inside its own network:
// loopback, RFC 1918 (also behind a CNAME), CGNAT, link-local metadata, ULA, IPv4-mapped IPv6
// and the IPv6 forms that embed an IPv4 address (compatible, NAT64, SIIT, 6to4, Teredo) are
// refused before any TCP connection, recorded as PRIVATE_ADDRESS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type RunningWorld } from '../../src/world/start.js';
import type { World } from '../../src/world/types.js';
import { cliAsync } from './helpers.js';

const world: World = {
  world: 1,
  asns: [{ asn: 64500, name: 'TEST-NET', country: 'US', prefixes: ['127.0.0.0/8'] }],
  cas: [{ id: 'root', subject: { CN: 'Test Root', O: 'Test' } }],
  zones: {
    'loop.test': ['@ A 127.16.0.10', 'www A 127.16.0.10'],
    'rfc1918.test': ['@ A 127.16.0.11', 'www CNAME inside.corp.test.'],
    'corp.test': ['inside A 10.1.2.3', 'nat64 AAAA 64:ff9b::a00:5'],
    'metadata.test': ['@ A 169.254.169.254'],
    'cgnat.test': ['@ A 100.64.0.1'],
    'ula.test': ['@ AAAA fd00::1', 'www AAAA ::ffff:127.0.0.1'],
    // IPv6 forms that carry an IPv4 address (issue 19): compatible, NAT64 (behind a CNAME), SIIT, 6to4, Teredo.
    'compat.test': ['@ AAAA ::127.16.0.10', 'www CNAME nat64.corp.test.'],
    'siit.test': ['@ AAAA ::ffff:0:127.16.0.10', 'www AAAA 2002:7f10:a::1'],
    'teredo.test': ['@ AAAA 2001:0:4136:e378:8000:63bf:3fff:fdd2'],
  },
  sites: { 'loop.test': { tls: { ca: 'root' }, http: { status: 200, body: 'hi' } }, 'www.loop.test': { tls: { ca: 'root' }, http: { status: 200, body: 'hi' } } },
};

describe('private addresses without --allow-private', () => {
  let running: RunningWorld;
  beforeAll(async () => {
    running = await startWorld({ world, file: '<test>', baseDir: process.cwd() });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('refuses every private address, before connecting, and says so', async () => {
    const domains = ['loop.test', 'rfc1918.test', 'metadata.test', 'cgnat.test', 'ula.test', 'compat.test', 'siit.test', 'teredo.test'];
    // Async: the world runs in this process and must keep answering while the CLI scans.
    const r = await cliAsync(['scan', ...domains, '--http-timeout', '2', '--resolver', running.resolver, '--https-port', String(running.httpsPort), '--http-port', String(running.httpPort), '--asn-source', 'cymru', '--format', 'json', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(r.stdout) as { domain: string; errors: { stage: string; code: string; target?: string }[] }[];
    expect(results.map((x) => x.domain)).toEqual(domains);
    for (const res of results) {
      const web = res.errors.filter((e) => e.stage === 'tls' || e.stage === 'http');
      expect(web.length, res.domain).toBeGreaterThan(0);
      // Only refusals: a TCP_* or TLS_* code would mean a connection was attempted.
      for (const e of web) expect(e.code, `${res.domain} ${e.target}`).toBe('PRIVATE_ADDRESS');
    }
    // The CNAME'd www of rfc1918.test is refused too.
    expect(results[1]!.errors.some((e) => e.target?.includes('www.rfc1918.test'))).toBe(true);
    // …and the NAT64 address a CNAME leads to, and both names of siit.test.
    expect(results[5]!.errors.some((e) => e.code === 'PRIVATE_ADDRESS' && e.target?.includes('www.compat.test'))).toBe(true);
    expect(results[6]!.errors.filter((e) => e.code === 'PRIVATE_ADDRESS' && e.stage === 'tls').map((e) => e.target?.split(' ')[0])).toEqual(['siit.test', 'www.siit.test']);
  }, 60_000);
});
