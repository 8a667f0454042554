// Invariants of diffScans over random scans (seeded, so a failure replays).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffScans } from '../../src/monitor/diff.js';
import { CATEGORIES, type Result } from '../../src/types.js';
import { attr, result } from './fixtures.js';

const companies = [['amazon', 'US'], ['alibaba', 'CN'], ['tencent', 'CN'], ['ovh', 'FR']] as const;

const scan = fc
  .uniqueArray(
    fc.record({
      domain: fc.constantFrom('a.com', 'b.com', 'c.cn', 'd.org', 'e.net'),
      picks: fc.array(fc.tuple(fc.constantFrom(...CATEGORIES), fc.constantFrom(...companies)), { maxLength: 6 }),
    }),
    { selector: (r) => r.domain, maxLength: 5 },
  )
  .map((rows): Result[] =>
    rows.map(({ domain, picks }) => {
      const r = result(domain);
      for (const [category, [company, country]] of picks) r.services[category].push(attr(company, country));
      return r;
    }),
  );

describe('diffScans properties', () => {
  it('a scan diffed with itself has no change', () => {
    fc.assert(fc.property(scan, (s) => diffScans({ results: s }, { results: s }, { failOn: 'any' }).changes.length === 0), { seed: 7 });
  });

  it('swapping OLD and NEW swaps added and removed', () => {
    fc.assert(
      fc.property(scan, scan, (a, b) => {
        const fwd = diffScans({ results: a }, { results: b }, { failOn: 'any' });
        const back = diffScans({ results: b }, { results: a }, { failOn: 'any' });
        const key = (c: { domain: string; category?: string; provider?: { key: string } }) => `${c.domain} ${c.category} ${c.provider?.key}`;
        const removedFwd = fwd.changes.filter((c) => c.kind === 'provider-removed').map(key).sort();
        const addedBack = back.changes.filter((c) => c.kind === 'provider-added' && !c.newDomain).map(key).sort();
        expect(addedBack).toEqual(removedFwd);
        expect(back.summary.domainsAdded).toBe(fwd.summary.domainsRemoved);
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});
