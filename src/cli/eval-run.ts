import { readFileSync } from 'node:fs';
import { readResults } from '../monitor/read-results.js';
import { parseLabels, renderMistakes, renderScores, score } from '../eval/score.js';
import { ExitCode, UsageError } from '../errors.js';
import { sanitizeLine } from '../report/sanitize.js';
import type { EvalOptions } from './eval.js';

export async function runEval(file: string, opts: EvalOptions): Promise<void> {
  let text: string;
  try {
    text = readFileSync(opts.labels, 'utf8');
  } catch (e) {
    throw new UsageError(`${opts.labels}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let labels;
  try {
    labels = parseLabels(text, opts.labels);
  } catch (e) {
    throw new UsageError(e instanceof SyntaxError ? `${opts.labels}: invalid JSON` : (e as Error).message);
  }
  const { results } = await readResults(file);
  const { scores, mistakes } = score(labels, results);
  let out = renderScores(scores);
  if (opts.mistakes) out += `\n${renderMistakes(mistakes, labels.sources).split('\n').map(sanitizeLine).join('\n')}`;
  process.stdout.write(out);
  const all = scores.find((s) => s.category === 'all')!;
  if ((opts.minRecall !== undefined && all.recall < opts.minRecall) || (opts.minPrecision !== undefined && all.precision < opts.minPrecision)) throw new ExitCode(1);
}
