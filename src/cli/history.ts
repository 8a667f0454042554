// `whoserves history`: the provider relationships of a list across monthly scans.
import { Option, type Command } from 'commander';
import { intArg } from './options.js';

export interface HistoryFlags {
  format?: 'table' | 'markdown' | 'csv' | 'json' | 'html';
  output?: string;
  color?: boolean;
  bom?: boolean;
  last?: number;
  quiet?: boolean;
}

export function registerHistory(program: Command): void {
  program
    .command('history')
    .summary('the story across scans: each provider relationship as an interval, providers over time')
    .description(
      'Read Results of several scans (written with scan --format json --meta), order them by scan date ' +
        'and show, per company and category, when each provider was first and last seen, with the ' +
        'evidence at both ends; then how many companies each provider served per scan and the share ' +
        'served by U.S. providers. A scan that could not measure a company is a gap, never an end.',
    )
    .argument('<results...>', 'Results files (json with meta, or ndjson with a meta line) or directories of them')
    .addOption(new Option('-f, --format <format>', 'output format (default: table; it wraps to the terminal or COLUMNS)').choices(['table', 'markdown', 'csv', 'json', 'html']))
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--last <n>', 'only the latest N scans', intArg(1, 100_000))
    .option('-q, --quiet', 'no warnings on stderr')
    .option('--bom', 'csv: start with a UTF-8 byte order mark, so Excel reads non-Latin names right')
    .option('--no-color', 'no colour, even on a terminal')
    .addHelpText('after', '\nExamples:\n  whoserves history results/ --format markdown >> "$GITHUB_STEP_SUMMARY"\n  whoserves history results/ --last 12 --format html -o history.html')
    .action(async (inputs: string[], flags: HistoryFlags) => {
      const { runHistory } = await import('./history-run.js');
      await runHistory(inputs, flags);
    });
}
