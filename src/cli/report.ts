// `whoserves report`: re-render saved Results.
import type { Command } from 'commander';
import { addOutputOptions } from './options.js';
import { notYet } from './not-yet.js';

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .summary('re-render saved results (json or ndjson) in any format')
    .argument('<results>', 'results file (json array, json with meta, or ndjson; - for stdin)');
  addOutputOptions(cmd);
  cmd.action(async () => notYet('report'));
}
