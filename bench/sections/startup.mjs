// Section 5: `whoserves --help` wall time, ASN database load and lookup, vendor database load.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, measured, median, round, target } from '../lib.mjs';

export async function startup() {
  const helps = [];
  for (let i = 0; i < 10; i++) helps.push(await measured(process.execPath, [BIN, '--help']));
  const out = {
    helpMedianMs: round(median(helps.map((h) => h.wallMs)), 0),
    helpMinMs: round(Math.min(...helps.map((h) => h.wallMs)), 0),
    helpRssMB: median(helps.map((h) => h.maxRssMB)),
    bareNodeMs: undefined,
  };
  const bare = [];
  for (let i = 0; i < 5; i++) bare.push((await measured(process.execPath, ['-e', '0'])).wallMs);
  out.bareNodeMs = round(median(bare), 0); // the floor any node CLI pays on this machine now
  out.helpTarget = `≤ bare node + 15 ms (${out.bareNodeMs + 15} ms): ${target(out.helpMedianMs, out.bareNodeMs + 15)}`;

  const { loadDb } = await import('../../dist/collect/asn/db.js');
  const cache = mkdtempSync(path.join(os.tmpdir(), 'whoserves-asn-'));
  try {
    const first = loadDb(cache); // compiles from the package CSVs and writes the cache
    const again = loadDb(cache); // what every later run pays
    const table = again.table;
    const N = 1_000_000;
    let x = 0x9e3779b9;
    const ips = Array.from({ length: 10_000 }, () => {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      return `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
    });
    let hits = 0;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) if (table.lookup(ips[i % ips.length])) hits++;
    const ns = ((performance.now() - t0) * 1e6) / N;
    out.asn = { compileMs: round(first.ms, 0), compiledFromCsv: !first.cached, cachedLoadMs: round(again.ms, 1), v4Ranges: table.v4Count, v6Ranges: table.v6Count, lookupNs: round(ns, 0), hitRate: round(hits / N, 3) };
    out.asnTarget = `load ≤ 300 ms: ${target(out.asn.cachedLoadMs, 300)} (cached); first run compiles: ${target(out.asn.compileMs, 300)}`;
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }

  const t1 = performance.now();
  const { loadVendorDb } = await import('../../dist/vendors/load.js');
  const importMs = performance.now() - t1;
  const t2 = performance.now();
  const db = loadVendorDb();
  const loadMs = performance.now() - t2;
  const t3 = performance.now();
  loadVendorDb();
  out.vendors = { importMs: round(importMs, 1), loadMs: round(loadMs, 1), secondLoadMs: round(performance.now() - t3, 1), vendors: db.vendors?.length ?? Object.keys(db).length };
  return out;
}
