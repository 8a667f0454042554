// `whoserves report`: re-render saved Results in any format.
import type { Command } from 'commander';
import { addOutputOptions, type OutputOptions } from './options.js';

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .summary('re-render saved results (json or ndjson) in any format')
    .argument('<results>', 'results file (json array, json with meta, or ndjson; - for stdin)');
  addOutputOptions(cmd);
  cmd.action(async (file: string, opts: OutputOptions) => {
    const { readResults } = await import('../monitor/read-results.js');
    const { checkDestination, openDestination, renderResults } = await import('../report/output.js');
    if (opts.output) checkDestination(opts.output);
    const scan = await readResults(file);
    for (const w of scan.warnings) if (!opts.quiet) process.stderr.write(`whoserves: warning: ${w}\n`);
    const dest = openDestination(opts.output);
    const format = opts.format ?? (dest.isTTY ? 'table' : 'json');
    const color = opts.color !== false && dest.isTTY && !process.env.NO_COLOR;
    const meta = opts.meta || format === 'html' ? (scan.meta as Record<string, unknown> | undefined) : undefined;
    await dest.write(renderResults(scan.results, { format, by: opts.by, long: opts.long, color, width: dest.columns ?? 120, meta }));
    await dest.close();
  });
}
