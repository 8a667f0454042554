// Ctrl-C: the scan stops starting domains, finishes the running ones, flushes every finished
// Result and exits 130.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, tempDir, writeWorld } from './helpers.js';
import { generateWorld } from '../../src/world/generate.js';
import type { Result } from '../../src/types.js';

describe('SIGINT', () => {
  it('flushes finished results in order and exits 130', async () => {
    const dir = tempDir();
    const world = generateWorld({ domains: 40, seed: 7, latencyMs: 150 });
    const file = writeWorld(dir, world);
    const child = spawn(process.execPath, [BIN, 'scan', ...world.domains!, '--world', file, '--format', 'ndjson', '--concurrency', '2', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const firstRow = new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve();
      }),
    );
    await firstRow;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(130);
    const rows = out.trim().split('\n').map((l) => JSON.parse(l) as Result);
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThan(40);
    // Input order, no gaps, no duplicates.
    expect(rows.map((r) => r.domain)).toEqual(world.domains!.slice(0, rows.length));
  });
});

describe('SIGINT in a log', () => {
  it('says what it is doing when stderr is not a terminal', async () => {
    const dir = tempDir();
    const world = generateWorld({ domains: 20, seed: 8, latencyMs: 150 });
    const file = writeWorld(dir, world);
    const child = spawn(process.execPath, [BIN, 'scan', ...world.domains!, '--world', file, '--format', 'ndjson', '--concurrency', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGINT');
    expect(await new Promise<number | null>((resolve) => child.on('close', resolve))).toBe(130);
    expect(err).toContain('whoserves: interrupted: finishing running domains (Ctrl-C again to abandon them)\n');
  });
});
