// The benchmark world generator: deterministic per seed, a valid and closed world (every name it
// points at resolves inside it), faults as asked, and fast enough at 10,000 domains.
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/world/generate.js';
import { validateWorld } from '../../src/world/load.js';
import { compileDnsWorld } from '../../src/world/dns/server.js';
import { FAULTS, type World } from '../../src/world/types.js';
import type { ZoneRecord } from '../../src/world/zone.js';
import type { RecordStore } from '../../src/world/zone.js';

/** Follows CNAMEs (bounded) to the A records of a name. */
function addressesOf(store: RecordStore, name: string): string[] {
  let n = name;
  for (let hop = 0; hop < 8; hop++) {
    const l = store.lookup(n, 'A');
    if (l.kind === 'records') return l.records.map((r) => r.data as string);
    if (l.kind !== 'cname') return [];
    n = l.record.data;
  }
  return [];
}

const nsOf = (records: ZoneRecord[]): string[] => records.flatMap((r) => (r.type === 'NS' ? [r.data] : []));
const mxOf = (records: ZoneRecord[]): string[] => records.flatMap((r) => (r.type === 'MX' ? [r.data.exchange] : []));

describe('generateWorld', () => {
  it('is deterministic per seed', () => {
    const a = generateWorld({ domains: 200, seed: 7, faults: 0.1 });
    expect(generateWorld({ domains: 200, seed: 7, faults: 0.1 })).toEqual(a);
    const b = generateWorld({ domains: 200, seed: 8, faults: 0.1 });
    expect(b).not.toEqual(a);
    expect(b.domains).not.toEqual(a.domains);
  });

  it('lists its company domains, each with a zone and an apex and www site', () => {
    const w = generateWorld({ domains: 300, seed: 1, latencyMs: 5 });
    expect(w.domains).toHaveLength(300);
    expect(new Set(w.domains).size).toBe(300);
    expect(w.latencyMs).toBe(5);
    for (const d of w.domains!) {
      expect(w.zones?.[d], d).toBeDefined();
      expect(w.sites?.[d]?.http?.headers?.location, d).toBe(`https://www.${d}/`);
      expect(w.sites?.[`www.${d}`]?.http?.status, d).toBe(200);
    }
    expect(w.faults).toBeUndefined();
  });

  it('loads with validateWorld, every site CA exists, and every zone compiles', () => {
    const w: unknown = JSON.parse(JSON.stringify(generateWorld({ domains: 500, seed: 3, faults: 0.2 })));
    validateWorld(w, '<generated>', '.');
    const world = w as World;
    const caIds = new Set(world.cas!.map((c) => c.id));
    for (const [host, site] of Object.entries(world.sites!)) expect(caIds.has(site.tls!.ca), host).toBe(true);
    const dns = compileDnsWorld(world, '<generated>');
    expect(dns.store.zones.size).toBe(Object.keys(world.zones!).length);
  });

  it('is closed: NS, MX, www and site names all resolve to addresses of a listed network', () => {
    const world = generateWorld({ domains: 400, seed: 11 });
    const { store } = compileDnsWorld(world);
    const prefixes = world.asns!.map((a) => a.prefixes[0]!.replace(/\.0\.0\/16$/, '.'));
    const inWorld = (ip: string): boolean => prefixes.some((p) => ip.startsWith(p));
    for (const d of world.domains!) {
      const apex = store.all(d);
      const ns = nsOf(apex);
      const mx = mxOf(apex);
      expect(ns.length, d).toBeGreaterThan(0);
      expect(mx.length, d).toBe(1);
      const targets = [...ns, ...mx, d, `www.${d}`];
      for (const t of targets) {
        const ips = addressesOf(store, t);
        expect(ips.length, `${d}: ${t}`).toBeGreaterThan(0);
        for (const ip of ips) expect(inWorld(ip), `${t} ${ip}`).toBe(true);
      }
    }
  });

  it('gives about the requested fraction of domains a fault, by known names only', () => {
    const n = 2000;
    const world = generateWorld({ domains: n, seed: 5, faults: 0.25 });
    const faults = Object.entries(world.faults ?? {});
    const fraction = faults.length / n;
    expect(fraction).toBeGreaterThan(0.2);
    expect(fraction).toBeLessThan(0.3);
    const known = new Set<string>(FAULTS);
    const used = new Set<string>();
    for (const [key, value] of faults) {
      for (const f of [value].flat()) {
        expect(known.has(f), f).toBe(true);
        used.add(f);
        // DNS faults on the company zone, the others on its www site.
        if (f.startsWith('dns-')) expect(world.domains).toContain(key);
        else expect(world.sites?.[key], key).toBeDefined();
      }
    }
    expect(used.size).toBeGreaterThan(FAULTS.length / 2);
    expect(Object.keys(generateWorld({ domains: n, seed: 5, faults: 0 }).faults ?? {})).toHaveLength(0);
  });

  it('generates and compiles a 10,000-domain world', () => {
    const t0 = performance.now();
    const world = generateWorld({ domains: 10_000, seed: 42, faults: 0.05 });
    const t1 = performance.now();
    const { store } = compileDnsWorld(world);
    const t2 = performance.now();
    expect(world.domains).toHaveLength(10_000);
    expect(store.zones.size).toBe(Object.keys(world.zones!).length);
    const records = Object.values(world.zones!).reduce((s, z) => s + z.length, 0);
    console.log(
      `generate 10,000 domains: ${(t1 - t0).toFixed(0)} ms; compile DNS (${store.zones.size} zones, ${records} records): ${(t2 - t1).toFixed(0)} ms; ` +
        `JSON ${(JSON.stringify(world).length / 1e6).toFixed(1)} MB`,
    );
  });
});
