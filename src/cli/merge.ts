// `whoserves merge`: join shard outputs, rejecting overlaps.
import { Option, type Command } from 'commander';

interface MergeFlags {
  format?: 'json' | 'ndjson';
  output?: string;
  meta?: boolean;
  quiet?: boolean;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .summary('join the results of shards (--shard K/N), rejecting overlaps')
    .description(
      'Join the results of shards into one scan, in input order. A domain found in two files\n' +
        'is an error naming both (the shards overlap). Metadata, when present, is combined.',
    )
    .argument('<files...>', 'results files (json, json with meta, or ndjson)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'ndjson']).default('json'))
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--meta', 'json: a top-level object with the combined metadata and results')
    .option('-q, --quiet', 'no warnings on stderr')
    .action(async (files: string[], flags: MergeFlags) => {
      const { runMerge } = await import('./merge-run.js');
      await runMerge(files, flags);
    });
}
