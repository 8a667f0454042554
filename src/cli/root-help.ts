// The root help (`whoserves`, `--help`, `-h`, `help`) without loading commander and every
// command's module, which costs ~40 ms of a ~100 ms run. `npm run build` records the help from
// the commander program itself (root-help-gen.ts) and checks this renderer against commander at
// every width; here the record is used only if the code it was made from is still the code on
// disk, otherwise the caller takes the normal path. Help has no colour styles, so colour
// settings do not change it (the generator checks that too).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Node built-ins only: each module of ours would add ~0.7 ms, so the rules this needs from
// output-defaults.ts (width), pipe.ts (a closed stdout) and errors.ts (exit codes) are restated
// here and test/cli/root-help.test.ts holds them equal.

export const ROOT_HELP_FORMAT = 1;

/** A term and description laid out by commander's `Help.formatItem`. */
export interface HelpItem {
  term: string;
  termWidth: number;
  description: string;
  preformatted: boolean;
}

/** Text wrapped by commander's `Help.boxWrap` at the full help width. */
export interface HelpWrap {
  wrap: string;
}

/** What renders the help at any width. */
export interface RootHelpLayout {
  minWidthToWrap: number;
  /** The help as commander writes it, with `\u0000N\u0000` where part N goes. */
  template: string;
  parts: (HelpItem | HelpWrap)[];
}

export interface RootHelpData extends RootHelpLayout {
  format: number;
  commander: string;
  /** The files under dist/ that building the program loads, with their text when recorded. */
  inputs: { file: string; text: string }[];
}

export const DATA_FILE = 'root-help.json';

/** Which output the root help goes to for these arguments (after `node whoserves`), if it is the root help. */
export function rootHelpStream(args: readonly string[]): 'stdout' | 'stderr' | undefined {
  if (args.length === 0) return 'stderr'; // commander: help on stderr, exit 1 (ours: 2)
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h' || args[0] === 'help')) return 'stdout';
  return undefined;
}

/**
 * Writes the root help and sets the exit code, as the commander program would, and returns
 * true; false (nothing written) when the arguments are not the root help or the record is
 * missing or stale.
 */
export function serveRootHelp(args: readonly string[], dataDir: string = path.dirname(fileURLToPath(import.meta.url))): boolean {
  const stream = rootHelpStream(args);
  if (!stream) return false;
  const dest = stream === 'stdout' ? process.stdout : process.stderr;
  let text: string;
  try {
    const data = loadRootHelp(dataDir);
    if (!data) return false;
    text = renderRootHelp(data, helpWidth(dest, process.env));
  } catch {
    return false; // a damaged record: commander prints the help
  }
  // As pipe.ts: a reader that went away (EPIPE) means exit 141, quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exitCode = ROOT_HELP_EXIT.pipe;
  });
  process.exitCode = stream === 'stdout' ? ROOT_HELP_EXIT.ok : ROOT_HELP_EXIT.usage;
  dest.write(text);
  return true;
}

/** The exit codes of errors.ts's EXIT that the root help uses. */
export const ROOT_HELP_EXIT = { ok: 0, usage: 2, pipe: 141 } as const;

/** output-defaults.ts's outputWidth(dest, env, 80): COLUMNS, then the terminal's width, then 80, within [20, 1000]. */
export function helpWidth(dest: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
  const fromEnv = /^\s*\d+\s*$/.test(env.COLUMNS ?? '') ? Number(env.COLUMNS) : undefined;
  return Math.min(1000, Math.max(20, fromEnv || (dest.isTTY ? dest.columns : undefined) || 80));
}

/** The record in `dataDir`, if it was made by this commander from the files now on disk. */
export function loadRootHelp(dataDir: string): RootHelpData | undefined {
  try {
    const data = JSON.parse(readFileSync(path.join(dataDir, DATA_FILE), 'utf8')) as RootHelpData;
    if (data.format !== ROOT_HELP_FORMAT || data.commander !== commanderVersion(dataDir)) return undefined;
    const root = path.join(dataDir, '..');
    for (const { file, text } of data.inputs) if (readFileSync(path.join(root, file), 'utf8') !== text) return undefined;
    return data;
  } catch {
    return undefined; // missing, unreadable or from another layout: commander prints the help
  }
}

/**
 * The version of the commander that `import 'commander'` from here loads: the first
 * node_modules/commander up from this directory, as Node resolves a bare name (createRequire
 * would cost ~2 ms; NODE_PATH is not used for `import`).
 */
export function commanderVersion(from: string = path.dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (path.basename(dir) === 'node_modules') continue; // no node_modules/node_modules
    try {
      return (JSON.parse(readFileSync(path.join(dir, 'node_modules', 'commander', 'package.json'), 'utf8')) as { version: string }).version;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR') return undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function renderRootHelp(data: RootHelpLayout, width: number): string {
  return data.template.replace(/\u0000(\d+)\u0000/g, (_, n: string) => {
    const part = data.parts[Number(n)]!;
    return 'wrap' in part ? boxWrap(part.wrap, width, data.minWidthToWrap) : formatItem(part, width, data.minWidthToWrap);
  });
}

// commander 14's Help.formatItem and Help.boxWrap, for text without colour codes (so a
// string's display width is its length).
function formatItem(item: HelpItem, helpWidth: number, minWidthToWrap: number): string {
  const { term, termWidth, description } = item;
  if (!description) return '  ' + term;
  const remainingWidth = helpWidth - termWidth - 2 - 2;
  const formatted =
    remainingWidth < minWidthToWrap || item.preformatted
      ? description
      : boxWrap(description, remainingWidth, minWidthToWrap).replace(/\n/g, '\n' + ' '.repeat(termWidth + 2));
  return '  ' + term.padEnd(termWidth) + '  ' + formatted.replace(/\n/g, '\n  ');
}

function boxWrap(str: string, width: number, minWidthToWrap: number): string {
  if (width < minWidthToWrap) return str;
  const wrapped: string[] = [];
  for (const line of str.split(/\r\n|\n/)) {
    const chunks = line.match(/[\s]*[^\s]+/g);
    if (chunks === null) {
      wrapped.push('');
      continue;
    }
    let sum = chunks[0]!;
    for (const chunk of chunks.slice(1)) {
      if (sum.length + chunk.length <= width) {
        sum += chunk;
        continue;
      }
      wrapped.push(sum);
      sum = chunk.trimStart(); // the space at a line break goes
    }
    wrapped.push(sum);
  }
  return wrapped.join('\n');
}
