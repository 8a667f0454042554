// A few error classes mapped to exit codes at one top-level catch (src/cli/main.ts).
// pipe: the reader of stdout went away (`| head -1`); 128 + SIGPIPE, as a shell reports a tool killed by it.
export const EXIT = { ok: 0, changes: 1, usage: 2, internal: 3, interrupted: 130, pipe: 141 } as const;

/** Bad flags, bad input files, no usable domain: exit 2 with one clear line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Thrown by a command that wants a specific exit code without printing anything more. */
export class ExitCode extends Error {
  override name = 'ExitCode';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
