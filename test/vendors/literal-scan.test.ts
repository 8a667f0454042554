// The literal scan decides which rules a value is tested against: it must name every rule one of
// whose literals the value contains (a miss would be a missed attribution), and no other.
import { describe, expect, it } from 'vitest';
import { LiteralScan } from '../../src/vendors/literal-scan.js';

/** What the scan must equal: the plain definition. */
function brute(lits: (string[] | undefined)[], lower: string): number[] {
  return lits.flatMap((ls, i) => (!ls || ls.some((l) => lower.includes(l)) ? [i] : []));
}

describe('LiteralScan', () => {
  it('finds overlapping literals, prefixes of each other and ones inside each other', () => {
    const lits = [['.net/'], ['cloudfront.net/'], ['cloudfront'], undefined, ['front.n'], ['zzz', '.net/x'], ['et/']];
    const scan = new LiteralScan(lits);
    for (const v of ['https://d1.cloudfront.net/x.js', 'a.net/', 'nothing here', 'et/', 'cloudfron', '.net/x', ''])
      expect([v, scan.candidates(v)]).toEqual([v, brute(lits, v)]);
    // Rules without literals are always candidates; a list without any literal tries them all.
    expect(new LiteralScan([undefined, undefined]).candidates('x')).toEqual([0, 1]);
    expect(new LiteralScan([['abc']]).candidates('xabcx')).toEqual([0]);
  });

  it('agrees with the plain definition on random literal sets and texts', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    // A small alphabet, so literals overlap, repeat and nest often.
    const word = (min: number, max: number): string => Array.from({ length: min + rnd(max - min + 1) }, () => 'ab./c'[rnd(5)]).join('');
    for (let round = 0; round < 300; round++) {
      const lits = Array.from({ length: 1 + rnd(12) }, () => (rnd(6) === 0 ? undefined : Array.from({ length: 1 + rnd(3) }, () => word(3, 6))));
      const scan = new LiteralScan(lits);
      for (let t = 0; t < 10; t++) {
        const text = word(0, 40);
        expect(scan.candidates(text)).toEqual(brute(lits, text));
      }
    }
  });
});
