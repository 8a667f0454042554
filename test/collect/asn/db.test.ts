// The embedded database: compiled from the npm package's CSVs, cached on disk, binary-searched.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDb, versionDate, type LoadedDb } from '../../../src/collect/asn/db.js';
import { openAsnSource } from '../../../src/collect/asn/index.js';

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'whoserves-asn-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('embedded db', () => {
  let first: LoadedDb;

  it('compiles once, then loads from the disk cache in under 300 ms', () => {
    first = loadDb(cacheDir);
    expect(first.cached).toBe(false);
    expect(first.table.v4Count).toBeGreaterThan(100_000);
    expect(first.table.v6Count).toBeGreaterThan(10_000);
    const again = loadDb(cacheDir);
    expect(again.cached).toBe(true);
    expect(again.table.v4Count).toBe(first.table.v4Count);
    console.log(`asn db: compile ${first.ms.toFixed(0)} ms, cached load ${again.ms.toFixed(0)} ms, ${first.table.v4Count} v4 + ${first.table.v6Count} v6 ranges`);
    // Generous against a loaded shared machine; the figure above is the one to note.
    expect(again.ms).toBeLessThan(1500);
  });

  it('knows well-known addresses, IPv4 and IPv6', () => {
    const t = loadDb(cacheDir).table;
    expect(t.lookup('8.8.8.8')).toMatchObject({ asn: 15169 });
    expect(t.lookup('1.1.1.1')).toMatchObject({ asn: 13335 });
    expect(t.lookup('9.9.9.9')?.asn).toBe(19281);
    expect(t.lookup('2001:4860:4860::8888')).toMatchObject({ asn: 15169 });
    expect(t.lookup('2606:4700:4700::1111')).toMatchObject({ asn: 13335 });
    expect(t.lookup('8.8.8.8')?.prefix).toMatch(/^8\.8\.8\.0\/2[0-4]$/);
    expect(t.lookup('10.1.2.3')).toBeUndefined();
    expect(t.lookup('127.0.0.1')).toBeUndefined();
    expect(t.lookup('not an ip')).toBeUndefined();
  });

  it('looks up in well under 2 µs', () => {
    const t = loadDb(cacheDir).table;
    const n = 200_000;
    const t0 = performance.now();
    let hits = 0;
    for (let i = 0; i < n; i++) if (t.lookupV4(Math.imul(i, 2654435761) >>> 0)) hits++; // prefix text included
    const us = ((performance.now() - t0) * 1000) / n;
    console.log(`asn db: ${us.toFixed(3)} µs per IPv4 lookup (${hits} hits of ${n})`);
    expect(hits).toBeGreaterThan(0);
  });

  it('dates the data from the package version', () => {
    expect(versionDate('2.3.2026061719')).toBe('2026-06-17');
    expect(versionDate('1.0.0')).toBeUndefined();
  });

  it('as an AsnSource: tagged with source and date, unknown → asn null', async () => {
    const src = await openAsnSource({ kind: 'db', cacheDir });
    expect(src.kind).toBe('db');
    expect(src.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await src.lookup('8.8.8.8')).toMatchObject({ asn: 15169, source: 'db', date: src.date, asName: expect.stringMatching(/google/i) });
    expect(await src.lookup('192.168.1.1')).toEqual({ asn: null, source: 'db', date: src.date });
    expect(await src.lookup('garbage')).toEqual({ asn: null, source: 'db', date: src.date });
  });
});
