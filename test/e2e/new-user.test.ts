// What a new user meets first (issue 20), through the real CLI against a small world: list files
// read by content, spreadsheet-ready CSV, the simulated-world banner, IDNs in Unicode, exit codes
// CI can trust, progress in logs, and output defaults (format, colour, width) resolved the same
// way by every command (issue 15 item 5).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, cli, tempDir, writeWorld } from './helpers.js';
import type { World } from '../../src/world/types.js';
import type { Result } from '../../src/types.js';

const world: World = {
  world: 1,
  description: 'new-user test world',
  asns: [
    { asn: 37963, name: 'ALIBABA-CN-NET', country: 'CN', prefixes: ['127.37.0.0/16'] },
    { asn: 8075, name: 'MICROSOFT-CORP-MSN-AS-BLOCK', country: 'US', prefixes: ['127.80.0.0/16'] },
  ],
  cas: [{ id: 'root', subject: { CN: 'New User Root', O: 'New User Trust', C: 'US' } }],
  zones: {
    'acme-vision.com': ['@ NS ns1.alidns.com.', '@ MX 10 acme-vision-com.mail.protection.outlook.com.', '@ A 127.37.0.10', 'www A 127.37.0.10'],
    'xn--bcher-kva.de': ['@ NS ns1.alidns.com.', '@ A 127.37.0.12'],
    'outlook.com': ['acme-vision-com.mail.protection A 127.80.0.5'],
    'alidns.com': ['ns1 A 127.37.0.53'],
  },
  sites: {
    'www.acme-vision.com': { tls: { ca: 'root' }, http: { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<html><head><meta name="generator" content="WordPress 6.4.2"><title>Acme 智能</title></head><body>hi</body></html>' } },
  },
};

const dir = tempDir();
const file = writeWorld(dir, world);
const put = (name: string, content: string | Buffer) => {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
};
/** The CLI with exactly these output variables set (NO_COLOR, FORCE_COLOR, COLUMNS unset otherwise). */
const run = (args: string[], env: Record<string, string> = {}) => {
  const base = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'COLUMNS']) delete base[k];
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...base, ...env } });
};
const ESC = '\x1b[';

describe('input files, read by their content', () => {
  it('a .list and a .tsv are lists; a directory, a binary file and a missing .tsv are refused (exit 2, one line)', () => {
    const list = put('domains.list', 'acme-vision.com\n');
    const tsv = put('tab.tsv', 'entity\tdomain\nBücher\tbücher.de\n');
    const ok = cli(['scan', list, tsv, '--world', file, '-f', 'json', '--quiet']);
    expect(ok.status).toBe(0);
    const results = JSON.parse(ok.stdout) as Result[];
    expect(results.map((r) => [r.domain, r.unicode, r.input.entity])).toEqual([
      ['acme-vision.com', undefined, undefined],
      ['xn--bcher-kva.de', 'bücher.de', 'Bücher'],
    ]);
    const sub = path.join(dir, 'results');
    mkdirSync(sub, { recursive: true });
    for (const [arg, message] of [
      [sub, /results: a directory, not a list of domains/],
      [put('photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0, 0, 0x10])), /photo\.jpg: a binary file, not a list of domains/],
      [path.join(dir, 'missing.tsv'), /missing\.tsv: no such file/],
    ] as const) {
      const r = cli(['scan', arg, '--world', file]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    }
  });

  it('a bare public suffix is refused with its reason, and costs only itself', () => {
    const r = cli(['scan', 'co.uk', 'acme-vision.com', '--world', file, '-f', 'json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("<args>:1: a public suffix (companies register names under it), not a company domain: 'co.uk'");
    expect((JSON.parse(r.stdout) as Result[]).map((x) => x.domain)).toEqual(['acme-vision.com']);
  });
});

describe('output', () => {
  const firms = put('firms.csv', 'domain,entity,country,status,hosting\nacme-vision.com,Acme,CN,listed,x\nbücher.de,Bücher,DE,listed,y\n');

  it('scan -f csv and report -f csv of the saved scan write the same bytes; input columns are prefixed, none repeats', () => {
    const csv = cli(['scan', firms, '--world', file, '-f', 'csv', '--quiet']);
    const json = put('saved.json', cli(['scan', firms, '--world', file, '-f', 'json', '--meta', '--quiet']).stdout);
    const again = cli(['report', json, '-f', 'csv']);
    expect(csv.status).toBe(0);
    expect(again.stdout).toBe(csv.stdout);
    const header = csv.stdout.split('\r\n')[0]!.split(',');
    expect(new Set(header).size).toBe(header.length);
    expect(header.slice(0, 5)).toEqual(['domain', 'input.country', 'input.entity', 'input.hosting', 'input.status']);
    expect(header).toEqual(expect.arrayContaining(['status', 'hosting', 'hosting_company', 'hosting_country', 'email_company', 'email_country', 'simulated_world']));
    const row = csv.stdout.split('\r\n')[1]!.split(',');
    expect(row[header.indexOf('input.country')]).toBe('CN');
    expect(row[header.indexOf('email_company')]).toBe('Microsoft Corporation');
    expect(row[header.indexOf('email_country')]).toBe('US');
    // The CMS the company runs itself: in its column, marked, with no provider company.
    expect(row[header.indexOf('cms')]).toBe('WordPress (self-hosted)');
    expect(row[header.indexOf('cms_company')]).toBe('');
    expect(row[header.indexOf('simulated_world')]).toBe(file);
  });

  it('--bom starts csv with a UTF-8 byte order mark; with json it is refused before the output file is made', () => {
    const out = path.join(dir, 'bom.csv');
    expect(cli(['scan', firms, '--world', file, '-f', 'csv', '--bom', '-o', out, '--quiet']).status).toBe(0);
    expect([...readFileSync(out).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const bad = path.join(dir, 'bom.json');
    const r = cli(['scan', firms, '--world', file, '-f', 'json', '--bom', '-o', bad]);
    expect([r.status, r.stderr.trim()]).toEqual([2, 'whoserves: --bom: only for --format csv or tsv']);
    expect(existsSync(bad)).toBe(false);
  });

  it('a scan of a world says it is simulated: json meta, markdown banner, table footer', () => {
    const meta = JSON.parse(cli(['scan', 'acme-vision.com', '--world', file, '-f', 'json', '--meta', '--quiet']).stdout) as { meta: { simulated?: { world: string; note: string } } };
    expect(meta.meta.simulated).toEqual({ world: file, note: 'simulated world: not measured data' });
    const md = cli(['scan', 'acme-vision.com', '--world', file, '-f', 'markdown', '--quiet']).stdout;
    expect(md.split('\n')[0]).toBe(`> **Simulated world (${file.replace(/([_[\]])/g, '\\$1')}): not measured data.**`);
    const table = run(['scan', 'acme-vision.com', '--world', file, '-f', 'table', '--quiet']).stdout;
    expect(table).toContain(`SIMULATED WORLD (${file}): not measured data.`);
  });

  it('an IDN reads in Unicode in the table, punycode next to it in JSON', () => {
    const table = run(['scan', 'bücher.de', '--world', file, '-f', 'table', '--quiet']).stdout;
    expect(table).toContain('bücher.de');
    expect(table).not.toContain('xn--bcher-kva.de');
  });
});

describe('exit codes CI can trust', () => {
  it('exits 4 when nothing was measured, and over --max-failed', () => {
    const none = cli(['scan', 'gone-corp.com', 'lost-corp.com', '--world', file, '-f', 'json']);
    expect(none.status).toBe(4);
    expect(none.stderr).toContain('whoserves: nothing was measured: all 2 domain(s) failed');
    // The results are still written: the failures are recorded in them.
    expect((JSON.parse(none.stdout) as Result[]).map((r) => r.status)).toEqual(['failed', 'failed']);
    const half = ['scan', 'acme-vision.com', 'gone-corp.com', '--world', file, '-f', 'json', '--quiet'];
    expect(cli(half).status).toBe(0);
    const over = cli([...half, '--max-failed', '10']);
    expect(over.status).toBe(4);
    expect(over.stderr).toContain('1 of 2 domains failed (50.0%), more than --max-failed 10%');
    expect(cli([...half, '--max-failed', '50%']).status).toBe(0);
    expect(cli([...half, '--max-failed', '101']).status).toBe(2);
  });
});

describe('progress', () => {
  it('a log (stderr not a terminal) gets plain progress lines', () => {
    const r = run(['scan', 'acme-vision.com', 'bücher.de', 'gone-corp.com', '--world', file, '-f', 'json'], { WHOSERVES_PROGRESS_SECONDS: '0' });
    expect(r.stderr).toMatch(/^whoserves: [12]\/3 domains \(\d+%\), [\d.]+\/s, \d+ with errors, ETA \d+s$/m);
    expect(r.stderr).not.toContain('\r');
  });

  it.skipIf(!existsSync('/usr/bin/script'))('a terminal is told the world is starting', () => {
    const out = path.join(dir, 'tty.json');
    const cmd = [process.execPath, BIN, 'scan', 'acme-vision.com', '--world', file, '-f', 'json', '-o', out].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('/usr/bin/script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toContain(`starting world ${file}…`);
  });
});

describe('output defaults: one resolver for every command', () => {
  const raw = path.join(dir, 'raw.ndjson');
  const saved = path.join(dir, 'results.json');
  const changed = path.join(dir, 'changed.json');
  const hist = path.join(dir, 'hist');

  it('scan: FORCE_COLOR colours a pipe, NO_COLOR and --no-color do not, COLUMNS sets the width', () => {
    const args = ['scan', 'acme-vision.com', '--world', file, '-f', 'table', '--quiet', '--raw', raw];
    expect(run(args, { FORCE_COLOR: '1' }).stdout).toContain(ESC);
    expect(run(args, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).toContain(ESC); // FORCE_COLOR wins, as in Node
    expect(run([...args, '--no-color'], { FORCE_COLOR: '1' }).stdout).not.toContain(ESC);
    expect(run(args, { NO_COLOR: '1' }).stdout).not.toContain(ESC);
    expect(run(args, { FORCE_COLOR: '0' }).stdout).not.toContain(ESC);
    const narrow = run(args, { COLUMNS: '64' }).stdout;
    expect(Math.max(...narrow.split('\n').map((l) => l.length))).toBeLessThanOrEqual(64);
    expect(Math.max(...run(args).stdout.split('\n').map((l) => l.length))).toBeGreaterThan(64);
  }, 120_000);

  it('classify and report: the same rules; report sanitises its warnings', () => {
    for (const args of [['classify', raw, '-f', 'table'], ['report', saved, '-f', 'table']]) {
      if (args[0] === 'report') writeFileSync(saved, cli(['scan', 'acme-vision.com', '--world', file, '-f', 'json', '--meta', '--quiet']).stdout);
      expect(run(args, { FORCE_COLOR: '1' }).stdout, args[0]).toContain(ESC);
      expect(run(args, { NO_COLOR: '1' }).stdout, args[0]).not.toContain(ESC);
      expect(Math.max(...run(args, { COLUMNS: '64' }).stdout.split('\n').map((l) => l.length)), args[0]).toBeLessThanOrEqual(64);
    }
    // The default format: json into a pipe.
    expect(() => JSON.parse(run(['report', saved]).stdout) as unknown).not.toThrow();
    // A warning quotes the file name, which can hold anything: no control character reaches stderr.
    const one = JSON.stringify((JSON.parse(readFileSync(saved, 'utf8')) as { results: unknown[] }).results[0]);
    const evil = put('evil\u001b]0;owned\u0007.ndjson', `${one}\n{"domain":"half-writ`);
    const r = run(['report', evil, '-f', 'table']);
    expect(r.stderr).toContain('dropped a half-written last line');
    expect(r.stderr).toContain('evil\\x1b]0;owned\\x07.ndjson');
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('diff: the counting changes coloured on request, "no changes" otherwise', () => {
    const before = JSON.parse(readFileSync(saved, 'utf8')) as { meta: unknown; results: Result[] };
    const after = structuredClone(before);
    after.results[0]!.services.cdn.push({ vendor: 'cloudfront', vendorName: 'Amazon CloudFront', company: 'amazon', companyName: 'Amazon.com, Inc.', country: 'US', confidence: 0.95, evidence: ['header x-amz-cf-id'] });
    writeFileSync(changed, JSON.stringify(after));
    expect(run(['diff', saved, changed], { FORCE_COLOR: '1' }).stdout).toContain(ESC);
    expect(run(['diff', saved, changed], { NO_COLOR: '1' }).stdout).not.toContain(ESC);
    expect(run(['diff', saved, saved], { FORCE_COLOR: '1' }).stdout).toMatch(/^warning: both scans ran against a simulated world .*\n\nno changes \(1 domain\(s\) compared\)\n$/);
  });

  it('history: colour and width from the same resolver', () => {
    mkdirSync(hist, { recursive: true });
    writeFileSync(path.join(hist, 'a.json'), readFileSync(saved));
    const later = JSON.parse(readFileSync(changed, 'utf8')) as { meta: { startedAt: string } };
    later.meta.startedAt = '2099-01-01T00:00:00.000Z';
    writeFileSync(path.join(hist, 'b.json'), JSON.stringify(later));
    expect(run(['history', hist], { FORCE_COLOR: '1' }).stdout).toContain(ESC);
    expect(run(['history', hist], { NO_COLOR: '1' }).stdout).not.toContain(ESC);
    const narrow = run(['history', hist], { COLUMNS: '64' }).stdout;
    expect(Math.max(...narrow.split('\n').map((l) => l.length))).toBeLessThanOrEqual(64);
  });

  it('vendors: the listing fits COLUMNS', () => {
    const wide = run(['vendors', '--country', 'CN'], { COLUMNS: '200' }).stdout;
    const narrow = run(['vendors', '--country', 'CN'], { COLUMNS: '64' }).stdout;
    expect(Math.max(...wide.split('\n').map((l) => l.length))).toBeGreaterThan(64);
    expect(Math.max(...narrow.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(64);
  });
});
