// `whoserves report`: re-render saved Results in any format.
import type { Command } from 'commander';
import { addOutputOptions, examples, type Format, type OutputOptions } from './options.js';

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .summary('re-render saved results (json or ndjson) in any format')
    .description('Render Results saved by scan (json, json with --meta, or ndjson) again in any format, without scanning.')
    .argument('<results>', 'results file (json array, json with meta, or ndjson; - for stdin)');
  addOutputOptions(cmd);
  examples(cmd, ['whoserves report results.json --by provider --format markdown', 'whoserves report results.json --format html -o report.html']);
  cmd.action(async (file: string, opts: OutputOptions) => {
    const { readResults } = await import('../monitor/read-results.js');
    const { checkDestination, openDestination, renderResults } = await import('../report/output.js');
    const { checkBom, resolveOutput, terminalOf } = await import('./output-defaults.js');
    const { sanitizeLine } = await import('../report/sanitize.js');
    const { simulatedWorld } = await import('../monitor/meta.js');
    if (opts.output) checkDestination(opts.output);
    const scan = await readResults(file);
    // Warnings quote the file, which may come from anywhere: no control character reaches the terminal.
    for (const w of scan.warnings) if (!opts.quiet) process.stderr.write(`whoserves: warning: ${sanitizeLine(w)}\n`);
    const { format, color, width } = resolveOutput<Format>(opts, terminalOf(opts.output), { terminal: 'table', piped: 'json' });
    checkBom(opts.bom, format);
    const meta = opts.meta || format === 'html' ? (scan.meta as Record<string, unknown> | undefined) : undefined;
    const simulated = simulatedWorld(scan.meta);
    const dest = openDestination(opts.output);
    await dest.write(renderResults(scan.results, { format, by: opts.by, long: opts.long, color, width, meta, bom: opts.bom, simulated }));
    await dest.close();
  });
}
