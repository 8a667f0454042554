// The scan loop: domains through p-limit, one Observation each, handed on as they finish.
// First Ctrl-C: start no new domain, let running ones finish. Second: abandon them.
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { DomainEntry } from '../input/read.js';
import type { Observation } from '../types.js';
import { scanDomain, type Probes } from './domain.js';

export interface ScanLoopOptions {
  concurrency: number;
  deadlineMs: number;
  web: boolean;
  /** Called once per domain that was scanned, in completion order. */
  onObservation(index: number, obs: Observation): void | Promise<void>;
  onProgress?(p: Progress): void;
}

export interface Progress {
  done: number;
  total: number;
  failures: number;
  startedAt: number;
}

export interface ScanControl {
  /** Resolves when every started domain is done. */
  finished: Promise<{ interrupted: boolean }>;
  /** Ctrl-C: first call drains, second abandons running domains. */
  interrupt(): void;
}

export function runScanLoop(entries: DomainEntry[], probes: Probes, opts: ScanLoopOptions): ScanControl {
  const limit = pLimit(opts.concurrency);
  const abandon = new AbortController();
  // Each running domain listens for the abandon (and stops listening when done): at most
  // `concurrency` listeners, which is not the leak Node warns about past 10.
  setMaxListeners(opts.concurrency + 10, abandon.signal);
  let stopping = false;
  const progress: Progress = { done: 0, total: entries.length, failures: 0, startedAt: Date.now() };
  const tasks = entries.map((entry, index) =>
    limit(async () => {
      if (stopping) return;
      const obs = await scanDomain(entry, probes, { web: opts.web, deadlineMs: opts.deadlineMs, signal: abandon.signal });
      progress.done++;
      if (obs.errors.length) progress.failures++;
      await opts.onObservation(index, obs);
      opts.onProgress?.(progress);
    }),
  );
  const finished = Promise.all(tasks).then(() => ({ interrupted: stopping }));
  return {
    finished,
    interrupt() {
      if (stopping) abandon.abort();
      // Queued domains see `stopping` when they come up and return at once.
      stopping = true;
    },
  };
}
