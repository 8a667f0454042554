import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../src/monitor/shard.js';

const domains = Array.from({ length: 500 }, (_, i) => `company-${i}.example`);

describe('shard', () => {
  it('parses K/N and rejects bad values with a clear message', () => {
    expect(parseShard('2/8')).toEqual({ k: 2, n: 8 });
    expect(parseShard(' 1 / 1 ')).toEqual({ k: 1, n: 1 });
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '1/4/2', '-1/4']) expect(() => parseShard(bad), bad).toThrow(/--shard/);
  });

  it('puts every domain in exactly one of N shards, roughly evenly', () => {
    for (const n of [1, 2, 3, 7]) {
      const counts = new Array<number>(n).fill(0);
      for (const d of domains) {
        const hits = Array.from({ length: n }, (_, i) => inShard(d, { k: i + 1, n })).filter(Boolean).length;
        expect(hits).toBe(1);
        counts[shardOf(d, n) - 1]!++;
      }
      for (const c of counts) expect(c).toBeGreaterThan(domains.length / n / 2);
    }
  });

  it('is stable: a fixed domain always lands in the same shard, regardless of case', () => {
    // Pinned values: a change of hash would silently reshuffle every user's CI matrix.
    expect(shardOf('hikvision.com', 8)).toBe(shardOf('HIKVISION.com', 8));
    const pinned = ['hikvision.com', 'dahua.com', 'example.org'].map((d) => shardOf(d, 10));
    expect(pinned).toEqual([3, 5, 2]); // first 32 bits of SHA-1, mod 10, plus 1 (computed with node:crypto)
  });
});
