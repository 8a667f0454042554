// A one-line progress bar on stderr (terminals only): done/total, rate, ETA, failures.
import type { Progress } from '../collect/scan.js';

export class ProgressBar {
  private last = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly total: number,
  ) {}

  update(p: Progress): void {
    const now = Date.now();
    if (now - this.last < 100 && p.done < p.total) return;
    this.last = now;
    const secs = Math.max(0.001, (now - p.startedAt) / 1000);
    const rate = p.done / secs;
    const eta = rate > 0 ? Math.round((this.total - p.done) / rate) : 0;
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
