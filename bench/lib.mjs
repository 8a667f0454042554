// Shared helpers for bench/run.mjs and bench/soak.mjs: machine facts, generated worlds
// (`whoserves world generate`), a world in its own process (`whoserves world serve`), and
// child processes measured with /usr/bin/time (their CPU and peak RSS only).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(ROOT, 'bin/whoserves.js');
export const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

export function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, model: cpus[0]?.model?.trim() ?? 'unknown', memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, load1: +os.loadavg()[0].toFixed(2) };
}

export function gitCommit() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return 'unknown';
  }
}

export function tempDir(prefix = 'whoserves-bench-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Generates a world with `whoserves world generate` and writes it and its domain list into dir
 * (reused when already there: the generator is deterministic per seed).
 */
export async function writeWorld(dir, opts) {
  const base = `world-${opts.domains}-${opts.seed}-${opts.faults ?? 0}-${opts.latencyMs ?? 0}${opts.http2 ? '-h2' : ''}`;
  const file = path.join(dir, `${base}.json`);
  const list = path.join(dir, `${base}.txt`);
  const t0 = performance.now();
  if (!existsSync(file)) {
    const args = [BIN, 'world', 'generate', '--domains', String(opts.domains), '--seed', String(opts.seed), '--faults', String(opts.faults ?? 0), '--latency', String(opts.latencyMs ?? 0), ...(opts.http2 ? ['--http2'] : []), '-o', file];
    const r = await measured(process.execPath, args);
    if (r.code !== 0) throw new Error(`whoserves world generate exited ${r.code}: ${r.stderr.trim()}`);
  }
  const genMs = performance.now() - t0;
  const world = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(list, world.domains.join('\n') + '\n');
  return { world, file, list, genMs };
}

/**
 * Starts `whoserves world serve FILE [--latency MS] [--standard-ports]` in its own process and
 * resolves with the addresses from the JSON line it prints. `nodeArgs` go before the script.
 */
export async function serveWorld(file, { latencyMs, standardPorts = false, nodeArgs = [] } = {}) {
  const args = [...nodeArgs, BIN, 'world', 'serve', file];
  if (latencyMs !== undefined) args.push('--latency', String(latencyMs));
  if (standardPorts) args.push('--standard-ports');
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  const line = await new Promise((resolve) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (l) => resolve(l));
    child.once('exit', () => resolve(undefined));
  });
  const info = line ? parseServe(line) : undefined;
  if (!info) {
    await stopChild(child);
    throw new Error(`whoserves world serve: ${stderr.trim() || line || 'no output'}`);
  }
  child.stdout.resume();
  return { ...info, child, stop: () => stopChild(child) };
}

/**
 * The line `whoserves world serve` prints:
 * {"resolver":"127.0.0.1:PORT","dns":{"host","port"},"httpPort","httpsPort","caFile","scan"}.
 */
export function parseServe(line) {
  let o;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  const host = o?.dns?.host;
  const port = Number(o?.dns?.port);
  if (typeof host !== 'string' || !Number.isInteger(port) || port <= 0 || typeof o.resolver !== 'string') return undefined;
  return { host, port, resolver: o.resolver, httpPort: o.httpPort, httpsPort: o.httpsPort, caFile: o.caFile, raw: o };
}

export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Runs a command and measures it: wall time here, user/sys CPU and peak RSS of that process
 * (and its waited-for children) from /usr/bin/time. stdout is kept when `keepStdout`.
 */
export async function measured(cmd, args, { keepStdout = false, input, env, onSpawn } = {}) {
  const tf = path.join(os.tmpdir(), `whoserves-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [c, a] = TIME ? [TIME, ['-f', '%U %S %M', '-o', tf, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const child = spawn(c, a, { cwd: ROOT, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  if (input !== undefined) child.stdin.end(input);
  onSpawn?.(child);
  const out = [];
  let stderr = '';
  child.stdout.on('data', (d) => keepStdout && out.push(d));
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const code = await new Promise((resolve) => child.once('close', (code) => resolve(code)));
  const wallMs = performance.now() - t0;
  let userMs, sysMs, maxRssMB;
  if (TIME && existsSync(tf)) {
    const last = readFileSync(tf, 'utf8').trim().split('\n').pop() ?? '';
    const [u, s, m] = last.split(' ').map(Number);
    if (Number.isFinite(u)) [userMs, sysMs, maxRssMB] = [u * 1000, s * 1000, +(m / 1024).toFixed(1)];
    rmSync(tf, { force: true });
    // /usr/bin/time reports the child's exit status as "Command exited with non-zero status N".
  }
  return { code, wallMs, userMs, sysMs, cpuMs: userMs === undefined ? undefined : userMs + sysMs, maxRssMB, stdout: keepStdout ? Buffer.concat(out) : undefined, stderr };
}

export const round = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? null : +x.toFixed(d));
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : undefined;
};

/** Runs at most `n` promises at once over items; returns results in order. */
export async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** "met" / "missed" next to a figure; never an assertion. */
export function target(value, limit, better = 'lower') {
  if (value === undefined || value === null) return 'not measured';
  return (better === 'lower' ? value <= limit : value >= limit) ? 'met' : 'missed';
}
