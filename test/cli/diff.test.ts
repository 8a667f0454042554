// The diff and merge commands as a user runs them: the built CLI (npm test builds first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import { toJson, toNdjsonLine } from '../../src/report/json.js';
import { inShard } from '../../src/monitor/shard.js';
import { attr, result } from '../monitor/fixtures.js';

const BIN = fromRoot('bin/whoserves.js');
let dir = '';

function run(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 15_000 });
}

async function write(name: string, text: string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, text);
  return p;
}

const before = [result('a.com', { email: [attr('tencent', 'CN')] }), result('b.com', { cdn: [attr('amazon', 'US')] })];
const cnAdded = [result('a.com', { email: [attr('tencent', 'CN')], dns: [attr('alibaba', 'CN')] }), before[1]!];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'whoserves-cli-diff-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('whoserves diff', () => {
  it('exits 0 and says "no changes" in every format when nothing changed (json vs ndjson of the same scan)', async () => {
    const old = await write('old.json', toJson(before));
    const same = await write('same.ndjson', before.map(toNdjsonLine).join(''));
    const text = run(['diff', old, same]);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^no changes \(\d+ domain\(s\) compared\)\n$/);
    // Markdown goes to a job summary: it says so too, under its heading.
    const md = run(['diff', old, same, '--format', 'markdown']);
    expect([md.status, md.stdout]).toEqual([0, expect.stringMatching(/^## whoserves: changes since the last scan\n\nno changes/)]);
    const json = run(['diff', old, same, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ failing: false, changes: [], headline: expect.stringMatching(/^no changes/) });
  });

  it('exits 1 on a change, and --fail-on narrows it', async () => {
    const o = await write('o.json', toJson(before));
    const n = await write('n.json', toJson(cnAdded));
    const any = run(['diff', o, n, '--format', 'markdown']);
    expect(any.status).toBe(1);
    expect(any.stdout).toContain('alibaba Inc. (CN)');
    expect(run(['diff', o, n, '--fail-on', 'us']).status).toBe(0);
    expect(run(['diff', o, n, '--fail-on', 'country:CN']).status).toBe(1);
    const out = path.join(dir, 'diff.json');
    expect(run(['diff', o, n, '--format', 'json', '-o', out]).status).toBe(1);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ failing: true, summary: { providersAdded: 1 } });
  });

  it('exits 2 on bad input, naming the file and line', async () => {
    const o = await write('ok.json', toJson(before));
    const bad = await write('bad.ndjson', toNdjsonLine(before[0]) + 'nonsense\n' + toNdjsonLine(before[1]));
    const r = run(['diff', o, bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.ndjson:2: not valid JSON/);
    expect(run(['diff', o, path.join(dir, 'missing.json')]).status).toBe(2);
    expect(run(['diff', o, o, '--fail-on', 'nonsense']).status).toBe(2);
  });

  it('validates against the Result schema: an attribution that is only {"vendor": null} is exit 2 (issue 19)', async () => {
    const o = await write('schema-ok.json', toJson(before));
    const broken = JSON.parse(toJson(cnAdded)) as typeof cnAdded;
    (broken[0]!.services.dns as unknown[]) = [{ vendor: null }];
    const r = run(['diff', o, await write('schema-bad.json', toJson(broken))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/schema-bad\.json: result #1: a\.com: services\.dns\[0\]: must have required property 'vendorName'/);
    // A Result from a newer version (an unknown field, a new error code) still reads.
    const newer = JSON.parse(toJson(cnAdded)) as Record<string, unknown>[];
    newer[0]!.futureField = { x: 1 };
    newer[0]!.errors = [{ stage: 'tls', code: 'SOME_FUTURE_CODE', message: 'x' }];
    expect(run(['diff', o, await write('schema-newer.json', toJson(newer)), '--fail-on', 'us']).status).toBe(0);
  });
});

describe('whoserves merge', () => {
  const all = Array.from({ length: 12 }, (_, i) => ({ ...result(`d${i}.example`), input: { line: i + 1 } }));

  it('joins shards into the unsharded scan', async () => {
    const files = [];
    for (let k = 1; k <= 3; k++) {
      files.push(await write(`shard${k}.ndjson`, all.filter((r) => inShard(r.domain, { k, n: 3 })).map(toNdjsonLine).join('')));
    }
    const r = run(['merge', ...files, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(toJson(all));
  });

  it('exits 2 on overlapping shards, naming both files', async () => {
    const a = await write('x.json', toJson(all.slice(0, 3)));
    const b = await write('y.json', toJson(all.slice(2, 5)));
    const r = run(['merge', a, b]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/d2\.example is in both .*x\.json and .*y\.json/);
  });
});
