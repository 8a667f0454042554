// `whoserves diff`: what changed between two scans; exit 1 when something did.
import { Option, type Command } from 'commander';

interface DiffFlags {
  format: 'text' | 'markdown' | 'json';
  output?: string;
  failOn: string;
  quiet?: boolean;
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .summary('compare two scans: providers added and removed; exit 1 on changes')
    .description(
      'Compare two scans per domain and category, at the level of the provider company.\n' +
        'A domain or category a scan could not measure is reported as such, never as a lost provider.\n' +
        'Exit 0: no change that counts; 1: changes (narrowed by --fail-on); 2: bad input.',
    )
    .argument('<old>', 'earlier results (json, json with meta, or ndjson)')
    .argument('<new>', 'later results (json, json with meta, or ndjson)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--fail-on <what>', 'what counts as a change: any | added | us | country:CC', 'any')
    .option('-q, --quiet', 'no warnings on stderr')
    .action(async (oldFile: string, newFile: string, flags: DiffFlags) => {
      const { runDiff } = await import('./diff-run.js');
      await runDiff(oldFile, newFile, flags);
    });
}
