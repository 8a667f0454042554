// Resolver throughput against a world at latency 0: ours (dns-packet over dgram) side by side
// with node:dns's Resolver (c-ares) pointed at the same world. Run after `npm run build`:
//   node bench/resolver.mjs [queries] [inline]
// `inline` runs the world's server on the main thread instead of a worker thread.
import { Resolver as CaresResolver } from 'node:dns/promises';
import { Resolver } from '../dist/collect/dns/resolver.js';
import { Worker } from 'node:worker_threads';
import { startDnsServer } from '../dist/world/dns/server.js';

const N = Number(process.argv[2] ?? 5000);
const records = Array.from({ length: N }, (_, i) => `h${i} A 127.30.${(i >> 8) & 255}.${i & 255}`);
// The world runs in a worker thread, so the clients' CPU is not shared with the server's:
// c-ares does its work in C off the JS thread, ours on it.
const serverUrl = new URL('../dist/world/dns/server.js', import.meta.url).href;
const inlineMode = process.argv[3] === 'inline';
const worker = inlineMode ? undefined : new Worker(
  `import { parentPort, workerData } from 'node:worker_threads';
   const { startDnsServer } = await import(workerData.serverUrl);
   const s = await startDnsServer(workerData.world);
   parentPort.postMessage({ host: s.host, port: s.port });
   parentPort.once('message', () => s.close().then(() => process.exit(0)));`,
  { eval: true, workerData: { serverUrl, world: { world: 1, latencyMs: 0, zones: { 'bench.test': records } } } },
);
const inline = inlineMode ? await startDnsServer({ world: 1, latencyMs: 0, zones: { 'bench.test': records } }) : undefined;
const server = inline ?? (await new Promise((resolve) => worker.once('message', resolve)));
const names = () => Array.from({ length: N }, (_, i) => `h${i}.bench.test`);

async function ours() {
  const r = new Resolver({ upstreams: [{ host: server.host, port: server.port }], timeoutMs: 2000, retries: 2 });
  const e0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const res = await Promise.allSettled(names().map((n) => r.query(n, 'A')));
  const ms = performance.now() - t0;
  const busy = performance.eventLoopUtilization(e0).active;
  await r.close();
  return { ms, busy, failed: res.filter((x) => x.status === 'rejected').length };
}

async function cares() {
  const r = new CaresResolver({ timeout: 2000, tries: 3 });
  r.setServers([`${server.host}:${server.port}`]);
  const e0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const res = await Promise.allSettled(names().map((n) => r.resolve4(n)));
  const ms = performance.now() - t0;
  const busy = performance.eventLoopUtilization(e0).active;
  return { ms, busy, failed: res.filter((x) => x.status === 'rejected').length };
}

const out = {};
// Alternating runs, best of each: the first runs include JIT warm-up.
const runs = Array.from({ length: 4 }, () => [['ours', ours], ['c-ares', cares]]).flat();
for (const [label, fn] of runs) {
  const { ms, busy, failed } = await fn();
  const qps = Math.round((N / ms) * 1000);
  // Main-thread busy time per query: the client's cost (plus the server's, when inline).
  const busyUsPerQuery = Math.round((busy * 1000) / N);
  if (!out[label] || out[label].qps < qps) out[label] = { qps, ms: Math.round(ms), busyUsPerQuery, failed };
}
console.log(JSON.stringify({ queries: N, server: inline ? 'main thread' : 'worker thread', best: out }));
await inline?.close();
worker?.postMessage('close');
