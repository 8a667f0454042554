// `vendors show` in any case and as a valid overlay, `vendors --category` checked (issue 20);
// `merge` refuses a missing shard unless --allow-missing and names every shard in its metadata.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import { tempDir } from '../e2e/helpers.js';
import { toJson } from '../../src/report/json.js';
import { result } from '../monitor/fixtures.js';

const BIN = fromRoot('bin/whoserves.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const dir = tempDir();

describe('whoserves vendors', () => {
  it('shows a vendor whatever the case of its id, or by its name', () => {
    for (const id of ['cloudfront', 'CloudFront', 'CLOUDFRONT', 'Amazon CloudFront']) {
      const r = run(['vendors', 'show', id]);
      expect(r.status, id).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ id: 'cloudfront' });
    }
    expect(run(['vendors', 'show', 'no-such-vendor']).status).toBe(2);
  });

  it('show --overlay prints a valid overlay: lint passes, an edit applies with --vendors', () => {
    const r = run(['vendors', 'show', 'Alibaba-Mail', '--overlay']);
    expect(r.status).toBe(0);
    const overlay = JSON.parse(r.stdout) as { companies: { id: string }[]; vendors: { id: string; name: string; company: string }[] };
    expect(overlay.vendors).toMatchObject([{ id: 'alibaba-mail', company: 'alibaba' }]);
    expect(overlay.companies.map((c) => c.id)).toContain('alibaba');
    const file = path.join(dir, 'overlay.json');
    overlay.vendors[0]!.name = 'Alibaba Mail (edited)';
    writeFileSync(file, JSON.stringify(overlay));
    const lint = run(['vendors', 'lint', file]);
    expect([lint.status, lint.stdout]).toEqual([0, expect.stringMatching(/: 0 problem\(s\)\n$/)]);
    expect(JSON.parse(run(['vendors', 'show', 'alibaba-mail', '--vendors', file]).stdout)).toMatchObject({ name: 'Alibaba Mail (edited)' });
  });

  it('rejects an unknown category, naming the ones there are', () => {
    const r = run(['vendors', '--category', 'mail']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/argument 'mail' is invalid.*hosting.*saas/s);
  });
});

describe('whoserves merge', () => {
  const shard = (k: number, n: number, domains: string[]) => {
    const f = path.join(dir, `shard-${k}.json`);
    const meta = { tool: 'whoserves', version: '0.1.0', vendorDb: 'db', startedAt: `2026-01-0${k}T00:00:00Z`, options: {}, shard: `${k}/${n}` };
    writeFileSync(f, toJson({ meta, results: domains.map((d, i) => ({ ...result(d), input: { line: k * 10 + i } })) }));
    return f;
  };
  const one = shard(1, 3, ['a.com']);
  const two = shard(2, 3, ['b.com']);
  const three = shard(3, 3, ['c.com']);

  it('fails on a missing shard unless --allow-missing', () => {
    const out = path.join(dir, 'merged.json');
    const r = run(['merge', one, three, '--meta', '-o', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('merge: shard(s) 2/3 missing');
    const ok = run(['merge', one, three, '--meta', '--allow-missing', '-o', out]);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toContain('shard(s) 2/3 missing: the merged scan is incomplete');
    expect((JSON.parse(readFileSync(out, 'utf8')) as { meta: { incomplete: string } }).meta.incomplete).toBe('shard(s) 2/3');
  });

  it('names every shard in the merged metadata', () => {
    const r = run(['merge', three, one, two, '--meta']);
    expect(r.status).toBe(0);
    const { meta, results } = JSON.parse(r.stdout) as { meta: { shards: { file: string; shard: string }[] }; results: { domain: string }[] };
    expect(meta.shards.map((s) => [path.basename(s.file), s.shard])).toEqual([['shard-3.json', '3/3'], ['shard-1.json', '1/3'], ['shard-2.json', '2/3']]);
    expect(results.map((x) => x.domain)).toEqual(['a.com', 'b.com', 'c.com']);
  });
});
