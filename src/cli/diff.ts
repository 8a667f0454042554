// `whoserves diff`: what changed between two scans; exit 1 when something did.
import { Option, type Command } from 'commander';
import { notYet } from './not-yet.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .summary('compare two scans: providers added and removed; exit 1 on changes')
    .argument('<old>', 'earlier results (json or ndjson)')
    .argument('<new>', 'later results (json or ndjson)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--fail-on <what>', 'what counts as a change: any | added | us | country:CC', 'any')
    .action(async () => notYet('diff'));
}
