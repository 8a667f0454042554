// A map that keeps only its most recently used entries: a world serves tens of thousands of
// sites, and what a site costs to keep (its TLS context) must not grow with the world.
export class RecentlyUsed<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    // A Map iterates in insertion order: re-inserting makes the entry the newest.
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }

  /** Removes the least recently used entry and returns its value. */
  shift(): V | undefined {
    const first = this.map.entries().next();
    if (first.done) return undefined;
    this.map.delete(first.value[0]);
    return first.value[1];
  }

  get size(): number {
    return this.map.size;
  }
}
