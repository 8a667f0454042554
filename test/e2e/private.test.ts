// Without --allow-private, a scanned domain cannot make the scanner connect inside its own network:
// loopback, RFC 1918 (also behind a CNAME), CGNAT, link-local metadata, ULA and IPv4-mapped IPv6
// are refused before any TCP connection, recorded as PRIVATE_ADDRESS.
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
    'corp.test': ['inside A 10.1.2.3'],
    'metadata.test': ['@ A 169.254.169.254'],
    'cgnat.test': ['@ A 100.64.0.1'],
    'ula.test': ['@ AAAA fd00::1', 'www AAAA ::ffff:127.0.0.1'],
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
    const domains = ['loop.test', 'rfc1918.test', 'metadata.test', 'cgnat.test', 'ula.test'];
    // Async: the world runs in this process and must keep answering while the CLI scans.
    const r = await cliAsync(['scan', ...domains, '--resolver', running.resolver, '--https-port', String(running.httpsPort), '--http-port', String(running.httpPort), '--asn-source', 'cymru', '--format', 'json', '--quiet']);
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
  }, 60_000);
});
