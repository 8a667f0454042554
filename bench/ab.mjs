// A/B of two builds on a shared machine: `node bench/ab.mjs OTHER_ROOT [N] [ROUNDS] [-- scan args]`
// serves one generated world (seed 1, latency 50 ms) from this checkout, then scans it with
// this build and OTHER_ROOT's alternately, ROUNDS times each, and prints each scan's CPU
// (user+sys, /usr/bin/time) per domain, the world's CPU per domain during it, and whether the
// Results are byte-identical to the first scan's. AB_NODE_OPTIONS_A / _B set NODE_OPTIONS for
// one side (OTHER_ROOT may be this checkout, to compare node flags). On a loaded machine wall time says little;
// CPU per domain, alternated and taken at its median, is what to compare; `perWorld` (scanner CPU
// over the world's in the same run) also divides out the machine's drift.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { measured, median, round, serveWorld, tempDir, writeWorld } from './lib.mjs';
import { procCpuMs, scanArgs, loadavg } from './scan.mjs';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const extra = dash >= 0 ? argv.slice(dash + 1) : [];
const [otherRoot, nStr = '2000', roundsStr = '3'] = dash >= 0 ? argv.slice(0, dash) : argv;
if (!otherRoot) {
  process.stderr.write('usage: node bench/ab.mjs OTHER_ROOT [N] [ROUNDS] [-- scan args]\n');
  process.exit(2);
}
const N = Number(nStr);
const ROUNDS = Number(roundsStr);
const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const builds = { B: here, A: path.resolve(otherRoot) };
const dir = tempDir('whoserves-ab-');
const gen = await writeWorld(dir, { domains: N, seed: 1, latencyMs: 50, faults: 0 });
const w = await serveWorld(gen.file, { latencyMs: 50 });
const figures = { A: [], B: [] };
let reference;
try {
  // A first scan warms the world (its leaves and contexts are made on first visit); not counted.
  await scan('B', true);
  for (let i = 0; i < ROUNDS; i++) for (const k of ['A', 'B']) await scan(k);
} finally {
  await w.stop();
}
const summary = {};
for (const k of ['A', 'B']) {
  const f = figures[k];
  summary[k] = { root: builds[k], cpuMsPerDomain: round(median(f.map((x) => x.cpu)), 3), worldCpuMsPerDomain: round(median(f.map((x) => x.world)), 3), perWorldCpu: round(median(f.map((x) => x.perWorld)), 3), rssMB: median(f.map((x) => x.rss)), runs: f.map((x) => x.cpu) };
}
process.stdout.write(JSON.stringify({ N, rounds: ROUNDS, extra, load: loadavg(), ...summary }, null, 1) + '\n');

async function scan(k, warm = false) {
  const out = path.join(dir, `out-${k}.ndjson`);
  const args = scanArgs(gen.list, w, { concurrency: 256, out, extra });
  args[0] = path.join(builds[k], 'bin/whoserves.js');
  const c0 = procCpuMs(w.child.pid);
  // AB_NODE_OPTIONS_A / _B: node flags for one side (heap settings, say).
  const nodeOptions = process.env[`AB_NODE_OPTIONS_${k}`];
  const r = await measured(process.execPath, args, nodeOptions ? { env: { NODE_OPTIONS: nodeOptions } } : {});
  const world = (procCpuMs(w.child.pid) - c0) / N;
  const rows = readFileSync(out, 'utf8').split('\n').filter(Boolean).sort();
  reference ??= rows;
  // Differing rows, and the error codes in them: under heavy load a deadline can cut a domain short.
  const ref = new Set(reference);
  const differ = rows.filter((l) => !ref.has(l));
  const codes = {};
  for (const l of differ) for (const e of JSON.parse(l).errors ?? []) codes[`${e.stage} ${e.code}`] = (codes[`${e.stage} ${e.code}`] ?? 0) + 1;
  const same = differ.length === 0 && rows.length === reference.length;
  // This machine's speed drifts by 15 % within minutes; the world's work per domain is the same
  // for both builds, so scanner CPU over world CPU compares them with the drift divided out.
  const f = { cpu: round(r.cpuMs / N, 3), world: round(world, 3), perWorld: round(r.cpuMs / N / world, 3), rss: r.maxRssMB, wallS: round(r.wallMs / 1000, 1), same, ...(same ? {} : { differ: differ.length, codes }), exit: r.code };
  process.stdout.write(`${warm ? 'warm-up ' : ''}${k}: ${JSON.stringify(f)} load ${loadavg()[0]}\n`);
  if (!warm) figures[k].push(f);
}
