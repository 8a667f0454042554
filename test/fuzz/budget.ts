// Shared fuzz budget: small in `npm test`, large under `npm run fuzz` (WHOSERVES_FUZZ_RUNS).
// The seed is fixed unless WHOSERVES_FUZZ_SEED says otherwise; fast-check prints it (and the
// shrunk counterexample path) on failure, so every failure replays exactly.
import type fc from 'fast-check';
import { vi } from 'vitest';

const envRuns = process.env.WHOSERVES_FUZZ_RUNS;
const envSeed = process.env.WHOSERVES_FUZZ_SEED;

// A large budget takes minutes per property: lift the suite's 30 s test timeout for it.
if (envRuns !== undefined && envRuns !== '') vi.setConfig({ testTimeout: 900_000 });

/** The seed of every property in this run. */
export const SEED = envSeed !== undefined && envSeed !== '' ? Number(envSeed) : 0x5eed;

/** Runs for a property: `small` by default, scaled down from WHOSERVES_FUZZ_RUNS for slow ones. */
export function runs(small: number, share = 1): number {
  if (envRuns === undefined || envRuns === '') return small;
  return Math.max(small, Math.floor(Number(envRuns) * share));
}

/** fast-check parameters: seeded, with a run count, and a generous overall timeout. */
export function params(small: number, share = 1): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: runs(small, share) };
}

/** The per-input limit of the invariant: no input may take longer than this. */
export const PER_INPUT_MS = 1000;

/**
 * Runs f, failing when it takes longer than PER_INPUT_MS (a hang or catastrophic backtracking).
 * f is deterministic, so an overrun is timed once more and the faster run counts: the machine is
 * shared, and a descheduled process must not pass for a slow input (a real one is slow twice).
 */
export function timed<T>(what: string, f: () => T): T {
  let t0 = performance.now();
  const out = f();
  const first = performance.now() - t0;
  if (first <= PER_INPUT_MS) return out;
  t0 = performance.now();
  f();
  const second = performance.now() - t0;
  if (second > PER_INPUT_MS) throw new Error(`${what} took ${first.toFixed(0)} and ${second.toFixed(0)} ms (> ${PER_INPUT_MS} ms)`);
  return out;
}

/** The async form of timed(). */
export async function timedAsync<T>(what: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await f();
  const ms = performance.now() - t0;
  if (ms > PER_INPUT_MS) throw new Error(`${what} took ${ms.toFixed(0)} ms (> ${PER_INPUT_MS} ms)`);
  return out;
}

/** Vitest test timeout for a property of `n` runs that may each take up to `perRunMs`. */
export function testTimeout(n: number, perRunMs: number): number {
  return Math.max(10_000, n * perRunMs + 5_000);
}
