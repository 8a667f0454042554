// Rendering Results in any format, and the sink a scan streams into: ndjson rows leave as soon
// as every earlier row has (output order = input order), other formats render at the end.
import { accessSync, constants as fsConstants, realpathSync, statSync, type Stats } from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
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
  /** Finishes the output: for an atomic file, renames it into place. */
  close(): Promise<void>;
  /** Gives up (the command failed): an atomic file's temporary copy is removed, the old file kept. */
  abort?(): Promise<void>;
  readonly isTTY: boolean;
  readonly columns?: number;
}

/** A destination that cannot be written: `FLAG FILE: reason`. An input error (exit 2). */
export class DestinationError extends InputError {
  override name = 'DestinationError';
  constructor(message: string) {
    super('DESTINATION', message);
  }
}

/**
 * Throws DestinationError unless FILE can be written: its directory exists and is writable, and
 * it is not a directory. Cheap, no side effect: commands call it before any work.
 */
export function checkDestination(file: string, flag = '-o'): void {
  if (file === '-') return;
  const bad = (why: string): DestinationError => new DestinationError(`${flag} ${file}: ${why}`);
  const target = existing(file);
  if (target?.isDirectory()) throw bad('is a directory');
  if (target) {
    if (!canAccess(file, fsConstants.W_OK)) throw bad('not writable');
    if (!target.isFile()) return; // a device or a FIFO (/dev/stdout, a named pipe): written in place
  }
  const dir = path.dirname(target ? realFile(file) : path.resolve(file));
  const d = existing(dir);
  if (!d) throw bad(`directory ${dir} does not exist`);
  if (!d.isDirectory()) throw bad(`${dir} is not a directory`);
  if (!canAccess(dir, fsConstants.W_OK | fsConstants.X_OK)) throw bad(`directory ${dir} is not writable`);
}

export interface DestinationOptions {
  /**
   * Rows leave as they are made (scan --format ndjson, --raw): the file is truncated at open and a
   * crash leaves the rows written so far. Otherwise the output goes to a temporary file in the same
   * directory, renamed over FILE when complete: FILE is either the old output or the new, whole.
   */
  streamed?: boolean;
  /** Named in errors: "-o", "--raw". */
  flag?: string;
}

/** stdout, or FILE (checked first: a DestinationError names what is wrong). Nothing is opened until the first write or close. */
export function openDestination(file?: string, opts: DestinationOptions = {}): Destination {
  if (!file || file === '-') {
    const out = process.stdout;
    return {
      isTTY: Boolean(out.isTTY),
      columns: out.columns,
      write: (text) => writeTo(out, text),
      close: async () => undefined,
    };
  }
  checkDestination(file, opts.flag);
  return new FileDestination(file, opts.streamed === true);
}

class FileDestination implements Destination {
  readonly isTTY = false;
  private handle: Promise<FileHandle> | undefined;
  /** Writes in the order they were asked for. */
  private chain: Promise<void> = Promise.resolve();
  private readonly target: string;
  private readonly temp: string | undefined;
  private done = false;

  constructor(file: string, streamed: boolean) {
    const st = existing(file);
    // A device or FIFO is written in place; so is a streamed file. A symlink's target is replaced, not the link.
    this.target = st ? realFile(file) : path.resolve(file);
    this.temp = streamed || (st && !st.isFile()) ? undefined : path.join(path.dirname(this.target), `.${path.basename(this.target)}.${process.pid}.tmp`);
  }

  private open(): Promise<FileHandle> {
    this.handle ??= (async () => {
      const fh = await fsp.open(this.temp ?? this.target, this.temp ? 'wx' : 'w');
      if (this.temp) {
        // The new file keeps the old one's permissions.
        const mode = existing(this.target)?.mode;
        if (mode !== undefined) await fh.chmod(mode & 0o7777).catch(() => undefined);
      }
      return fh;
    })();
    return this.handle;
  }

  write(text: string): Promise<void> {
    const next = this.chain.then(async () => {
      const fh = await this.open();
      await fh.write(text);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    if (this.done) return;
    await this.chain;
    const fh = await this.open();
    this.done = true;
    try {
      if (this.temp) await fh.sync();
    } finally {
      await fh.close();
    }
    if (this.temp) await fsp.rename(this.temp, this.target);
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.chain;
    if (!this.handle) return;
    await (await this.handle.catch(() => undefined))?.close().catch(() => undefined);
    if (this.temp) await fsp.unlink(this.temp).catch(() => undefined);
  }
}

function existing(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function canAccess(file: string, mode: number): boolean {
  try {
    accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}

function realFile(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
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
