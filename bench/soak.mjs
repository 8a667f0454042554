// `npm run soak`: a 5,000-domain world with 10% faults scanned at --concurrency 256 in a child
// (exit code, one Result per domain, peak RSS, compared with a 1,000-domain run); the scanner's
// open descriptors and resident set are sampled from /proc/PID during the 5,000-domain scan.
// Prints the figures and writes them into bench/results.json (section "soak"); reports, never asserts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, gitCommit, machine, tempDir, round } from './lib.mjs';
import { scanWorld } from './scan.mjs';

const dir = tempDir();
const base = { seed: 5, latencyMs: 50, faults: 0.1, concurrency: 256 };
const big = await scanWorld(dir, { ...base, domains: Number(process.env.SOAK_DOMAINS ?? 5000), sampleFds: true });
const small = await scanWorld(dir, { ...base, domains: 1000 });
const soak = {
  big,
  small,
  checks: {
    exitCode0: big.exitCode === 0,
    oneResultPerDomain: big.missing === 0 && big.duplicated === 0 && big.rows === big.domains,
    peakRssUnder300MB: big.peakRssMB !== undefined && big.peakRssMB < 300,
    rssGrowthMB: round(big.peakRssMB - small.peakRssMB, 1),
    // Open descriptors of the scanner near its end vs its start: sockets must not pile up.
    fdsLastMinusFirst: big.fds ? big.fds.last - big.fds.first : null,
    // Within the 5,000-domain run: peak RSS of the last quarter minus that of the second (after
    // warm-up). Near 0 = flat in the number of domains scanned.
    rssLastVsSecondQuarterMB: big.fds?.rssByQuarterMB?.[3] != null && big.fds.rssByQuarterMB[1] != null ? big.fds.rssByQuarterMB[3] - big.fds.rssByQuarterMB[1] : null,
  },
};
const resultsFile = path.join(ROOT, 'bench/results.json');
const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : { sections: {} };
results.sections.soak = { ...soak, date: new Date().toISOString(), commit: gitCommit(), machine: machine() };
writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
process.stdout.write(JSON.stringify(soak, null, 2) + '\n');
