// --resume FILE: an append-only ndjson log of finished Results. Rows are written in batches,
// each batch fsync'd before the next, so after a crash the file holds whole rows plus at most
// one half-written last line; the resumed scan drops that line and truncates the file to the
// last complete row, so the rescan of that domain appends cleanly: no duplicated or lost row.
// Reading the log changes nothing; the file is modified only by begin(), once every other check
// of the scan has passed. A corrupt line elsewhere stops the scan unless `repair` is asked for.
import { createReadStream } from 'node:fs';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { toNdjsonLine } from '../report/json.js';
import type { Result } from '../types.js';
import { readLines } from './lines.js';
import { checkResult } from './validate.js';

/** A batch is written when it reaches this many rows, or this long after its first row. */
const BATCH_ROWS = 64;
const BATCH_MS = 50;

export interface ResumeOptions {
  /** Drop corrupt lines anywhere in the log (with a warning each) instead of stopping. */
  repair?: boolean;
}

export class ResumeLog {
  /** Domains already in the log: skip them. */
  readonly done = new Set<string>();
  /** Results already in the log, in log order, one per domain. */
  readonly previous: Result[] = [];
  /** What reading tolerated (a dropped half-written line, repaired lines); for stderr. */
  readonly warnings: string[] = [];

  private fd: FileHandle | undefined;
  private batch: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failed: Error | undefined;
  private closed = false;
  /** Byte offset of a half-written last line, to cut at begin(). */
  private truncateAt: number | undefined;
  /** Byte ranges of the valid lines, when corrupt ones are to be dropped at begin(). */
  private keep: [number, number][] | undefined;

  private constructor(private readonly file: string) {}

  /** Reads and checks the log (a missing file is an empty log); the file is not changed. */
  static async read(file: string, opts: ResumeOptions = {}): Promise<ResumeLog> {
    const log = new ResumeLog(file);
    const st = await stat(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new UsageError(`--resume: cannot open ${file}: ${err.code ?? err.message}`);
    });
    if (st?.isDirectory()) throw new UsageError(`--resume: ${file} is a directory`);
    if (st) await log.load(opts.repair === true);
    return log;
  }

  /** read() and begin() together. */
  static async open(file: string, opts: ResumeOptions = {}): Promise<ResumeLog> {
    const log = await ResumeLog.read(file, opts);
    await log.begin();
    return log;
  }

  private async load(repair: boolean): Promise<void> {
    const byDomain = new Map<string, Result>();
    const kept: [number, number][] = [];
    const dropped: number[] = [];
    try {
      for await (const line of readLines(createReadStream(this.file))) {
        if (!line.terminated) {
          // Killed mid-write: the row is redone by the resumed scan.
          this.truncateAt = line.start;
          this.warnings.push(`${this.file}:${line.number}: dropped a half-written last line`);
          break;
        }
        if (line.text.trim() === '') continue;
        let result: Result;
        try {
          result = checkResult(JSON.parse(line.text) as unknown);
        } catch (err) {
          const reason = err instanceof SyntaxError ? 'not valid JSON' : (err as Error).message;
          if (!repair) {
            throw new UsageError(`${this.file}:${line.number}: ${reason} (not a resume log written by whoserves? --resume-repair drops the bad lines and redoes their domains)`);
          }
          dropped.push(line.number);
          this.warnings.push(`${this.file}:${line.number}: ${reason}: dropped (--resume-repair); its domain is scanned again`);
          continue;
        }
        kept.push([line.start, line.end]);
        byDomain.set(result.domain, result);
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`--resume: cannot read ${this.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (dropped.length > 0) {
      // A log with nothing valid in it is some other file given by mistake: leave it alone.
      if (kept.length === 0) throw new UsageError(`${this.file}: no valid line (${dropped.length} bad): not a resume log written by whoserves; not repaired`);
      this.keep = kept;
    }
    for (const [domain, result] of byDomain) {
      this.done.add(domain);
      this.previous.push(result);
    }
  }

  /** Opens the log for appending: cuts a half-written last line, rewrites a repaired log. */
  async begin(): Promise<void> {
    if (this.fd) return;
    if (this.keep) await this.rewrite(this.keep);
    this.fd = await openFile(this.file, 'a+');
    if (this.truncateAt !== undefined && !this.keep) {
      await this.fd.truncate(this.truncateAt);
      await this.fd.sync();
    }
  }

  /** The valid lines, byte for byte, into a new file renamed over the log (atomic). */
  private async rewrite(ranges: [number, number][]): Promise<void> {
    const temp = `${this.file}.${process.pid}.repair`;
    const src = await openFile(this.file, 'r');
    let out: FileHandle | undefined;
    try {
      out = await open(temp, 'wx');
      for (const [from, to] of ranges) {
        const buf = Buffer.alloc(to - from);
        await src.read(buf, 0, buf.length, from);
        await out.write(buf);
      }
      await out.sync();
      await out.close();
      out = undefined;
      await rename(temp, this.file);
    } catch (err) {
      await out?.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw new UsageError(`--resume-repair: cannot rewrite ${this.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    } finally {
      await src.close();
    }
  }

  /** Queues a finished Result; it is on disk (fsync'd) within BATCH_MS, or at close(). */
  async append(r: Result): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.closed) throw new Error('ResumeLog: append after close');
    this.done.add(r.domain);
    this.batch.push(toNdjsonLine(r));
    if (this.batch.length >= BATCH_ROWS) await this.flush();
    else this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), BATCH_MS);
  }

  /** Writes and fsyncs the pending batch. Batches are written one after the other. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const text = this.batch.join('');
    this.batch = [];
    if (text === '') return this.writing;
    this.writing = this.writing.then(async () => {
      if (this.failed) throw this.failed;
      try {
        if (!this.fd) throw new Error('ResumeLog: append before begin()');
        await this.fd.write(text);
        await this.fd.sync();
      } catch (err) {
        this.failed = new UsageError(`cannot write ${this.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        throw this.failed;
      }
    });
    return this.writing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      await this.fd?.close();
    }
  }
}

async function openFile(file: string, flags: string): Promise<FileHandle> {
  try {
    return await open(file, flags);
  } catch (err) {
    throw new UsageError(`--resume: cannot open ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
