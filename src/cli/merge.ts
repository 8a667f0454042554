// `whoserves merge`: join shard outputs, rejecting overlaps.
import { Option, type Command } from 'commander';

interface MergeFlags {
  format?: 'json' | 'ndjson';
  output?: string;
  meta?: boolean;
  quiet?: boolean;
  allowMissing?: boolean;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .summary('join the results of shards (--shard K/N), rejecting overlaps')
    .description(
      'Join the results of shards into one scan, in input order. A domain found in two files is an ' +
        'error naming both (the shards overlap); so is a missing shard (K/N written by scan --shard --meta), ' +
        'unless --allow-missing. Metadata is combined and names every file merged (meta.shards).',
    )
    .argument('<files...>', 'results files (json, json with meta, or ndjson)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'ndjson']).default('json'))
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--meta', 'json: a top-level object with the combined metadata and results')
    .option('--allow-missing', 'merge even when shards are missing (the metadata says which)')
    .option('-q, --quiet', 'no warnings on stderr')
    .addHelpText('after', '\nExamples:\n  whoserves merge shards/results-*.json --meta -o results.json\n  whoserves merge results-1.json results-3.json --allow-missing --meta')
    .action(async (files: string[], flags: MergeFlags) => {
      const { runMerge } = await import('./merge-run.js');
      await runMerge(files, flags);
    });
}
