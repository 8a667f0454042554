// `whoserves merge`: join shard outputs, rejecting overlaps.
import type { Command } from 'commander';
import { addOutputOptions } from './options.js';
import { notYet } from './not-yet.js';

export function registerMerge(program: Command): void {
  const cmd = program
    .command('merge')
    .summary('join the results of shards (--shard K/N), rejecting overlaps')
    .argument('<files...>', 'results files (json or ndjson)');
  addOutputOptions(cmd);
  cmd.action(async () => notYet('merge'));
}
