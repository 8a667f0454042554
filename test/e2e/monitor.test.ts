// End to end: the monthly re-check workflow through the real CLI against worlds on loopback:
// resume after SIGKILL and Ctrl-C, shard + merge, diff with --fail-on, scan metadata.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cli, cliAsync, tempDir, writeWorld } from './helpers.js';
import { generateWorld } from '../../src/world/generate.js';
import type { World } from '../../src/world/types.js';
import type { Result } from '../../src/types.js';

const dir = tempDir();
const at = (name: string) => path.join(dir, name);

// 40 domains; the same world with latency (slow enough to interrupt) and without (fast to finish).
const slow = generateWorld({ domains: 40, seed: 11, latencyMs: 150 });
const domains = slow.domains!;
const slowFile = writeWorld(dir, slow, 'slow.json');
const fastFile = writeWorld(dir, { ...slow, latencyMs: 0 }, 'fast.json');
const list = at('list.txt');
// Generous deadlines: on a loaded machine a 10 s HTTP timeout turned a row partial, and the
// comparisons below are about resume/shard/merge, not about timeouts.
const SLACK = ['--timeout', '120', '--http-timeout', '60', '--dns-timeout', '10'];
writeFileSync(list, domains.join('\n') + '\n');

/** Lines of an ndjson file; `torn` is an unterminated last line, if any. */
function ndjson(file: string): { rows: Result[]; torn: string | undefined } {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = text.split('\n');
  const torn = lines.pop() || undefined;
  return { rows: lines.filter(Boolean).map((l) => JSON.parse(l) as Result), torn };
}

const completeRows = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);

/** Results as compared across runs: canonical JSON per domain. */
const canon = (rows: Result[]) => rows.map((r) => JSON.stringify(r));

/** Polls until `cond` holds (bounded), so a test waits on the file, never on a guess. */
async function until(cond: () => boolean, what: string, limitMs = 30_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function start(args: string[]): { child: ChildProcess; closed: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, closed };
}

/** stderr lines; a scan of many domains must not leak abort listeners (Node would warn here). */
const realErrors = (stderr: string) =>
  stderr
    .split('\n')
    // The interrupt is announced on stderr (a log): that is not an error.
    .filter((l) => l && !l.startsWith('whoserves: interrupted'))
    .join('\n');

// The uninterrupted, unsharded scan every other run is compared with.
let reference: { meta: Record<string, unknown>; results: Result[] };
beforeAll(async () => {
  const r = await cliAsync(['scan', list, '--world', fastFile, '--format', 'json', '--meta', '--concurrency', '8', '--quiet', '-o', at('ref.json'), ...SLACK]);
  expect(r.status, r.stderr).toBe(0);
  reference = JSON.parse(readFileSync(at('ref.json'), 'utf8')) as typeof reference;
}, 60_000);

describe('--resume after a crash and after Ctrl-C', () => {
  it('SIGKILL, then Ctrl-C, then a finished run: every domain once, in input order, same rows as an uninterrupted scan', async () => {
    const resume = at('resume.ndjson');
    const args = (world: string, out: string, extra: string[] = []) => ['scan', list, '--world', world, '--resume', resume, '--format', 'ndjson', '-o', out, '--concurrency', '4', ...SLACK, ...extra];

    // 1. Killed without warning once a few rows are on disk.
    const killed = start(args(slowFile, at('out1.ndjson'), ['--quiet']));
    await until(() => completeRows(resume) >= 3, 'three rows in the resume file');
    killed.child.kill('SIGKILL');
    expect((await killed.closed).signal).toBe('SIGKILL');
    const afterKill = ndjson(resume).rows;
    expect(afterKill.length).toBeGreaterThanOrEqual(3);
    expect(afterKill.length).toBeLessThan(domains.length);

    // 2. Ctrl-C once: running domains finish, every finished row is flushed, exit 130.
    const interrupted = start(args(slowFile, at('out2.ndjson')));
    await until(() => completeRows(resume) >= afterKill.length + 1, 'a new row after resuming');
    interrupted.child.kill('SIGINT');
    const second = await interrupted.closed;
    expect(second.code).toBe(130);
    expect(realErrors(second.stderr)).toBe('');
    const log = ndjson(resume);
    expect(log.torn).toBeUndefined();
    const logged = log.rows.map((r) => r.domain);
    expect(new Set(logged).size).toBe(logged.length);
    expect(logged.slice(0, afterKill.length)).toEqual(afterKill.map((r) => r.domain)); // appended, not rewritten
    expect(logged.length).toBeLessThan(domains.length);
    const out2 = ndjson(at('out2.ndjson'));
    expect(out2.torn).toBeUndefined();
    // The output holds exactly the finished rows (old and new), in input order.
    expect(out2.rows.map((r) => r.domain)).toEqual(domains.filter((d) => logged.includes(d)));

    // A kill mid-write leaves half a row: simulate it; the next run must drop it and warn.
    appendFileSync(resume, JSON.stringify(reference.results[domains.length - 1]).slice(0, 40));

    // 3. Resumed to the end (without latency, to keep the test fast).
    const finished = await cliAsync(args(fastFile, at('out3.ndjson'), ['--concurrency', '8']));
    expect(finished.status, finished.stderr).toBe(0);
    expect(finished.stderr).toContain('dropped a half-written last line');
    const final = ndjson(at('out3.ndjson'));
    expect(final.rows.map((r) => r.domain)).toEqual(domains);
    expect(canon(final.rows)).toEqual(canon(reference.results));
    const full = ndjson(resume);
    expect(full.torn).toBeUndefined();
    expect(full.rows.map((r) => r.domain).sort()).toEqual([...domains].sort());
    expect(canon([...full.rows].sort((a, b) => domains.indexOf(a.domain) - domains.indexOf(b.domain)))).toEqual(canon(reference.results));
  }, 90_000);

  it('a second Ctrl-C abandons running domains: their partial rows are printed but kept out of the resume log', async () => {
    const resume = at('resume-abandon.ndjson');
    const run = start(['scan', list, '--world', slowFile, '--resume', resume, '--format', 'ndjson', '-o', at('abandon.ndjson'), '--concurrency', '4', '--quiet', ...SLACK]);
    await until(() => completeRows(resume) >= 1, 'a first row in the resume file');
    run.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    run.child.kill('SIGINT');
    expect((await run.closed).code).toBe(130);
    const aborted = (r: Result) => r.errors.some((e) => e.code === 'ABORTED');
    const out = ndjson(at('abandon.ndjson')).rows;
    expect(out.some(aborted)).toBe(true); // three domains were running when the second Ctrl-C came
    const log = ndjson(resume).rows;
    expect(log.length).toBeGreaterThanOrEqual(1);
    expect(log.filter(aborted)).toEqual([]);
  }, 60_000);
});

describe('--shard K/N and merge', () => {
  it('three shards merged equal the unsharded scan; overlapping inputs are refused naming both files', async () => {
    const runs = await Promise.all(
      [1, 2, 3].map((k) => cliAsync(['scan', list, '--world', fastFile, '--shard', `${k}/3`, '--format', 'json', '--meta', '--quiet', '--concurrency', '4', '-o', at(`shard${k}.json`), ...SLACK])),
    );
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    const shards = [1, 2, 3].map((k) => JSON.parse(readFileSync(at(`shard${k}.json`), 'utf8')) as { meta: { shard: string }; results: Result[] });
    expect(shards.map((s) => s.meta.shard)).toEqual(['1/3', '2/3', '3/3']);
    for (const s of shards) expect(s.results.length).toBeGreaterThan(0); // 40 domains: every shard has some

    const merged = cli(['merge', at('shard3.json'), at('shard1.json'), at('shard2.json'), '--meta']);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stderr).toBe('');
    const m = JSON.parse(merged.stdout) as { meta: Record<string, unknown>; results: Result[] };
    expect(m.meta.shard).toBeUndefined();
    expect(m.results.map((r) => r.domain)).toEqual(domains);
    expect(canon(m.results)).toEqual(canon(reference.results));

    const overlap = cli(['merge', at('shard1.json'), at('ref.json')]);
    expect(overlap.status).toBe(2);
    expect(overlap.stderr).toContain(at('shard1.json'));
    expect(overlap.stderr).toContain(at('ref.json'));
    expect(overlap.stdout).toBe('');
  }, 60_000);
});

// Two months of a small world: alpha-tech moved its mail from Tencent Exmail to Microsoft 365;
// beta-soft's site is down (connection reset on the apex, SERVFAIL for www).
function monthWorld(month: 'A' | 'B'): World {
  const site = (body: string) => ({ tls: { ca: 'geotrust' }, http: { status: 200, headers: { 'content-type': 'text/html' }, body } });
  return {
    world: 1,
    description: `e2e monitor world, month ${month}`,
    asns: [
      { asn: 37963, name: 'ALIBABA-CN-NET', country: 'CN', prefixes: ['127.37.0.0/16'] },
      { asn: 45090, name: 'TENCENT-NET-AP', country: 'CN', prefixes: ['127.45.0.0/16'] },
      { asn: 8075, name: 'MICROSOFT-CORP-MSN-AS-BLOCK', country: 'US', prefixes: ['127.80.0.0/16'] },
    ],
    cas: [
      { id: 'root', subject: { CN: 'DigiCert Global Root CA', O: 'DigiCert Inc', C: 'US' } },
      { id: 'geotrust', issuer: 'root', subject: { CN: 'GeoTrust CN RSA CA G1', O: 'DigiCert Inc', C: 'US' } },
    ],
    zones: {
      'alpha-tech.cn': [
        '@ NS ns1.alidns.com.',
        month === 'A' ? '@ MX 10 mxbiz1.qq.com.' : '@ MX 10 alpha-tech-cn.mail.protection.outlook.com.',
        '@ A 127.37.0.10',
        'www A 127.37.0.10',
      ],
      'beta-soft.cn': ['@ NS ns1.alidns.com.', '@ A 127.37.0.11', 'www A 127.37.0.11'],
      'qq.com': ['mxbiz1 A 127.45.0.5'],
      'outlook.com': ['alpha-tech-cn.mail.protection A 127.80.0.5'],
      'alidns.com': ['ns1 A 127.37.0.53'],
    },
    sites: {
      'alpha-tech.cn': site('<html>alpha</html>'),
      'www.alpha-tech.cn': site('<html>alpha</html>'),
      'beta-soft.cn': site('<html>beta</html>'),
      'www.beta-soft.cn': site('<html>beta</html>'),
    },
    ...(month === 'B' ? { faults: { 'beta-soft.cn': 'tcp-reset' as const, 'www.beta-soft.cn': 'dns-servfail' as const } } : {}),
  };
}

describe('diff: the monthly re-check', () => {
  const a = at('month-a.json');
  const b = at('month-b.json');
  beforeAll(async () => {
    const scan = (month: 'A' | 'B', out: string) =>
      cliAsync(['scan', 'alpha-tech.cn', 'beta-soft.cn', '--world', writeWorld(dir, monthWorld(month), `world-${month}.json`), '--format', 'json', '--meta', '--quiet', '-o', out, ...SLACK]);
    const runs = await Promise.all([scan('A', a), scan('B', b)]);
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
  }, 60_000);

  it('scan --meta records the tool, databases, times and options', () => {
    const { meta } = JSON.parse(readFileSync(a, 'utf8')) as { meta: Record<string, unknown> };
    expect(meta.tool).toBe('whoserves');
    expect(meta.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(meta.vendorDb).toMatch(/\S/);
    expect(meta.asnSource).toBe('cymru');
    expect(Object.keys(meta)).toContain('asnDate');
    expect(Date.parse(String(meta.startedAt))).toBeLessThanOrEqual(Date.parse(String(meta.finishedAt)));
    expect(meta.options).toMatchObject({ world: expect.stringContaining('world-A.json') as unknown });
  });

  it('--fail-on us exits 1 naming the new U.S. provider; the failing site is "not measured", not lost providers', () => {
    const md = cli(['diff', a, b, '--format', 'markdown', '--fail-on', 'us']);
    expect(md.status, md.stderr).toBe(1);
    expect(md.stdout).toContain('alpha-tech.cn');
    expect(md.stdout).toMatch(/\+ Microsoft[^\n]*\(US\)/);
    expect(md.stdout).toContain('not measured');

    const json = cli(['diff', a, b, '--format', 'json', '--fail-on', 'us']);
    expect(json.status).toBe(1);
    const diff = JSON.parse(json.stdout) as { changes: { kind: string; domain: string; category?: string; counts: boolean; provider?: { company: string; country: string } }[] };
    const counting = diff.changes.filter((c) => c.counts);
    expect(counting.map((c) => [c.domain, c.kind, c.category, c.provider?.company, c.provider?.country])).toEqual([['alpha-tech.cn', 'provider-added', 'email', 'microsoft', 'US']]);
    const alpha = diff.changes.filter((c) => c.domain === 'alpha-tech.cn');
    expect(alpha).toContainEqual(expect.objectContaining({ kind: 'provider-removed', category: 'email', provider: expect.objectContaining({ company: 'tencent' }) as unknown }));
    const beta = diff.changes.filter((c) => c.domain === 'beta-soft.cn');
    expect(beta.some((c) => c.kind === 'not-measured')).toBe(true);
    expect(beta.filter((c) => c.kind === 'provider-removed')).toEqual([]);
    expect(beta.every((c) => !c.counts)).toBe(true);

    // The same change under other policies: country:CN does not count it, any does.
    expect(cli(['diff', a, b, '--fail-on', 'country:CN', '--quiet']).status).toBe(0);
    expect(cli(['diff', a, b, '--fail-on', 'any', '--quiet']).status).toBe(1);
  });

  it('a scan diffed with itself: exit 0, "no changes", and that both came from a simulated world', () => {
    const r = cli(['diff', a, a, '--format', 'markdown', '--fail-on', 'any']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\n> \*\*Warning:\*\* both scans ran against a simulated world [^\n]*\n\nno changes \(\d+ domain\(s\) compared\)\n/);
    expect(r.stderr).toMatch(/^whoserves: warning: both scans ran against a simulated world [^\n]*: not measured data\n$/);
  });

  it('warns when the two scans used different vendor databases', () => {
    const other = JSON.parse(readFileSync(a, 'utf8')) as { meta: { vendorDb: string } };
    other.meta.vendorDb = `${other.meta.vendorDb}-other`;
    const c = at('month-a-otherdb.json');
    writeFileSync(c, JSON.stringify(other));
    const r = cli(['diff', a, c, '--format', 'text']);
    expect(r.status).toBe(0); // the same Results: no change, but a warning
    expect(r.stderr).toMatch(/warning: vendor database differs/);
  });

  it('bad input exits 2 naming the file', () => {
    const bad = at('bad.json');
    writeFileSync(bad, '{"results": 3}');
    const r = cli(['diff', a, bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(bad);
  });
});
