// `whoserves … | head -1`: the reader goes away. Node ignores SIGPIPE, so a write fails with
// EPIPE, and with no listener that 'error' event is a stack trace. Here it is noticed once: the
// command stops quietly and exits 141 (128 + SIGPIPE), the status a shell gives `yes | head -1`.
import { EXIT } from './errors.js';

let closed = false;
const listeners = new Set<() => void>();

/** Installs the listener on stdout (once per process). */
export function watchStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') {
      // Any other write error (ENOSPC on `> file`) is reported by the write that failed.
      return;
    }
    if (closed) return;
    closed = true;
    process.exitCode = EXIT.pipe;
    for (const l of [...listeners]) l();
  });
}

/** Whether stdout's reader has gone away. */
export function stdoutClosed(): boolean {
  return closed;
}

/** Calls `cb` when stdout's reader goes away; returns the unsubscribe. */
export function onStdoutClosed(cb: () => void): () => void {
  if (closed) {
    cb();
    return () => undefined;
  }
  listeners.add(cb);
  return () => listeners.delete(cb);
}
