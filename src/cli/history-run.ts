// The work behind `whoserves history`, loaded only when the command runs: find the Results
// files, read them (each must carry its scan metadata: the date orders the scans), render.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildHistory, type HistoryRun } from '../monitor/history.js';
import { renderHistory } from '../monitor/history-format.js';
import { renderHistoryHtml } from '../monitor/history-html.js';
import { readResults } from '../monitor/read-results.js';
import { openDestination } from '../report/output.js';
import { sanitizeLine } from '../report/sanitize.js';
import { UsageError } from '../errors.js';
import type { HistoryFlags } from './history.js';
import { resolveOutput, terminalOf } from './output-defaults.js';

const RESULTS_FILE = /\.(json|ndjson)$/i;

export async function runHistory(inputs: string[], flags: HistoryFlags): Promise<void> {
  const files = resultFiles(inputs);
  const runs: HistoryRun[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    const scan = await readResults(file);
    warnings.push(...scan.warnings);
    const startedAt = scan.meta?.startedAt;
    if (!scan.meta || typeof startedAt !== 'string' || Number.isNaN(Date.parse(startedAt))) {
      throw new UsageError(`${file}: no scan date (meta.startedAt): write Results with scan --format json --meta, history orders scans by it`);
    }
    runs.push({ source: file, meta: scan.meta, results: scan.results });
  }
  const history = buildHistory(runs, { last: flags.last });
  if (!flags.quiet) for (const w of [...warnings, ...history.warnings]) process.stderr.write(`whoserves: warning: ${sanitizeLine(w)}\n`);
  // Rendered before the output is opened: bad input never clobbers an existing file.
  const { format, color, width, widthKnown } = resolveOutput<HistoryFlags['format'] & string>(flags, terminalOf(flags.output), { terminal: 'table', piped: 'table' });
  if (flags.bom && format !== 'csv') throw new UsageError('--bom: only for --format csv');
  const text = format === 'html' ? renderHistoryHtml(history) : renderHistory(history, format, { width: widthKnown ? width : Infinity, color, bom: flags.bom });
  const dest = openDestination(flags.output);
  await dest.write(text);
  await dest.close();
}

/** Files as given, and the .json/.ndjson files of each directory given; each once. */
function resultFiles(inputs: string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    if (input === '-') throw new UsageError('history reads Results files or directories, not stdin');
    let isDir: boolean;
    try {
      isDir = statSync(input).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `${input}: no such file or directory` : `${input}: ${code ?? (err as Error).message}`);
    }
    if (!isDir) {
      out.push(input);
      continue;
    }
    const found = readdirSync(input)
      .filter((f) => RESULTS_FILE.test(f))
      .sort()
      .map((f) => path.join(input, f))
      .filter((f) => statSync(f).isFile());
    if (found.length === 0) throw new UsageError(`${input}: no .json or .ndjson Results files in this directory`);
    out.push(...found);
  }
  const seen = new Set<string>();
  return out.filter((f) => {
    const key = path.resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
