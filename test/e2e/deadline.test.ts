// The per-domain deadline through the real CLI (issue 19, item 4), against a page that trickles
// for minutes: the certificate whose handshake finished at once is kept, and the scan ends at the
// domain's deadline, not when the trickle's --http-timeout would have run out. The world is
// served by another process, as the internet would be: closing an in-process world at the end of
// a scan would end the lingering probes for us and hide the bug.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation, Result } from '../../src/types.js';
import type { World } from '../../src/world/types.js';
import { BIN, cliAsync, tempDir, writeWorld } from './helpers.js';

const page = { status: 200, headers: { 'content-type': 'text/html' }, body: `<html><head><title>slow</title></head><body>${'x'.repeat(2000)}</body></html>` };
const world: World = {
  world: 1,
  asns: [{ asn: 64500, name: 'TEST-NET', country: 'US', prefixes: ['127.0.0.0/8'] }],
  cas: [{ id: 'root', subject: { CN: 'Deadline Root', O: 'Deadline Trust', C: 'US' } }],
  zones: { 'slowloris.test': ['@ A 127.41.0.1', 'www A 127.41.0.1'] },
  sites: { 'slowloris.test': { tls: { ca: 'root' }, http: page }, 'www.slowloris.test': { tls: { ca: 'root' }, http: page } },
  // One byte every 200 ms: the response takes over 7 minutes.
  faults: { 'slowloris.test': 'slow' },
};

const dir = tempDir();
let child: ChildProcess;
let serving: { resolver: string; httpPort: number; httpsPort: number; caFile: string };

beforeAll(async () => {
  child = spawn(process.execPath, [BIN, 'world', 'serve', writeWorld(dir, world)], { stdio: ['ignore', 'pipe', 'inherit'] });
  serving = await new Promise((resolve) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as typeof serving);
    });
  });
});
afterAll(() => {
  child?.kill();
});

describe('a trickling page and the per-domain deadline', () => {
  it('keeps the TLS observation and ends at the deadline (--timeout 8, --http-timeout 600)', async () => {
    const raw = path.join(dir, 'raw.ndjson');
    // Before the fix this scan ran until the world was stopped (600 s of --http-timeout): the
    // test's own timeout below is the failure.
    const r = await cliAsync([
      'scan', 'slowloris.test', '--resolver', serving.resolver, '--https-port', String(serving.httpsPort), '--http-port', String(serving.httpPort),
      '--ca-file', serving.caFile, '--allow-private', '--asn-source', 'cymru', '--timeout', '8', '--http-timeout', '600', '--format', 'json', '--quiet', '--raw', raw,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const [result] = JSON.parse(r.stdout) as Result[];
    expect(result!.errors.map((e) => e.code)).toEqual(['DEADLINE']);
    // The handshakes finished at once: their certificate is evidence, whatever the page did next.
    expect(result!.services.certificate.map((a) => a.vendorName ?? a.companyName)).toEqual([expect.stringContaining('Deadline')]);
    const obs = JSON.parse(readFileSync(raw, 'utf8')) as Observation;
    expect(obs.tls.map((t) => [t.host, t.authorized])).toEqual([
      ['slowloris.test', true],
      ['www.slowloris.test', true],
    ]);
  }, 60_000);
});
