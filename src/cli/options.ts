// Option parsers and groups shared by commands. Validation errors name the flag at fault.
import { InvalidArgumentError, Option, type Command } from 'commander';

export const FORMATS = ['table', 'json', 'ndjson', 'csv', 'tsv', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export function intArg(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected ${min}..${max}, got ${n}`);
    return n;
  };
}

export function secondsArg(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InvalidArgumentError(`expected seconds, got '${value}'`);
  const n = Number(value);
  if (n <= 0 || n > 3600) throw new InvalidArgumentError(`expected 0 < seconds <= 3600, got ${n}`);
  return n;
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The output options every command that prints Results shares. */
export function addOutputOptions(cmd: Command, formats: readonly string[] = FORMATS): Command {
  const g = 'Output:';
  return cmd
    .addOption(
      new Option('-f, --format <format>', 'output format (default: table on a terminal, json when piped)')
        .choices(formats)
        .helpGroup(g),
    )
    .addOption(new Option('-o, --output <file>', 'write to FILE instead of stdout').helpGroup(g))
    .addOption(new Option('--by <view>', 'table/markdown view: one row per domain, or per provider').choices(['domain', 'provider']).default('domain').helpGroup(g))
    .addOption(new Option('--long', 'csv/tsv: one row per attribution, with evidence').helpGroup(g))
    .addOption(new Option('--meta', 'json: a top-level object with scan metadata and results').helpGroup(g))
    .addOption(new Option('--bom', 'csv/tsv: start with a UTF-8 byte order mark, so Excel reads non-Latin names right').helpGroup(g))
    .addOption(new Option('-q, --quiet', 'no progress or warnings on stderr').helpGroup(g))
    .addOption(new Option('--no-color', 'no colour, even on a terminal').helpGroup(g));
}

export interface OutputOptions {
  format?: Format;
  output?: string;
  by: 'domain' | 'provider';
  long?: boolean;
  meta?: boolean;
  bom?: boolean;
  quiet?: boolean;
  color: boolean;
}

/** A share in percent: "10", "2.5" or "10%". */
export function percentArg(value: string): number {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(value.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(n >= 0 && n <= 100)) throw new InvalidArgumentError(`expected a percentage from 0 to 100, got '${value}'`);
  return n;
}

/** The "Examples:" block every command's --help ends with (domains as in the README). */
export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
