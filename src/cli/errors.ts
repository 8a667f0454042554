// Exit codes, mapped from the error model (src/errors.ts) at one top-level catch (main.ts).
// pipe: the reader of stdout went away (`| head -1`); 128 + SIGPIPE, as a shell reports a tool killed by it.
// unmeasured: a scan where nothing was measured (every domain failed) or more failed than --max-failed.
export const EXIT = { ok: 0, changes: 1, usage: 2, internal: 3, unmeasured: 4, interrupted: 130, pipe: 141 } as const;
