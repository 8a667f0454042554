// Output defaults, decided in one place for every command: the format (readable on a terminal,
// machine-readable when piped), colour and width. Precedence, most specific first:
//   colour: --no-color, then FORCE_COLOR (set and not "0"/"false": on, even into a pipe or a
//           file; "0"/"false": off), then NO_COLOR (set and not empty: off), then whether the
//           output is a terminal. FORCE_COLOR over NO_COLOR is Node's own rule.
//   width:  COLUMNS (a whole number), then the terminal's width, then 120 (a file or a pipe;
//           --help: 80).

import { UsageError } from '../errors.js';

export interface Terminal {
  readonly isTTY: boolean;
  readonly columns?: number;
}

export interface OutputChoice<F extends string> {
  format: F;
  color: boolean;
  width: number;
  /** Whether the width is the reader's (COLUMNS or a terminal), not the default for a file or pipe. */
  widthKnown: boolean;
}

export const DEFAULT_WIDTH = 120;
const MIN_WIDTH = 20;
const MAX_WIDTH = 1000;

export function resolveOutput<F extends string>(
  given: { format?: F; color?: boolean },
  dest: Terminal,
  defaults: { terminal: F; piped: F },
  env: NodeJS.ProcessEnv = process.env,
): OutputChoice<F> {
  return {
    format: given.format ?? (dest.isTTY ? defaults.terminal : defaults.piped),
    color: colorWanted(given.color, dest.isTTY, env),
    width: outputWidth(dest, env),
    widthKnown: /^\s*\d+\s*$/.test(env.COLUMNS ?? '') || (dest.isTTY && Boolean(dest.columns)),
  };
}

/** `flag` is commander's `color` (false with --no-color). */
export function colorWanted(flag: boolean | undefined, isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !/^(0|false)$/i.test(force.trim());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY;
}

export function outputWidth(dest: Terminal, env: NodeJS.ProcessEnv = process.env, fallback = DEFAULT_WIDTH): number {
  const fromEnv = /^\s*\d+\s*$/.test(env.COLUMNS ?? '') ? Number(env.COLUMNS) : undefined;
  const w = fromEnv || (dest.isTTY ? dest.columns : undefined) || fallback;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w));
}

/** What `-o FILE` (or stdout) is, before it is opened: a check that fails must not create the file. */
export function terminalOf(output: string | undefined): Terminal {
  return !output || output === '-' ? { isTTY: Boolean(process.stdout.isTTY), columns: process.stdout.columns } : { isTTY: false };
}

/** --bom belongs to csv and tsv. */
export function checkBom(bom: boolean | undefined, format: string): void {
  if (bom && format !== 'csv' && format !== 'tsv') throw new UsageError('--bom: only for --format csv or tsv');
}
