// `whoserves eval`: score saved Results against labels (company level, per category) — the accuracy
// benchmarks of `npm test` (labeled world, real captures), runnable on any scan.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';

function rate(value: string): number {
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || n > 1) throw new InvalidArgumentError(`expected a fraction from 0 to 1, got '${value}'`);
  return n;
}

export interface EvalOptions {
  labels: string;
  mistakes?: boolean;
  minRecall?: number;
  minPrecision?: number;
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .summary('score saved results against labels: precision and recall per category')
    .description('Score saved Results against a label file ({"labels": 1, "level": "company", "domains": {...}}): per category, which provider companies the scan named versus what the labels say. Exit 1 under --min-recall/--min-precision.')
    .argument('<results>', 'results file (json array, json with meta, or ndjson)')
    .requiredOption('--labels <file>', 'label file (world from-captures writes one)')
    .option('--mistakes', 'list every miss and false claim, with its evidence')
    .option('--min-recall <r>', 'exit 1 when overall recall is below R', rate)
    .option('--min-precision <p>', 'exit 1 when overall precision is below P', rate)
    .addHelpText('after', '\nExamples:\n  whoserves eval results.json --labels labels.json\n  whoserves eval results.json --labels labels.json --mistakes --min-recall 0.95')
    .action(async (file: string, opts: EvalOptions) => {
      const { runEval } = await import('./eval-run.js');
      await runEval(file, opts);
    });
}
