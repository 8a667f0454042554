// Hosting attributed from networks, measured end to end: a world built from real (AS number,
// organisation) pairs of the embedded database — every company the vendor data attributes
// networks to, plus decoys — scanned over DNS with Team Cymru's answers and scored against the
// pairs' labels. WHOSERVES_ASN_PAIRS points it at another pairs file (same format).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import { renderMistakes, renderScores, score } from '../../src/eval/score.js';
import { buildAsnPairsWorld, readAsnPairs } from '../../src/world/asn-pairs.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { scanJson, tempDir, writeWorld } from '../e2e/helpers.js';

const pairsFile = process.env.WHOSERVES_ASN_PAIRS ?? fromRoot('fixtures/asn/pairs.json');
const pairs = readAsnPairs(pairsFile);

describe('hosting from (AS number, organisation) pairs', () => {
  it('holds precision >= 0.99 and recall >= 0.95 on hosting and CDN, scanned end to end', () => {
    const { world, labels } = buildAsnPairsWorld(pairs);
    const dir = tempDir();
    const worldFile = writeWorld(dir, world);
    const list = path.join(dir, 'domains.txt');
    writeFileSync(list, `${world.domains!.join('\n')}\n`);
    const { results } = scanJson([list, '--world', worldFile, '--no-http', '--no-extra-dns', '--concurrency', '32', '--dns-timeout', '5', '--timeout', '60']);
    expect(results).toHaveLength(pairs.length);
    const { scores, mistakes } = score(labels, results);
    const report = renderScores(scores) + renderMistakes(mistakes, labels.sources);
    console.log(`\n${pairs.length} pairs from ${pairsFile}\n${report}`);
    for (const s of scores.filter((x) => x.category === 'hosting' || x.category === 'cdn' || x.category === 'all')) {
      expect.soft(s.precision, `${s.category} precision\n${report}`).toBeGreaterThanOrEqual(0.99);
      expect.soft(s.recall, `${s.category} recall\n${report}`).toBeGreaterThanOrEqual(0.95);
    }
  }, 300_000);

  it('the organisation rules alone, without any AS number list, name the same companies', () => {
    // Generality: a company's every AS name, not a list of numbers, is what the rules encode.
    const db = loadVendorDb();
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const wrong: string[] = [];
    for (const p of pairs) {
      const want = new Set(Object.values(p.labels).flat());
      const found = new Set(db.matchers.asorg(p.name).map((h) => h.vendor.company.id));
      for (const c of want) if (found.has(c)) tp++; else { fn++; wrong.push(`missed ${c}: AS${p.asn} ${p.name}`); }
      for (const c of found) if (!want.has(c)) { fp++; wrong.push(`false ${c}: AS${p.asn} ${p.name}`); }
    }
    const precision = tp / (tp + fp || 1);
    const recall = tp / (tp + fn || 1);
    expect(precision, wrong.join('\n')).toBeGreaterThanOrEqual(0.99);
    expect(recall, wrong.join('\n')).toBeGreaterThanOrEqual(0.9);
  });
});
