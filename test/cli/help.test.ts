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
