// Stand-in for `whoserves scan LIST --resolver H:P --https-port N --http-port N --ca-file PEM
// --concurrency C -o FILE` built from dist/ (scan loop, probes, classifier), used by the
// benchmarks only while the CLI command is not wired. Writes ndjson Results.
import { createWriteStream, readFileSync } from 'node:fs';
import { runScanLoop } from '../dist/collect/scan.js';
import { classify } from '../dist/classify/index.js';
import { loadVendorDb } from '../dist/vendors/load.js';
import { makeProbes } from './probes.mjs';

const args = process.argv.slice(2);
const flag = (n) => (args.includes(n) ? args[args.indexOf(n) + 1] : undefined);
const list = args.find((a) => a.endsWith('.txt'));
const domains = readFileSync(list, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const entries = domains.map((domain, i) => ({ domain, input: { line: i + 1 } }));
const db = loadVendorDb();
const { probes, close } = await makeProbes({ resolver: flag('--resolver'), httpsPort: Number(flag('--https-port')), httpPort: Number(flag('--http-port')), caFile: flag('--ca-file') });
const out = createWriteStream(flag('-o') ?? '/dev/stdout');
const ctl = runScanLoop(entries, probes, {
  concurrency: Number(flag('--concurrency') ?? 64),
  deadlineMs: 20_000,
  web: true,
  onObservation: (_i, obs) => {
    if (!out.write(JSON.stringify(classify(obs, db)) + '\n')) return new Promise((r) => out.once('drain', r));
  },
});
await ctl.finished;
await close();
await new Promise((r) => out.end(r));
