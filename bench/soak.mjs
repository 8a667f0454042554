// `npm run soak`: a 5,000-domain world with 10% faults scanned at --concurrency 256 in a child
// (exit code, one Result per domain, peak RSS, compared with a 1,000-domain run), then an
// in-process variant that counts this process's open fds before and after the scan loop.
// Prints the figures and writes them into bench/results.json (section "soak"); reports, never asserts.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, gitCommit, machine, serveWorld, tempDir, writeWorld, round } from './lib.mjs';
import { scanWorld } from './scan.mjs';

const dir = tempDir();
const base = { seed: 5, latencyMs: 50, faults: 0.1, concurrency: 256 };
const big = await scanWorld(dir, { ...base, domains: Number(process.env.SOAK_DOMAINS ?? 5000) });
const small = await scanWorld(dir, { ...base, domains: 1000 });
const soak = {
  big,
  small,
  checks: {
    exitCode0: big.exitCode === 0,
    oneResultPerDomain: big.missing === 0 && big.duplicated === 0 && big.rows === big.domains,
    peakRssUnder300MB: big.peakRssMB !== undefined && big.peakRssMB < 300,
    rssGrowthMB: round(big.peakRssMB - small.peakRssMB, 1),
  },
  inProcess: await inProcess(1000),
};
const resultsFile = path.join(ROOT, 'bench/results.json');
const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : { sections: {} };
results.sections.soak = { ...soak, date: new Date().toISOString(), commit: gitCommit(), machine: machine() };
writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
process.stdout.write(JSON.stringify(soak, null, 2) + '\n');

async function inProcess(n) {
  const { world, file, list } = await writeWorld(dir, { ...base, domains: n });
  void list;
  const w = await serveWorld(file, { latencyMs: base.latencyMs });
  const fds = () => readdirSync('/proc/self/fd').length;
  try {
    const { makeProbes } = await import('./probes.mjs');
    const { runScanLoop } = await import('../dist/collect/scan.js');
    const before = fds();
    const { probes, close } = await makeProbes(w);
    let results = 0;
    let peakFds = 0;
    const ctl = runScanLoop(
      world.domains.map((domain, i) => ({ domain, input: { line: i + 1 } })),
      probes,
      { concurrency: base.concurrency, deadlineMs: 20_000, web: true, onObservation: () => void results++, onProgress: () => (peakFds = Math.max(peakFds, fds())) },
    );
    await ctl.finished;
    await close();
    // Sockets close asynchronously: give keep-alive pools a moment, then count.
    const afterNow = fds();
    await new Promise((r) => setTimeout(r, 6000));
    return { domains: n, results, fdsBefore: before, fdsPeak: peakFds, fdsRightAfter: afterNow, fdsAfter6s: fds(), fdsBackToStart: fds() <= before };
  } finally {
    await w.stop();
  }
}
