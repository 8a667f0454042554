// End to end: `whoserves world serve` as a child process, queried the way third-party tools
// would (raw DNS over UDP and TCP, HTTPS with the printed CA file); `world generate` is
// deterministic per seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { BIN, cliAsync, tempDir, writeWorld } from './helpers.js';
import { RA, dataOf, tcpQuery, txtOf, udpQuery } from '../helpers/dnswire.js';
import type { World } from '../../src/world/types.js';

const world: World = {
  world: 1,
  description: 'e2e world serve',
  asns: [{ asn: 16509, name: 'AMAZON-02', country: 'US', prefixes: ['127.16.0.0/16'] }],
  cas: [
    { id: 'root', subject: { CN: 'E2E Root', O: 'E2E Trust', C: 'US' } },
    { id: 'issuing', issuer: 'root', subject: { CN: 'E2E Issuing CA', O: 'E2E Trust', C: 'US' } },
  ],
  zones: {
    'serve-test.com': [
      '@ NS ns1.serve-test.com.',
      '@ MX 10 mx1.serve-test.com.',
      '@ TXT "v=spf1 include:_spf.example.net -all"',
      '@ TXT "quoted \\"word\\" and a\\\\backslash"',
      'mx1 A 127.16.0.25',
      'ns1 A 127.16.0.53',
      'www CNAME edge.serve-test.com.',
      'edge CNAME d9.cdn-e2e.net.',
    ],
    'cdn-e2e.net': ['d9 A 127.16.0.20'],
  },
  sites: {
    'www.serve-test.com': { tls: { ca: 'issuing' }, http: { status: 200, headers: { 'x-served-by': 'world' }, body: 'hello from www' } },
  },
};

interface Serving {
  resolver: string;
  dns: { host: string; port: number };
  httpPort: number;
  httpsPort: number;
  caFile: string;
}

let child: ChildProcess;
let info: Serving;
let exited: Promise<{ code: number | null; signal: string | null }>;

beforeAll(async () => {
  const file = writeWorld(tempDir(), world);
  child = spawn(process.execPath, [BIN, 'world', 'serve', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  info = await new Promise<Serving>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`world serve printed nothing: ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      resolve(JSON.parse(out.slice(0, nl)) as Serving);
    });
    child.on('exit', () => reject(new Error(`world serve exited: ${err}`)));
  });
}, 40_000);

afterAll(() => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('world serve', () => {
  it('prints the resolver, ports and a CA file', () => {
    expect(info.resolver).toBe(`${info.dns.host}:${info.dns.port}`);
    expect(info.httpPort).toBeGreaterThan(0);
    expect(info.httpsPort).toBeGreaterThan(0);
    expect(readFileSync(info.caFile, 'utf8')).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('answers like a recursive resolver over UDP and TCP', async () => {
    for (const query of [udpQuery, tcpQuery]) {
      const a = await query(info.dns.port, 'www.serve-test.com', 'A');
      expect(a.rcode).toBe('NOERROR');
      expect((a.flags ?? 0) & RA).toBe(RA);
      expect(a.answers?.map((r) => `${r.type} ${String(dataOf(r))}`)).toEqual(['CNAME edge.serve-test.com', 'CNAME d9.cdn-e2e.net', 'A 127.16.0.20']);

      const mx = await query(info.dns.port, 'serve-test.com', 'MX');
      expect(mx.answers?.map(dataOf)).toEqual([{ preference: 10, exchange: 'mx1.serve-test.com' }]);

      const txt = await query(info.dns.port, 'serve-test.com', 'TXT');
      expect(txtOf(txt).sort()).toEqual(['quoted "word" and a\\backslash', 'v=spf1 include:_spf.example.net -all']);

      const origin = await query(info.dns.port, '20.0.16.127.origin.asn.cymru.com', 'TXT');
      expect(txtOf(origin)).toEqual([expect.stringMatching(/^16509 \| 127\.16\.0\.0\/16 \| US \|/)]);

      const missing = await query(info.dns.port, 'nowhere.invalid', 'A');
      expect(missing.rcode).toBe('NXDOMAIN');
    }
  });

  it('serves HTTPS with a certificate that the printed CA file verifies', async () => {
    const a = await udpQuery(info.dns.port, 'www.serve-test.com', 'A');
    const address = String(dataOf(a.answers?.find((r) => r.type === 'A')));
    // Like `curl --resolve www.serve-test.com:PORT:ADDRESS --cacert caFile`.
    const lookup = ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
      if (opts.all) cb(null, [{ address, family: 4 }]);
      else cb(null, address, 4);
    }) as unknown as LookupFunction;
    const res = await new Promise<{ status: number; body: string; header: unknown }>((resolve, reject) => {
      const req = https.get({ host: 'www.serve-test.com', port: info.httpsPort, path: '/', ca: readFileSync(info.caFile), lookup, timeout: 10_000 }, (r) => {
        let body = '';
        r.on('data', (d: Buffer) => (body += d.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body, header: r.headers['x-served-by'] }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
    });
    expect(res).toEqual({ status: 200, body: 'hello from www', header: 'world' });
  });

  it('a scan through the served world (its printed scan line) marks its results simulated', async () => {
    const line = ['scan', '--resolver', info.resolver, '--https-port', String(info.httpsPort), '--http-port', String(info.httpPort), '--ca-file', info.caFile, '--allow-private', '--asn-source', 'cymru', 'serve-test.com'];
    const json = await cliAsync([...line, '-f', 'json', '--meta', '--quiet']);
    expect(json.status).toBe(0);
    const { meta } = JSON.parse(json.stdout) as { meta: { simulated?: { world: string } } };
    expect(meta.simulated?.world).toBe(`a served world (resolver ${info.resolver})`);
    expect((await cliAsync([...line, '-f', 'table', '--quiet'])).stdout).toContain(`SIMULATED WORLD (a served world (resolver ${info.resolver})): not measured data.`);
  });

  it('exits 0 on SIGTERM', async () => {
    child.kill('SIGTERM');
    const timeout = new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000).unref());
    expect(await Promise.race([exited, timeout])).toEqual({ code: 0, signal: null });
  }, 15_000);
});

describe('world generate', () => {
  it('is byte-identical per seed and differs across seeds', async () => {
    const [a, b, c] = await Promise.all([
      cliAsync(['world', 'generate', '--domains', '50', '--seed', '7']),
      cliAsync(['world', 'generate', '--domains', '50', '--seed', '7']),
      cliAsync(['world', 'generate', '--domains', '50', '--seed', '8']),
    ]);
    for (const r of [a, b, c]) expect(r.status, r.stderr).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
    const w = JSON.parse(a.stdout) as World;
    expect(w.domains).toHaveLength(50);
  });
});
