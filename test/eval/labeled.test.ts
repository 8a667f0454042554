// Accuracy, measured end to end: scan the labeled world over real DNS/TLS/HTTP and score the
// Results against its labels. WHOSERVES_EVAL_WORLD / WHOSERVES_EVAL_LABELS point it at another
// labeled world (same formats) without touching the code.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import { parseLabels, renderScores, score } from '../../src/eval/score.js';
import { scanJson, tempDir } from '../e2e/helpers.js';

const worldFile = process.env.WHOSERVES_EVAL_WORLD ?? fromRoot('fixtures/worlds/labeled.json');
const labelFile = process.env.WHOSERVES_EVAL_LABELS ?? fromRoot('fixtures/worlds/labeled.labels.json');

describe('labeled evaluation world', () => {
  it('holds precision >= 0.97 and recall >= 0.95 in every category', () => {
    const labels = parseLabels(readFileSync(labelFile, 'utf8'), labelFile);
    const list = path.join(tempDir(), 'domains.txt');
    writeFileSync(list, Object.keys(labels.domains).join('\n') + '\n');
    // Generous deadlines: accuracy is measured here, not speed, and CI machines are busy.
    const { results } = scanJson([list, '--world', worldFile, '--concurrency', '16', '--dns-timeout', '5', '--http-timeout', '20', '--timeout', '60']);
    expect(results).toHaveLength(Object.keys(labels.domains).length);
    const { scores, mistakes } = score(labels, results);
    const report = renderScores(scores) + mistakes.map((m) => `${m.kind} ${m.domain} ${m.category} ${m.company} ${(m.evidence ?? []).join('; ')}`).join('\n');
    console.log(`\n${report}\n`);
    for (const s of scores) {
      expect.soft(s.precision, `${s.category} precision\n${report}`).toBeGreaterThanOrEqual(0.97);
      expect.soft(s.recall, `${s.category} recall\n${report}`).toBeGreaterThanOrEqual(0.95);
    }
  }, 300_000);
});
