// One error model, as undici has: every error this tool raises on purpose carries a stable `code`.
// InputError means the user's input is at fault (a flag, a list, a world, a vendor overlay, an
// ASN file, a Results file): the CLI prints its message and exits 2. Anything else is a bug
// (exit 3). Probe failures never travel as exceptions: they become ProbeErrors on the result.

export abstract class WhoservesError extends Error {
  constructor(
    /** Stable, SCREAMING_SNAKE: tests and callers switch on it, never on the message. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The user's input is at fault: one clear message (possibly several lines), exit 2. */
export abstract class InputError extends WhoservesError {}

/** Bad flags, bad input files, no usable domain. */
export class UsageError extends InputError {
  override name = 'UsageError';
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** Thrown by a command that wants a specific exit code without printing anything more. */
export class ExitCode extends WhoservesError {
  override name = 'ExitCode';
  constructor(readonly exitCode: number) {
    super('EXIT', `exit ${exitCode}`);
  }
}
