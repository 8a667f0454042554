// Progress on stderr. A terminal gets a one-line bar redrawn in place; anything else (a CI log,
// a file) gets a plain line every WHOSERVES_PROGRESS_SECONDS (default 10), which a log keeps.
import type { Progress } from '../collect/scan.js';

export interface ProgressReporter {
  update(p: Progress): void;
  /** A message of its own line (an interrupt). */
  note(text: string): void;
  done(): void;
}

/** How often a log gets a progress line; WHOSERVES_PROGRESS_SECONDS changes it. */
export function progressIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.WHOSERVES_PROGRESS_SECONDS);
  return Number.isFinite(s) && s >= 0 && env.WHOSERVES_PROGRESS_SECONDS?.trim() ? s * 1000 : 10_000;
}

export function progressFor(out: NodeJS.WriteStream, total: number): ProgressReporter {
  return out.isTTY ? new ProgressBar(out, total) : new ProgressLog(out, total, progressIntervalMs());
}

function rateAndEta(p: Progress, total: number, now: number): { rate: number; eta: number } {
  const secs = Math.max(0.001, (now - p.startedAt) / 1000);
  const rate = p.done / secs;
  return { rate, eta: rate > 0 ? Math.round((total - p.done) / rate) : 0 };
}

export class ProgressBar implements ProgressReporter {
  private last = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly total: number,
  ) {}

  update(p: Progress): void {
    const now = Date.now();
    if (now - this.last < 100 && p.done < p.total) return;
    this.last = now;
    const { rate, eta } = rateAndEta(p, this.total, now);
    const width = Math.max(10, Math.min(30, (this.out.columns ?? 80) - 60));
    const filled = Math.round((p.done / Math.max(1, this.total)) * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    this.out.write(`\r\x1b[2K${bar} ${p.done}/${this.total}  ${rate.toFixed(1)}/s  ETA ${eta}s  with errors: ${p.failures}`);
  }

  note(text: string): void {
    this.out.write(`\r\x1b[2K${text}\n`);
  }

  done(): void {
    this.out.write('\r\x1b[2K');
  }
}

/** For logs: no control characters, one complete line at a time, not more often than `everyMs`. */
export class ProgressLog implements ProgressReporter {
  private last: number;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly total: number,
    private readonly everyMs: number,
  ) {
    this.last = Date.now();
  }

  update(p: Progress): void {
    const now = Date.now();
    if (now - this.last < this.everyMs || p.done >= p.total) return;
    this.last = now;
    const { rate, eta } = rateAndEta(p, this.total, now);
    const pct = Math.floor((100 * p.done) / Math.max(1, this.total));
    this.out.write(`whoserves: ${p.done}/${this.total} domains (${pct}%), ${rate.toFixed(1)}/s, ${p.failures} with errors, ETA ${eta}s\n`);
  }

  note(text: string): void {
    this.out.write(`whoserves: ${text}\n`);
  }

  done(): void {}
}
