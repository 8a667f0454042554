// Rendering Results in any format, and the sink a scan streams into: ndjson rows leave as soon
// as every earlier row has (output order = input order), other formats render at the end.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Result } from '../types.js';
import { renderCsv } from './csv.js';
import { toJson, toNdjsonLine } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';
import { renderHtml } from './html.js';

export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv' | 'tsv' | 'markdown' | 'html';

export interface RenderOptions {
  format: OutputFormat;
  by?: 'domain' | 'provider';
  long?: boolean;
  color?: boolean;
  width?: number;
  /** With json: print `{ meta, results }` instead of a bare array. */
  meta?: Record<string, unknown>;
  /** csv/tsv: start with a UTF-8 byte order mark (for Excel). */
  bom?: boolean;
  /** The simulated world the results come from (a file, or a served world's address): every human-readable format says so. */
  simulated?: string;
}

export function renderResults(results: Result[], opts: RenderOptions): string {
  switch (opts.format) {
    case 'json':
      return toJson(opts.meta ? { meta: opts.meta, results } : results);
    case 'ndjson':
      return results.map(toNdjsonLine).join('');
    case 'csv':
      return renderCsv(results, { delimiter: ',', long: opts.long, bom: opts.bom, simulated: opts.simulated });
    case 'tsv':
      return renderCsv(results, { delimiter: '\t', long: opts.long, bom: opts.bom, simulated: opts.simulated });
    case 'markdown':
      return renderMarkdown(results, { by: opts.by ?? 'domain', simulated: opts.simulated });
    case 'table':
      return renderTable(results, { width: opts.width ?? 120, color: opts.color ?? false, by: opts.by ?? 'domain', simulated: opts.simulated });
    case 'html':
      return renderHtml(results, opts.meta, { simulated: opts.simulated });
  }
}

/** Where output goes: a file (-o) or stdout. Write errors are reported, never swallowed. */
export interface Destination {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  readonly isTTY: boolean;
  readonly columns?: number;
}

export function openDestination(file?: string): Destination {
  if (!file || file === '-') {
    const out = process.stdout;
    return {
      isTTY: Boolean(out.isTTY),
      columns: out.columns,
      write: (text) => writeTo(out, text),
      close: async () => undefined,
    };
  }
  const stream: WriteStream = createWriteStream(file);
  let failed: Error | undefined;
  stream.on('error', (e) => (failed = e));
  return {
    isTTY: false,
    write: async (text) => {
      if (failed) throw failed;
      await writeTo(stream, text);
    },
    close: () =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        stream.end(() => (failed ? reject(failed) : resolve()));
      }),
  };
}

function writeTo(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(text, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else stream.once('drain', () => resolve());
  });
}

/**
 * Collects Results by input position. ndjson is streamed in input order; everything else is
 * rendered once at `finish`. `finish` also works after an interrupt: it renders what is done.
 */
export class ResultSink {
  private readonly byIndex = new Map<number, Result>();
  private next = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly dest: Destination,
    private readonly opts: RenderOptions,
  ) {}

  add(index: number, result: Result): void {
    this.byIndex.set(index, result);
    if (this.opts.format !== 'ndjson') return;
    let text = '';
    // Streamed rows are dropped once written: memory holds only results waiting for an earlier one.
    while (this.byIndex.has(this.next)) {
      text += toNdjsonLine(this.byIndex.get(this.next));
      this.byIndex.delete(this.next++);
    }
    if (text) this.pending = this.pending.then(() => this.dest.write(text));
  }

  /** How many results are in memory (for the soak and its test). */
  get held(): number {
    return this.byIndex.size;
  }

  /** Results held (all of them, except for ndjson, whose written rows are released), in input order. */
  results(): Result[] {
    return [...this.byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  }

  /** `simulated` is known only at the end of a scan (a served world answers when asked). */
  async finish(meta?: Record<string, unknown>, simulated?: string): Promise<void> {
    await this.pending;
    if (this.opts.format === 'ndjson') {
      // After an interrupt there may be gaps: flush the rest in order.
      const rest = [...this.byIndex.entries()].sort((a, b) => a[0] - b[0]);
      const text = rest.map(([, r]) => toNdjsonLine(r)).join('');
      if (text) await this.dest.write(text);
    } else {
      await this.dest.write(renderResults(this.results(), { ...this.opts, meta: meta ?? this.opts.meta, simulated: simulated ?? this.opts.simulated }));
    }
    await this.dest.close();
  }
}
