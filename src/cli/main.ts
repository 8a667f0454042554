// The commander program. Command files register their flags (cheap) and import their
// implementation only when run, so `whoserves --help` stays fast.
import { Command, CommanderError } from 'commander';
import { EXIT } from './errors.js';
import { ExitCode, InputError } from '../errors.js';
import { VERSION } from '../version.js';
import { registerScan } from './scan.js';
import { registerClassify } from './classify.js';
import { registerReport } from './report.js';
import { registerDiff } from './diff.js';
import { registerMerge } from './merge.js';
import { registerWorld } from './world.js';
import { registerVendors } from './vendors.js';
import { registerEval } from './eval.js';
import { registerLists } from './lists.js';
import { registerHistory } from './history.js';
import { registerData } from './data.js';
import { sanitizeLine } from '../report/sanitize.js';
import { outputWidth } from './output-defaults.js';
import { stdoutClosed, watchStdout } from './pipe.js';

export function buildProgram(): Command {
  const program = new Command('whoserves')
    .description(
      // One paragraph: commander wraps it to the help width (a hard line break left a ragged line at 80 columns).
      "Map who provides a company's web infrastructure — hosting, CDN, e-mail, certificate, DNS, CMS, " +
        'analytics — and where each provider is based, with the evidence for every finding.',
    )
    .version(VERSION, '-V, --version')
    // Help wraps (at spaces) to the same width as every other output; subcommands inherit it.
    .configureOutput({ getOutHelpWidth: () => outputWidth(process.stdout, process.env, 80), getErrHelpWidth: () => outputWidth(process.stderr, process.env, 80) })
    // Commander stops wrapping when fewer than 40 columns are left for descriptions; wrap anyway.
    .configureHelp({ minWidthToWrap: 12 })
    .showSuggestionAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes:
  0  finished (per-domain failures are recorded in the results)
  1  diff: changes found; vendors lint: problems found; eval: under --min-recall/--min-precision
  2  usage or input error, no usable domain
  3  internal error
  4  scan: nothing was measured (every domain failed), or more failed than --max-failed
  130 interrupted (finished results were flushed)
  141 the reader of the output went away (| head), as for other tools

Examples:
  whoserves scan hikvision.com dahuasecurity.com megvii.com
  whoserves scan domains.txt --format csv -o providers.csv
  whoserves scan fixtures/domains/entity-list-2019.csv --world fixtures/worlds/study-2020.json
  whoserves scan --list entity-list-surveillance --format json --meta -o 2026-03.json
  whoserves diff last-month.json this-month.json --format markdown --fail-on us
  whoserves history results/ --format markdown`,
    );
  registerScan(program);
  registerClassify(program);
  registerReport(program);
  registerDiff(program);
  registerHistory(program);
  registerMerge(program);
  registerWorld(program);
  registerVendors(program);
  registerEval(program);
  registerLists(program);
  registerData(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  watchStdout();
  try {
    await program.parseAsync(argv);
    if (process.exitCode === undefined) process.exitCode = EXIT.ok;
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
  // A closed pipe decides the status, whatever the command was doing when its writes failed.
  if (stdoutClosed()) process.exitCode = EXIT.pipe;
}

function exitCodeFor(err: unknown): number {
  if (err instanceof ExitCode) return err.exitCode;
  // Writes after the reader went away fail too: nothing to report.
  if (stdoutClosed() || (err as NodeJS.ErrnoException | null)?.code === 'EPIPE') return EXIT.pipe;
  if (err instanceof CommanderError) {
    // --help and --version end here with code 0; parse errors were already printed by commander.
    if (err.exitCode === 0) return EXIT.ok;
    return EXIT.usage;
  }
  // Bad input the user gave us (flags, a list, a world, a vendor overlay, an ASN file): exit 2.
  if (err instanceof InputError) {
    for (const line of err.message.split('\n')) process.stderr.write(`whoserves: ${sanitizeLine(line)}\n`);
    return EXIT.usage;
  }
  const detail = err instanceof Error ? (process.env.WHOSERVES_DEBUG ? err.stack : err.message) : String(err);
  process.stderr.write(`whoserves: internal error: ${sanitizeLine(String(detail))}\n`);
  return EXIT.internal;
}
