// The work behind `whoserves merge`, loaded only when the command runs.
import { mergeScans } from '../monitor/merge.js';
import { readResults } from '../monitor/read-results.js';
import { toJson, toNdjsonLine } from '../report/json.js';
import { checkDestination, openDestination } from '../report/output.js';
import { sanitizeLine } from '../report/sanitize.js';
import { UsageError } from '../errors.js';

export async function runMerge(
  files: string[],
  flags: { format?: 'json' | 'ndjson'; output?: string; meta?: boolean; quiet?: boolean; allowMissing?: boolean },
): Promise<void> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('merge: stdin (-) can be given only once');
  if (flags.output) checkDestination(flags.output);
  const warnings: string[] = [];
  const inputs = [];
  for (const file of files) {
    const scan = await readResults(file);
    warnings.push(...scan.warnings);
    inputs.push({ ...scan, file });
  }
  const merged = mergeScans(inputs, { allowMissing: flags.allowMissing });
  warnings.push(...merged.warnings);
  if (!flags.quiet) for (const w of warnings) process.stderr.write(`whoserves: warning: ${sanitizeLine(w)}\n`);
  const format = flags.format ?? 'json';
  let text: string;
  if (format === 'ndjson') {
    text = (flags.meta && merged.meta ? toNdjsonLine({ meta: merged.meta }) : '') + merged.results.map(toNdjsonLine).join('');
  } else {
    text = toJson(flags.meta ? (merged.meta ? { meta: merged.meta, results: merged.results } : { results: merged.results }) : merged.results);
  }
  const dest = openDestination(flags.output);
  await dest.write(text);
  await dest.close();
}
