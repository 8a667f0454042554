// --resume FILE: an append-only ndjson log of finished Results. Rows are written in batches,
// each batch fsync'd before the next, so after a crash the file holds whole rows plus at most
// one half-written last line; open() drops that line and truncates the file to the last
// complete row, so the rescan of that domain appends cleanly: no duplicated or lost row.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { toNdjsonLine } from '../report/json.js';
import type { Result } from '../types.js';
import { readLines } from './lines.js';
import { checkResult } from './validate.js';

/** A batch is written when it reaches this many rows, or this long after its first row. */
const BATCH_ROWS = 64;
const BATCH_MS = 50;

export class ResumeLog {
  /** Domains already in the log: skip them. */
  readonly done = new Set<string>();
  /** Results already in the log, in log order, one per domain. */
  readonly previous: Result[] = [];
  /** What open() tolerated (a dropped half-written line); for stderr. */
  readonly warnings: string[] = [];

  private batch: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failed: Error | undefined;
  private closed = false;

  private constructor(
    private readonly file: string,
    private readonly fd: FileHandle,
  ) {}

  static async open(file: string): Promise<ResumeLog> {
    const fd = await openFile(file, 'a+');
    const log = new ResumeLog(file, fd);
    try {
      await log.load();
    } catch (err) {
      await fd.close();
      throw err;
    }
    return log;
  }

  private async load(): Promise<void> {
    const byDomain = new Map<string, Result>();
    let truncateAt: number | undefined;
    for await (const line of readLines(createReadStream(this.file))) {
      if (!line.terminated) {
        // Killed mid-write: the row is redone by the resumed scan.
        truncateAt = line.start;
        this.warnings.push(`${this.file}:${line.number}: dropped a half-written last line`);
        break;
      }
      if (line.text.trim() === '') continue;
      let result: Result;
      try {
        result = checkResult(JSON.parse(line.text) as unknown);
      } catch (err) {
        const reason = err instanceof SyntaxError ? 'not valid JSON' : (err as Error).message;
        throw new UsageError(`${this.file}:${line.number}: ${reason} (not a resume log written by whoserves?)`);
      }
      byDomain.set(result.domain, result);
    }
    if (truncateAt !== undefined) {
      await this.fd.truncate(truncateAt);
      await this.fd.sync();
    }
    for (const [domain, result] of byDomain) {
      this.done.add(domain);
      this.previous.push(result);
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
      await this.fd.close();
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
