// `whoserves diff`: what changed between two scans; exit 1 when something did.
import { Option, type Command } from 'commander';

interface DiffFlags {
  format?: 'text' | 'markdown' | 'json';
  color?: boolean;
  output?: string;
  failOn: string;
  quiet?: boolean;
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .summary('compare two scans: providers added and removed; exit 1 on changes')
    .description(
      'Compare two scans per domain and category, at the level of the provider company. A domain or ' +
        'category a scan could not measure is reported as such, never as a lost provider. Every format ' +
        'says "no changes" when there are none. Exit 0: no change that counts; 1: changes (narrowed by ' +
        '--fail-on); 2: bad input.',
    )
    .argument('<old>', 'earlier results (json, json with meta, or ndjson)')
    .argument('<new>', 'later results (json, json with meta, or ndjson)')
    .addOption(new Option('-f, --format <format>', 'output format (default: text)').choices(['text', 'markdown', 'json']))
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--fail-on <what>', 'what counts as a change: any | added | us | country:CC', 'any')
    .option('-q, --quiet', 'no warnings on stderr')
    .option('--no-color', 'no colour, even on a terminal')
    .addHelpText('after', '\nExamples:\n  whoserves diff 2026-03-01.json 2026-04-01.json\n  whoserves diff old.json new.json -f markdown --fail-on us >> summary.md')
    .action(async (oldFile: string, newFile: string, flags: DiffFlags) => {
      const { runDiff } = await import('./diff-run.js');
      await runDiff(oldFile, newFile, flags);
    });
}
