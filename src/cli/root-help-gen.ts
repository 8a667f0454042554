// Build step (`npm run build`): records the root help from the commander program for
// root-help.ts, and writes it only if root-help.ts renders exactly what commander prints at every
// width the CLI can ask for, with colour on and off, on stdout and stderr. Otherwise the record
// is removed and the help stays commander's (slower, never wrong).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, Help } from 'commander';
import { buildProgram } from './main.js';
import { commanderVersion, DATA_FILE, renderRootHelp, ROOT_HELP_FORMAT, type RootHelpData, type RootHelpLayout } from './root-help.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROBE_WIDTH = 100;
// outputWidth() keeps every width in [20, 1000].
export const WIDTHS = { min: 20, max: 1000 };

/** The help commander writes for `program` (its help text and the text added after it). */
export function commanderHelp(program: Command, width: number, colors: boolean, error: boolean): string {
  let out = '';
  const saved = program.configureOutput();
  program.configureOutput({
    writeOut: (s) => void (out += s),
    writeErr: (s) => void (out += s),
    getOutHelpWidth: () => width,
    getErrHelpWidth: () => width,
    getOutHasColors: () => colors,
    getErrHasColors: () => colors,
  });
  try {
    program.outputHelp({ error });
  } finally {
    program.configureOutput(saved);
  }
  return out;
}

/** The help of `program` as a template, its items and wrapped text taken out as they are laid out. */
export function recordRootHelp(program: Command): RootHelpLayout {
  const parts: RootHelpData['parts'] = [];
  let minWidthToWrap = 0;
  const token = (): string => `\u0000${parts.length - 1}\u0000`;
  const createHelp = program.createHelp.bind(program);
  program.createHelp = (): Help => {
    const helper = createHelp();
    minWidthToWrap = helper.minWidthToWrap;
    helper.formatItem = (term, termWidth, description) => {
      parts.push({ term, termWidth, description, preformatted: helper.preformatted(description) });
      return token();
    };
    helper.boxWrap = (str, width) => {
      if (width !== PROBE_WIDTH) throw new Error(`root help: text wrapped at ${width}, not the help width`);
      parts.push({ wrap: str });
      return token();
    };
    return helper;
  };
  let template: string;
  try {
    template = commanderHelp(program, PROBE_WIDTH, false, false);
  } finally {
    program.createHelp = createHelp;
  }
  if (/\u001b/.test(JSON.stringify([template, parts]))) throw new Error('root help: has colour codes');
  if ((template.match(/\u0000/g) ?? []).length !== parts.length * 2) throw new Error('root help: a NUL in the text');
  return { minWidthToWrap, template, parts };
}

/** The first width and setting where the record does not render as commander prints, if any. */
export function checkRootHelp(data: RootHelpLayout, program: Command): string | undefined {
  for (let width = WIDTHS.min; width <= WIDTHS.max; width++) {
    const ours = renderRootHelp(data, width);
    for (const colors of [false, true]) {
      for (const error of [false, true]) {
        if (commanderHelp(program, width, colors, error) !== ours) return `width ${width}, colour ${colors ? 'on' : 'off'}, ${error ? 'stderr' : 'stdout'}`;
      }
    }
  }
  return undefined;
}

/**
 * The files a static `import` chain from `entry` loads (dynamic `import()`s run only when a
 * command does): their text decides the program. A package other than commander (checked by
 * version) could change it unseen, so one is refused.
 */
export function staticImports(entry: string, distDir: string): RootHelpData['inputs'] {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/^(?:import|export)\s(?:[^;'"]*?\sfrom\s*)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else if (spec !== 'commander' && !spec.startsWith('node:') && !builtinModules.includes(spec)) throw new Error(`root help: ${path.relative(distDir, file)} imports ${spec}`);
    }
  };
  visit(entry);
  return [...seen].map(([file, text]) => ({ file: path.relative(distDir, file).split(path.sep).join('/'), text }));
}

function generate(): void {
  const out = path.join(HERE, DATA_FILE);
  rmSync(out, { force: true });
  try {
    const help = recordRootHelp(buildProgram());
    const mismatch = checkRootHelp(help, buildProgram());
    if (mismatch) throw new Error(`root help: differs from commander's at ${mismatch}`);
    // The commander the program was built with, as Node resolved it, must be the one root-help.ts finds.
    const commanderMain = createRequire(import.meta.url).resolve('commander');
    const commander = (JSON.parse(readFileSync(path.join(path.dirname(commanderMain), 'package.json'), 'utf8')) as { version: string }).version;
    if (commanderVersion(HERE) !== commander) throw new Error('root help: cannot find the commander in use');
    const distDir = path.join(HERE, '..');
    const data: RootHelpData = { format: ROOT_HELP_FORMAT, commander, ...help, inputs: staticImports(path.join(HERE, 'main.js'), distDir) };
    writeFileSync(out, JSON.stringify(data));
  } catch (err) {
    process.stderr.write(`whoserves build: warning: ${(err as Error).message}; --help will load commander\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) generate();
