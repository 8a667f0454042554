// `whoserves classify`: re-run the classifier offline on saved observations.
import type { Command } from 'commander';
import { addOutputOptions, collect } from './options.js';
import type { ClassifyOptions } from './classify-run.js';

export function registerClassify(program: Command): void {
  const cmd = program
    .command('classify')
    .summary('re-classify saved observations (scan --raw) offline')
    .argument('<observations>', 'ndjson file of observations written by scan --raw (- for stdin)')
    .option('--vendors <file>', 'overlay your own vendor rules (repeatable)', collect)
    .option('--ccadb <file>', 'a CA index rebuilt from a newer CCADB report (whoserves data ccadb)');
  addOutputOptions(cmd);
  cmd.action(async (file: string, opts: ClassifyOptions) => {
    const { runClassify } = await import('./classify-run.js');
    await runClassify(file, opts);
  });
}
