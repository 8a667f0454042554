// A few error classes mapped to exit codes at one top-level catch (src/cli/main.ts).
export const EXIT = { ok: 0, changes: 1, usage: 2, internal: 3, interrupted: 130 } as const;

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
