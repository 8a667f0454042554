// The work behind `whoserves diff`, loaded only when the command runs.
import { diffScans } from '../monitor/diff.js';
import { renderDiff, type DiffFormat } from '../monitor/diff-format.js';
import { parseFailOn } from '../monitor/fail-on.js';
import { readResults } from '../monitor/read-results.js';
import { checkDestination, openDestination } from '../report/output.js';
import { sanitizeLine } from '../report/sanitize.js';
import { EXIT } from './errors.js';
import { resolveOutput, terminalOf } from './output-defaults.js';
import { ExitCode, UsageError } from '../errors.js';

export async function runDiff(
  oldFile: string,
  newFile: string,
  flags: { format?: DiffFormat; output?: string; failOn: string; quiet?: boolean; color?: boolean },
): Promise<void> {
  const failOn = parseFailOn(flags.failOn);
  if (oldFile === '-' && newFile === '-') throw new UsageError('diff: OLD and NEW cannot both be stdin');
  if (flags.output) checkDestination(flags.output);
  const [before, after] = await Promise.all([readResults(oldFile), readResults(newFile)]);
  const diff = diffScans(before, after, { failOn });
  if (!flags.quiet) {
    for (const w of [...before.warnings, ...after.warnings, ...diff.warnings]) process.stderr.write(`whoserves: warning: ${sanitizeLine(w)}\n`);
  }
  const { format, color } = resolveOutput<DiffFormat>(flags, terminalOf(flags.output), { terminal: 'text', piped: 'text' });
  const text = renderDiff(diff, format, { color });
  const dest = openDestination(flags.output);
  await dest.write(text);
  await dest.close();
  if (diff.failing) throw new ExitCode(EXIT.changes);
}
