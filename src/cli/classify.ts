// `whoserves classify`: re-run the classifier offline on saved observations.
import type { Command } from 'commander';
import { addOutputOptions, collect, examples } from './options.js';
import type { ClassifyOptions } from './classify-run.js';

export function registerClassify(program: Command): void {
  const cmd = program
    .command('classify')
    .summary('re-classify saved observations (scan --raw) offline')
    .description(
      'Run the classifier again on the raw observations a scan saved with --raw, without touching the ' +
        'network: after a fix to the vendor database, or with your own rules (--vendors).',
    )
    .argument('<observations>', 'ndjson file of observations written by scan --raw (- for stdin)')
    .option('--vendors <file>', 'overlay your own vendor rules (repeatable)', collect)
    .option('--ccadb <file>', 'a CA index rebuilt from a newer CCADB report (whoserves data ccadb)');
  addOutputOptions(cmd);
  examples(cmd, [
    'whoserves scan hikvision.com --raw observations.ndjson -o results.json',
    'whoserves classify observations.ndjson --vendors my-rules.json --format table',
  ]);
  cmd.action(async (file: string, opts: ClassifyOptions) => {
    const { runClassify } = await import('./classify-run.js');
    await runClassify(file, opts);
  });
}
