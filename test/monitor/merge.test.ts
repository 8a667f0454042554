import { describe, expect, it } from 'vitest';
import { mergeScans } from '../../src/monitor/merge.js';
import { inShard } from '../../src/monitor/shard.js';
import type { ScanMeta } from '../../src/monitor/meta.js';
import { result } from './fixtures.js';

const all = Array.from({ length: 40 }, (_, i) => ({ ...result(`d${i}.example`), input: { line: i + 1 } }));
const meta = (shard: string, startedAt: string): ScanMeta => ({
  tool: 'whoserves', version: '0.1.0', vendorDb: 'db1', startedAt, finishedAt: startedAt, options: {}, shard,
});

describe('mergeScans', () => {
  it('shards merged equal the unsharded scan, in input order, metadata combined', () => {
    const n = 3;
    const shards = Array.from({ length: n }, (_, i) => ({
      file: `s${i + 1}.json`,
      meta: meta(`${i + 1}/${n}`, `2026-01-0${i + 1}T00:00:00Z`),
      results: all.filter((r) => inShard(r.domain, { k: i + 1, n })),
    }));
    const merged = mergeScans(shards.reverse());
    expect(merged.results).toEqual(all);
    expect(merged.warnings).toEqual([]);
    expect(merged.meta?.shard).toBeUndefined();
    expect(merged.meta?.startedAt).toBe('2026-01-01T00:00:00Z');
    expect(merged.meta?.finishedAt).toBe('2026-01-03T00:00:00Z');
  });

  it('rejects an overlap, naming both files', () => {
    expect(() =>
      mergeScans([
        { file: 'a.json', results: all.slice(0, 5) },
        { file: 'b.json', results: all.slice(4, 8) },
      ]),
    ).toThrow(/d4\.example is in both a\.json and b\.json/);
  });

  it('refuses a missing shard, unless allowed: then it warns and the metadata says so', () => {
    const only = [{ file: 'a.json', meta: meta('1/2', '2026-01-01T00:00:00Z'), results: all.slice(0, 2) }];
    expect(() => mergeScans(only)).toThrow(/shard\(s\) 2\/2 missing.*--allow-missing/);
    const m = mergeScans(only, { allowMissing: true });
    expect(m.warnings.join()).toMatch(/shard\(s\) 2\/2 missing/);
    expect(m.meta).toMatchObject({ incomplete: 'shard(s) 2/2', shards: [{ file: 'a.json', shard: '1/2' }] });
  });

  it('names every shard merged in the metadata', () => {
    const m = mergeScans([
      { file: 'b.json', meta: meta('2/2', '2026-01-01T00:05:00Z'), results: all.slice(2) },
      { file: 'a.json', meta: meta('1/2', '2026-01-01T00:00:00Z'), results: all.slice(0, 2) },
    ]);
    expect(m.meta?.shards).toEqual([
      { file: 'b.json', shard: '2/2', startedAt: '2026-01-01T00:05:00Z', finishedAt: '2026-01-01T00:05:00Z' },
      { file: 'a.json', shard: '1/2', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:00Z' },
    ]);
    expect(m.meta?.shard).toBeUndefined();
  });
});
