// `whoserves classify FILE`: read saved Observations line by line, classify each offline.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { classify } from '../classify/index.js';
import { parseObservation } from '../classify/observation.js';
import { loadVendorDb } from '../vendors/load.js';
import { checkDestination, openDestination, ResultSink } from '../report/output.js';
import { sanitizeLine } from '../report/sanitize.js';
import { UsageError } from '../errors.js';
import { stdoutClosed } from './pipe.js';
import type { Format, OutputOptions } from './options.js';
import { checkBom, resolveOutput, terminalOf } from './output-defaults.js';

export interface ClassifyOptions extends OutputOptions {
  vendors?: string[];
  ccadb?: string;
}

/** Observation lines longer than this are rejected (a line is one domain's evidence). */
const MAX_LINE = 32 * 1024 * 1024;

export async function runClassify(file: string, opts: ClassifyOptions): Promise<void> {
  if (opts.output) checkDestination(opts.output);
  const { format, color, width } = resolveOutput<Format>(opts, terminalOf(opts.output), { terminal: 'table', piped: 'json' });
  checkBom(opts.bom, format);
  const db = loadVendorDb({ overlays: opts.vendors ?? [], ...(opts.ccadb ? { ccadb: opts.ccadb } : {}) });
  const input = file === '-' ? process.stdin : createReadStream(file);
  const shown = file === '-' ? '<stdin>' : file;
  const opened = new Promise<void>((resolve, reject) => {
    if (file === '-') return resolve();
    input.once('open', () => resolve());
    input.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`${shown}: cannot read (${e.code ?? e.message})`)));
  });
  await opened;
  const dest = openDestination(opts.output);
  const sink = new ResultSink(dest, {
    format,
    by: opts.by,
    long: opts.long,
    color,
    width,
    bom: opts.bom,
    meta: opts.meta ? { vendors: db.version } : undefined,
  });
  let lineNo = 0;
  let index = 0;
  let bad = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (stdoutClosed()) break; // `| head`: nobody reads the rest
    lineNo++;
    if (line.trim() === '') continue;
    try {
      if (line.length > MAX_LINE) throw new Error(`line longer than ${MAX_LINE} characters`);
      sink.add(index++, classify(parseObservation(line), db));
    } catch (e) {
      bad++;
      process.stderr.write(`${sanitizeLine(`${shown}:${lineNo}: ${e instanceof Error ? e.message : String(e)}`)}\n`);
    }
  }
  if (index === 0 && bad > 0) {
    // An input error: the old -o file stays as it was.
    await dest.abort?.();
    throw new UsageError(`${shown}: no usable observation`);
  }
  await sink.finish();
}
