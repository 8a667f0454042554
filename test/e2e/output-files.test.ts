// Output files and pipes (issues 19 item 2, 20 "Files and pipes"): every check passes before a
// destination is opened; a failed or killed scan leaves last month's -o file as it was (non-
// streamed formats are written to a temporary file and renamed into place); ndjson keeps the
// rows written so far; a bad destination is one line and exit 2; a closed pipe is exit 141, quietly.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { World } from '../../src/world/types.js';
import { BIN, cli, cliAsync, tempDir, writeWorld } from './helpers.js';

const dir = tempDir();
const at = (name: string) => path.join(dir, name);

const world: World = {
  world: 1,
  asns: [{ asn: 64500, name: 'TEST-NET', country: 'US', prefixes: ['127.0.0.0/8'] }],
  cas: [{ id: 'root', subject: { CN: 'Test Root', O: 'Test' } }],
  zones: {
    'fast.test': ['@ A 127.40.0.1', 'www A 127.40.0.1'],
    'hang.test': ['@ A 127.40.0.2', 'www A 127.40.0.2'],
    'also.test': ['@ A 127.40.0.1'],
  },
  sites: {
    'fast.test': { tls: { ca: 'root' }, http: { status: 200, body: '<html>fast</html>' } },
    'www.fast.test': { tls: { ca: 'root' }, http: { status: 200, body: '<html>fast</html>' } },
    'also.test': { tls: { ca: 'root' }, http: { status: 200, body: '<html>also</html>' } },
    'hang.test': { tls: { ca: 'root' }, http: { status: 200, body: 'never' } },
    'www.hang.test': { tls: { ca: 'root' }, http: { status: 200, body: 'never' } },
  },
  // Accepts and never speaks: with the long timeouts below, hang.test keeps the scan running.
  faults: { 'hang.test': 'tcp-timeout' },
};
const worldFile = writeWorld(dir, world);
const LONG = ['--timeout', '300', '--http-timeout', '300', '--dns-timeout', '10'];
const OLD = '[{"last":"month"}]\n';

/** A fresh "last month's" results file. */
function oldResults(name: string): string {
  const f = at(name);
  writeFileSync(f, OLD);
  return f;
}

/** Polls until `cond` holds (bounded), so a test waits on the file, never on a guess. */
async function until(cond: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const rows = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);

describe('a failed check never touches the -o file', () => {
  it.each([
    ['a missing --ca-file', ['--ca-file', path.join(dir, 'none.pem')]],
    ['a missing --world', ['--world', path.join(dir, 'none.json')]],
    ['a broken --asn-db', ['--asn-db', 'ASNDB']],
    ['a corrupt --resume log', ['--resume', 'RESUME']],
    ['an unusable --raw destination', ['--raw', path.join(dir, 'no-such-dir', 'raw.ndjson')]],
  ])('%s: exit 2, old results kept', (_what, extra) => {
    const asnDb = at('bad-asn.csv');
    writeFileSync(asnDb, 'not,a,prefix\n');
    const resume = at('corrupt.log');
    writeFileSync(resume, 'garbage\n{"domain":"x"}\n');
    const args = extra.map((a) => (a === 'ASNDB' ? asnDb : a === 'RESUME' ? resume : a));
    const out = oldResults('results.json');
    const r = cli(['scan', 'fast.test', ...(args.includes('--world') ? [] : ['--world', worldFile]), ...args, '--format', 'json', '-o', out]);
    expect(r.status, r.stderr).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe(OLD);
    // Nothing else was left behind in the directory (no temporary file, no new log).
    expect(readdirSync(dir).filter((f) => f.includes('results.json'))).toEqual(['results.json']);
  });
});

describe('the resume log on an exit-2 path, and --resume-repair', () => {
  it('a torn last line is not cut when a later check fails', () => {
    const log = at('torn.log');
    writeFileSync(log, '{"domain":"fast.te');
    const r = cli(['scan', 'fast.test', '--world', worldFile, '--resume', log, '--ca-file', at('none.pem'), '-o', at('unused2.json')]);
    expect(r.status, r.stderr).toBe(2);
    expect(readFileSync(log, 'utf8')).toBe('{"domain":"fast.te');
  });

  it('a corrupt middle line: exit 2 naming FILE:LINE and the flag; with --resume-repair, kept rows stay and the rest is redone', () => {
    const log = at('middle.log');
    const first = cli(['scan', 'fast.test', '--world', worldFile, '--resume', log, '--format', 'json', '--quiet']);
    expect(first.status, first.stderr).toBe(0);
    const row = readFileSync(log, 'utf8');
    writeFileSync(log, row + '{"domain": "also.test", "services": [}\n' + row.replace('fast.test', 'dup.test'));
    const refused = cli(['scan', 'fast.test', 'also.test', '--world', worldFile, '--resume', log, '--format', 'json']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/middle\.log:2: not valid JSON .*--resume-repair/);
    const repaired = cli(['scan', 'fast.test', 'also.test', '--world', worldFile, '--resume', log, '--resume-repair', '--format', 'json']);
    expect(repaired.status, repaired.stderr).toBe(0);
    expect(repaired.stderr).toMatch(/warning: .*middle\.log:2: not valid JSON: dropped \(--resume-repair\)/);
    expect((JSON.parse(repaired.stdout) as { domain: string }[]).map((x) => x.domain)).toEqual(['fast.test', 'also.test']);
    const domains = readFileSync(log, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { domain: string }).domain);
    expect(domains).toEqual(['fast.test', 'dup.test', 'also.test']);
  });
});

describe('bad destinations are found before scanning: one line, exit 2', () => {
  it.each([
    ['-o', path.join('/nonexistent-dir-whoserves', 'out.json'), /^whoserves: -o \S+: directory \S+ does not exist$/],
    ['--raw', path.join('/nonexistent-dir-whoserves', 'raw.ndjson'), /^whoserves: --raw \S+: directory \S+ does not exist$/],
    ['--resume', path.join('/nonexistent-dir-whoserves', 'log.ndjson'), /^whoserves: --resume \S+: directory \S+ does not exist$/],
    ['-o', 'DIR', /^whoserves: -o \S+: is a directory$/],
  ])('%s %s', (flag, file, message) => {
    const target = file === 'DIR' ? at('a-directory') : file;
    mkdirSync(at('a-directory'), { recursive: true });
    // hang.test would keep a scan running for minutes: an answer now means nothing was scanned.
    const r = cli(['scan', 'hang.test', '--world', worldFile, ...LONG, flag, target, ...(flag === '-o' ? [] : ['-o', at('unused.json')])]);
    expect(r.status, r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(existsSync(at('unused.json'))).toBe(false);
  });

  it('report, diff, merge and classify check -o the same way', () => {
    const results = at('ok.json');
    writeFileSync(results, '[]\n');
    const observations = at('ok-raw.ndjson');
    writeFileSync(observations, '');
    for (const args of [['report', results], ['diff', results, results], ['merge', results], ['classify', observations]]) {
      const r = cli([...args, '-o', '/nonexistent-dir-whoserves/x']);
      expect(r.status, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('a scan killed mid-way', () => {
  it('kill -9 during a --format json scan leaves the old -o file whole', async () => {
    const out = oldResults('killed.json');
    const log = at('killed.log');
    const child = spawn(process.execPath, [BIN, 'scan', 'fast.test', 'hang.test', '--world', worldFile, ...LONG, '--format', 'json', '-o', out, '--resume', log, '--quiet'], { stdio: 'ignore' });
    const closed = new Promise((r) => child.on('close', r));
    // fast.test is done (in the log) while hang.test hangs: the scan is under way.
    await until(() => rows(log) >= 1, 'fast.test in the resume log');
    child.kill('SIGKILL');
    await closed;
    expect(readFileSync(out, 'utf8')).toBe(OLD);
  });

  it('kill -9 during a --format ndjson scan keeps the rows written so far', async () => {
    const out = oldResults('killed.ndjson');
    const child = spawn(process.execPath, [BIN, 'scan', 'fast.test', 'hang.test', '--world', worldFile, ...LONG, '--format', 'ndjson', '-o', out, '--quiet'], { stdio: 'ignore' });
    const closed = new Promise((r) => child.on('close', r));
    await until(() => rows(out) >= 1 && !readFileSync(out, 'utf8').includes('last'), 'the first ndjson row');
    child.kill('SIGKILL');
    await closed;
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { domain: string }).domain)).toEqual(['fast.test']);
  });

  it('a finished scan replaces the file, keeping its permissions, with no temporary file left', () => {
    const out = oldResults('done.json');
    chmodSync(out, 0o640);
    const r = cli(['scan', 'fast.test', '--world', worldFile, '--format', 'json', '-o', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { domain: string }[]).map((x) => x.domain)).toEqual(['fast.test']);
    expect(readdirSync(dir).filter((f) => f.includes('done.json'))).toEqual(['done.json']);
    expect(statSync(out).mode & 0o777).toBe(0o640);
  });
});

/** Runs the CLI with stdout a pipe whose reader is already gone. */
function closedPipe(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('| head -1: a closed pipe ends quietly with status 141', () => {
  it('scan, classify, vendors, report and diff', async () => {
    const results = at('pipe.json');
    const raw = at('pipe-raw.ndjson');
    const r = await cliAsync(['scan', 'fast.test', '--world', worldFile, '--format', 'json', '-o', results, '--raw', raw, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const runs = await Promise.all([
      closedPipe(['scan', 'fast.test', '--world', worldFile, '--format', 'ndjson']),
      closedPipe(['classify', raw, '--format', 'table']),
      closedPipe(['vendors']),
      closedPipe(['report', results, '--format', 'table']),
      closedPipe(['diff', results, results]),
    ]);
    for (const [i, run] of runs.entries()) expect({ i, ...run }).toEqual({ i, code: 141, signal: null, stderr: '' });
  }, 120_000);

  it('a scan whose reader goes away stops scanning (hang.test is not waited for)', async () => {
    // fast.test's row is written, fails with EPIPE, and the scan is abandoned: without that it
    // would wait 300 s for hang.test.
    const run = await closedPipe(['scan', 'fast.test', 'hang.test', '--world', worldFile, ...LONG, '--format', 'ndjson']);
    expect(run).toEqual({ code: 141, signal: null, stderr: '' });
  }, 120_000);
});
