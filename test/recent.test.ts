// The bounded map behind the resolver's cache, the scan's chain cache and the world's TLS
// contexts: least recently used goes first, and every operation stays O(1) however many
// entries have come and gone.
import { describe, expect, it } from 'vitest';
import { RecentlyUsed } from '../src/recent.js';

/** The obvious model: an array, most recent last. */
class Model<K, V> {
  entries: [K, V][] = [];
  constructor(private readonly max: number) {}
  get(k: K): V | undefined {
    const i = this.entries.findIndex((e) => e[0] === k);
    if (i < 0) return undefined;
    const [e] = this.entries.splice(i, 1);
    this.entries.push(e!);
    return e![1];
  }
  set(k: K, v: V): void {
    const i = this.entries.findIndex((e) => e[0] === k);
    if (i >= 0) this.entries.splice(i, 1);
    else if (this.entries.length >= this.max) this.entries.shift();
    this.entries.push([k, v]);
  }
  shift(): V | undefined {
    return this.entries.shift()?.[1];
  }
}

describe('RecentlyUsed', () => {
  it('keeps the most recently used entries, up to its bound', () => {
    const m = new RecentlyUsed<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the newest
    m.set('c', 3); // evicts b, the least recently used
    expect([m.get('a'), m.get('b'), m.get('c'), m.size]).toEqual([1, undefined, 3, 2]);
    m.set('a', 10); // an update makes a the newest
    m.set('d', 4); // evicts c
    expect([m.get('c'), m.get('a'), m.get('d')]).toEqual([undefined, 10, 4]);
    expect([m.shift(), m.shift(), m.shift(), m.size]).toEqual([10, 4, undefined, 0]);
  });

  it('agrees with a plain model over a long random run, including a bound of one', () => {
    for (const max of [1, 2, 7, 64]) {
      const m = new RecentlyUsed<number, number>(max);
      const ref = new Model<number, number>(max);
      let seed = 12345 + max;
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      for (let i = 0; i < 20_000; i++) {
        const k = rnd(max * 3);
        const op = rnd(10);
        if (op < 5) expect(m.get(k)).toBe(ref.get(k));
        else if (op < 9) {
          m.set(k, i);
          ref.set(k, i);
        } else expect(m.shift()).toBe(ref.shift());
        expect(m.size).toBe(ref.entries.length);
      }
      // Drained oldest first, the order is the model's.
      const order: number[] = [];
      for (let v = m.shift(); v !== undefined; v = m.shift()) order.push(v);
      expect(order).toEqual(ref.entries.map((e) => e[1]));
    }
  });

  it('keeps the newest entries after a hundred times its bound have come and gone', () => {
    const m = new RecentlyUsed<string, number>(1000);
    for (let i = 0; i < 100_000; i++) m.set(`k${i}`, i);
    expect(m.size).toBe(1000);
    expect(m.get('k98999')).toBeUndefined();
    expect(m.get('k99000')).toBe(99000);
    expect(m.shift()).toBe(99001);
  });

  it('refuses a bound below one', () => {
    expect(() => new RecentlyUsed(0)).toThrow(RangeError);
  });
});
