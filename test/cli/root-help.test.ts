// The root help's fast path (src/cli/root-help.ts) prints what commander prints, byte for byte,
// with the same exit code, and steps aside when the build's record is missing, damaged or stale.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { EXIT } from '../../src/cli/errors.js';
import { outputWidth } from '../../src/cli/output-defaults.js';
import { checkRootHelp, commanderHelp, recordRootHelp } from '../../src/cli/root-help-gen.js';
import { DATA_FILE, helpWidth, loadRootHelp, renderRootHelp, ROOT_HELP_EXIT, rootHelpStream, type RootHelpData } from '../../src/cli/root-help.js';
import { fromRoot } from '../../src/paths.js';

const ROOT_ARGS = [[], ['--help'], ['-h'], ['help']];

describe('root help renderer', () => {
  const layout = recordRootHelp(buildProgram());
  const program = buildProgram();

  it('renders as commander at widths 20..300, colour on and off, stdout and stderr', () => {
    let compared = 0;
    for (let width = 20; width <= 300; width++) {
      const ours = renderRootHelp(layout, width);
      for (const colors of [false, true]) {
        for (const error of [false, true]) {
          expect(ours, `width ${width}`).toBe(commanderHelp(program, width, colors, error));
          compared++;
        }
      }
    }
    expect(compared).toBe(281 * 4);
    // The widths matter: the text differs between them (so the comparison could fail).
    expect(renderRootHelp(layout, 40)).not.toBe(renderRootHelp(layout, 120));
    expect(checkRootHelp(layout, program)).toBeUndefined();
  });

  it('the check finds a renderer that is off by one item', () => {
    const bad = structuredClone(layout);
    const item = bad.parts.find((p) => 'term' in p)!;
    if ('term' in item) item.description += ' more';
    expect(checkRootHelp(bad, program)).toMatch(/^width 20,/);
  });

  it('uses output-defaults.ts width rule and errors.ts exit codes', () => {
    const columns = [undefined, '', '0', '10', '19', '20', '57', ' 100 ', '1000', '5000', 'abc', '80x', '-5'];
    const dests = [{ isTTY: false }, { isTTY: true, columns: 132 }, { isTTY: true, columns: 15 }, { isTTY: true }, { isTTY: false, columns: 50 }];
    for (const COLUMNS of columns) {
      for (const dest of dests) {
        const env = COLUMNS === undefined ? {} : { COLUMNS };
        expect(helpWidth(dest, env), `${COLUMNS} ${JSON.stringify(dest)}`).toBe(outputWidth(dest, env, 80));
      }
    }
    expect(ROOT_HELP_EXIT).toEqual({ ok: EXIT.ok, usage: EXIT.usage, pipe: EXIT.pipe });
  });

  it('is for exactly the root help arguments', () => {
    expect(ROOT_ARGS.map(rootHelpStream)).toEqual(['stderr', 'stdout', 'stdout', 'stdout']);
    for (const args of [['scan'], ['--help', 'scan'], ['help', 'scan'], ['-V'], ['--version'], ['--helps'], ['-h', '-h'], ['scan', '--help']]) expect(rootHelpStream(args)).toBeUndefined();
  });
});

// End to end on the build (npm test builds first): the launcher against main() called directly.
describe('whoserves with the root help arguments', () => {
  const bin = fromRoot('bin/whoserves.js');
  const mainUrl = (root: string) => new URL(`file://${path.join(root, 'dist/cli/main.js')}`).href;
  const viaLauncher = (root: string, args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [path.join(root, 'bin/whoserves.js'), ...args], { encoding: 'utf8', env });
  // The normal path: what bin/whoserves.js did before the fast path.
  const viaCommander = (root: string, args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(mainUrl(root))}); await m.main(process.argv.slice(0, 1).concat(${JSON.stringify([bin, ...args])}));`], { encoding: 'utf8', env });
  const outcome = (r: ReturnType<typeof viaLauncher>) => ({ status: r.status, stdout: r.stdout, stderr: r.stderr });
  const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['COLUMNS', 'FORCE_COLOR', 'NO_COLOR', 'CLICOLOR_FORCE'].includes(k)));

  it('the build has a fresh record', () => {
    expect(loadRootHelp(fromRoot('dist/cli'))?.inputs.map((i) => i.file)).toEqual(expect.arrayContaining(['cli/main.js', 'cli/scan.js', 'cli/data.js', 'cli/lists.js', 'version.js']));
  });

  it.each([
    {},
    { COLUMNS: '40' },
    { COLUMNS: '57' },
    { COLUMNS: '133' },
    { COLUMNS: '5' },
    { COLUMNS: 'wide', CLICOLOR_FORCE: '1' },
    { FORCE_COLOR: '1', COLUMNS: '200' },
    { NO_COLOR: '1', COLUMNS: '90' },
  ])('prints what commander prints, with its exit code: %o', (extra) => {
    const env = { ...baseEnv, ...extra };
    for (const args of ROOT_ARGS) {
      const fast = viaLauncher(fromRoot(), args, env);
      const slow = viaCommander(fromRoot(), args, env);
      expect(outcome(fast), args.join(' ')).toEqual(outcome(slow));
      expect(slow.status).toBe(args.length === 0 ? 2 : 0);
      expect((args.length === 0 ? slow.stderr : slow.stdout).length).toBeGreaterThan(1000);
    }
  });

  it('exits 141 when the reader of stdout has gone, as commander does', async () => {
    const closedReader = (argv: string[]) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'], env: baseEnv });
        child.stdout.destroy(); // closed before the child has started
        child.on('close', (code) => resolve(code));
      });
    expect(await closedReader([bin, '--help'])).toBe(141);
    expect(await closedReader(['--input-type=module', '-e', `const m = await import(${JSON.stringify(mainUrl(fromRoot()))}); await m.main([process.argv[0], '', '--help']);`])).toBe(141);
  });

  describe('a copy of the package whose record is changed', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'whoserves-root-help-'));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));
    // bin, package.json and dist/cli copied; the rest of dist and node_modules linked.
    const copy = (name: string): string => {
      const root = path.join(tmp, name);
      cpSync(fromRoot('bin'), path.join(root, 'bin'), { recursive: true });
      cpSync(fromRoot('package.json'), path.join(root, 'package.json'));
      symlinkSync(fromRoot('node_modules'), path.join(root, 'node_modules'));
      mkdirSync(path.join(root, 'dist'));
      for (const entry of readdirSync(fromRoot('dist'))) {
        if (entry === 'cli') cpSync(fromRoot('dist/cli'), path.join(root, 'dist/cli'), { recursive: true });
        else symlinkSync(fromRoot('dist', entry), path.join(root, 'dist', entry));
      }
      return root;
    };
    const record = (root: string) => path.join(root, 'dist/cli', DATA_FILE);
    const env = { ...baseEnv, COLUMNS: '72' };

    it('a fresh record is what the launcher prints (the fast path is taken)', () => {
      const root = copy('fresh');
      const data = JSON.parse(readFileSync(record(root), 'utf8')) as RootHelpData;
      writeFileSync(record(root), JSON.stringify({ ...data, template: 'from the record\n' + data.template }));
      for (const args of ROOT_ARGS) {
        const r = viaLauncher(root, args, env);
        expect(args.length === 0 ? r.stderr : r.stdout).toMatch(/^from the record\nUsage: whoserves/);
      }
    });

    it.each([
      ['missing', (root: string) => rmSync(record(root))],
      ['not JSON', (root: string) => writeFileSync(record(root), '{"format": 1, "tem')],
      ['a part missing', (root: string) => {
        const data = JSON.parse(readFileSync(record(root), 'utf8')) as RootHelpData;
        writeFileSync(record(root), JSON.stringify({ ...data, parts: data.parts.slice(1) }));
      }],
      ['of another format', (root: string) => {
        const data = JSON.parse(readFileSync(record(root), 'utf8')) as RootHelpData;
        writeFileSync(record(root), JSON.stringify({ ...data, format: data.format + 1, template: 'stale\n' }));
      }],
      ['for another commander', (root: string) => {
        const data = JSON.parse(readFileSync(record(root), 'utf8')) as RootHelpData;
        writeFileSync(record(root), JSON.stringify({ ...data, commander: '1.0.0', template: 'stale\n' }));
      }],
      ['stale: a command changed after the record was made', (root: string) => {
        const scan = path.join(root, 'dist/cli/scan.js');
        const text = readFileSync(scan, 'utf8');
        expect(text).toContain('scan domains and print');
        writeFileSync(scan, text.replace('scan domains and print', 'scan domains (changed) and print'));
      }],
    ])('falls back to commander when the record is %s', (name, damage) => {
      const root = copy(name.replace(/\W+/g, '-'));
      damage(root);
      for (const args of ROOT_ARGS) {
        const fast = viaLauncher(root, args, env);
        const slow = viaCommander(root, args, env);
        expect(outcome(fast), args.join(' ')).toEqual(outcome(slow));
        expect(fast.status).toBe(args.length === 0 ? 2 : 0);
        expect(fast.stdout + fast.stderr).toMatch(/^Usage: whoserves /);
        expect(fast.stderr).not.toContain('whoserves: internal error');
        if (name.startsWith('stale')) expect(fast.stdout + fast.stderr).toContain('scan domains (changed) and');
      }
    });
  });
});
