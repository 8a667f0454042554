// Drive the real CLI (dist/, built by `npm test`'s pretest) against worlds on loopback.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import type { Result } from '../../src/types.js';
import type { World } from '../../src/world/types.js';

export const BIN = fromRoot('bin/whoserves.js');

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'whoserves-e2e-'));
}

export function writeWorld(dir: string, world: World, name = 'world.json'): string {
  const f = path.join(dir, name);
  writeFileSync(f, JSON.stringify(world));
  return f;
}

export function cli(args: string[], input?: string): SpawnSyncReturns<string> {
  // maxBuffer: spawnSync kills a child past 1 MB of output by default, and a big scan prints more.
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input, timeout: 120_000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
}

/** Async variant, so a test can run several scans or a server at once. */
export function cliAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function scanJson(args: string[]): { results: Result[]; stderr: string; status: number | null } {
  const r = cli(['scan', '--format', 'json', '--quiet', ...args]);
  if (r.status !== 0) throw new Error(`scan exited ${r.status}: ${r.stderr}`);
  return { results: JSON.parse(r.stdout) as Result[], stderr: r.stderr, status: r.status };
}
