// Exit codes, mapped from the error model (src/errors.ts) at one top-level catch (main.ts).
export const EXIT = { ok: 0, changes: 1, usage: 2, internal: 3, unmeasured: 4, interrupted: 130 } as const;
