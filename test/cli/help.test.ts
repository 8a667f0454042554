import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fromRoot } from '../../src/paths.js';

const BIN = fromRoot('bin/whoserves.js');

function run(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
}

describe('cli', () => {
  it('prints help with every command and exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['scan', 'classify', 'report', 'diff', 'history', 'world', 'vendors', 'lists']) expect(r.stdout).toContain(c);
  });
  it('groups scan options by purpose', () => {
    const r = run(['scan', '--help']);
    expect(r.status).toBe(0);
    for (const g of ['Input:', 'Probes:', 'Limits:', 'Output:']) expect(r.stdout).toContain(g);
  });
  it('exits 2 on an unknown flag', () => {
    const r = run(['scan', '--no-such-flag']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--no-such-flag');
  });
});

// Every command's --help: a description, at least two examples whose domains are the README's,
// and text wrapped at word boundaries to the width (COLUMNS), examples kept whole within 80.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';

function commandPaths(cmd: Command, prefix: string[] = []): { path: string[]; cmd: Command }[] {
  return cmd.commands.flatMap((c) => [{ path: [...prefix, c.name()], cmd: c }, ...commandPaths(c, [...prefix, c.name()])]);
}

describe('--help of every command', () => {
  const readme = readFileSync(fromRoot('README.md'), 'utf8');
  const all = commandPaths(buildProgram());

  it('covers every command and subcommand', () => {
    expect(all.map((c) => c.path.join(' '))).toEqual(expect.arrayContaining(['scan', 'diff', 'history', 'merge', 'world serve', 'vendors show', 'vendors lint', 'lists']));
  });

  it.each(all.map((c) => [c.path.join(' '), c] as const))('%s: description, two examples, wrapped at words', (_name, { path, cmd }) => {
    const r = spawnSync(process.execPath, [BIN, ...path, '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '60' } });
    expect(r.status).toBe(0);
    const [body = '', exampleBlock = ''] = r.stdout.split('\nExamples:\n');
    const exampleLines = exampleBlock.split('\n').filter((l) => l.startsWith('  whoserves '));
    expect(exampleLines.length).toBeGreaterThanOrEqual(2);
    for (const l of exampleLines) expect(l.length).toBeLessThanOrEqual(80);
    // Example domains are the README's (hikvision.com, dahuasecurity.com, …).
    for (const d of exampleBlock.match(/\b[a-z0-9-]+\.(?:com|cn|net|org)\b/g) ?? []) expect(readme).toContain(d);
    const description = cmd.description();
    expect(description.length).toBeGreaterThan(20);
    // Wrapped to 60 columns, and only at spaces: every word of the description is whole in the help.
    // Longer only where one word (a URL, a path) cannot fit any line.
    for (const l of body.split('\n')) if (l.length > 60) expect(l.trim().split(' ').some((w) => w.length > 60 - (l.length - l.trimStart().length)), l).toBe(true);
    const words = body.split(/\s+/);
    for (const w of description.split(/\s+/)) expect(words).toContain(w);
  });
});
