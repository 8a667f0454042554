// Sections 1 and 2: the full pipeline at 10,000 domains, and latency overlap at 1,000.
import { existsSync, readFileSync } from 'node:fs';
import { phasesPerDomain } from '../phases.mjs';
import path from 'node:path';
import { scanOutput, scanWorld } from '../scan.mjs';
import { median, round, target } from '../lib.mjs';

// BENCH_DOMAINS=2000 runs a smaller section 1 on a loaded machine; results.json records N.
export async function pipeline(dir) {
  const f = await scanWorld(dir, { domains: Number(process.env.BENCH_DOMAINS ?? 10_000), seed: 1, latencyMs: 50, concurrency: 256 });
  if (f.domains !== 10_000) f.note = `run at ${f.domains} domains, not 10,000; the 10k figures below are an extrapolation`;
  f.targets = {
    wall: `≤ 50 s: ${target(f.wallS, 50)}`,
    cpu: `≤ 4 ms/domain: ${target(f.scannerCpuMsPerDomain, 4)}`,
    worldCpu: `≤ 3 ms/domain: ${target(f.worldCpuMsPerDomain, 3)}`,
    rss: `≤ 250 MB: ${target(f.peakRssMB, 250)}`,
  };
  if (f.domains !== 10_000 && !f.error) {
    // Linear in N at fixed concurrency (CPU-bound here); RSS is not extrapolated.
    f.extrapolated10k = { wallS: round((f.wallS * 10_000) / f.domains, 0), basis: 'wall × 10,000 / N' };
    f.targets.wall = `≤ 50 s: ${target(f.extrapolated10k.wallS, 50)} (extrapolated)`;
  }
  return f;
}

/**
 * Round trips on a domain's critical path (see bench/README.md "Latency overlap"):
 * DNS round (NS/SOA/MX/TXT/_dmarc/CAA/A/AAAA of apex and www in parallel; the world's
 * resolver follows CNAME chains in one answer) = 1; MX and NS host addresses = 1; then ASN
 * (Cymru origin, then AS name = 2) in parallel with TLS+HTTP on apex and www (one connection
 * each = 1; the apex 301 → www reads the www probe's answer) = 1. R = 1 + 1 + max(2, 1) = 4.
 */
export const R = 4;

export async function overlap(dir) {
  const N = 1000, C = 32, L = 100;
  const f = await scanWorld(dir, { domains: N, seed: 2, latencyMs: L, concurrency: C });
  const idealS = (Math.ceil(N / C) * R * L) / 1000;
  return { ...f, R, idealS, ratio: f.error ? null : round(f.wallS / idealS, 2), target: `≤ 1.3: ${target(f.wallS / idealS, 1.3)}` };
}

/**
 * One scan with scanner and world under `node --cpu-prof`: prints the top functions by self time
 * and returns CPU by phase per domain (bench/phases.mjs), which the `profile` section records in
 * results.json. BENCH_PROFILE_DOMAINS (default 1,000) sets N; BENCH_PROFILE_DIR keeps the
 * .cpuprofile files.
 */
export async function profile(dir, { print = true } = {}) {
  const profDir = process.env.BENCH_PROFILE_DIR ?? path.join(dir, 'prof');
  const domains = Number(process.env.BENCH_PROFILE_DOMAINS ?? 1000);
  const prof = (who) => ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${who}.cpuprofile`];
  const f = await scanWorld(dir, { domains, seed: 1, latencyMs: 50, concurrency: 256, nodeArgs: prof('scanner'), worldNodeArgs: prof('world') });
  const out = { domains, scannerCpuMsPerDomain: f.scannerCpuMsPerDomain, worldCpuMsPerDomain: f.worldCpuMsPerDomain, wallS: f.wallS, note: 'under --cpu-prof (sampling adds a little CPU); phases = share of the busy profile samples × the CPU per domain measured; the world includes its first-visit certificate work' };
  if (f.error) out.error = f.error;
  for (const who of ['scanner', 'world']) {
    let p;
    try {
      p = JSON.parse(readFileSync(path.join(profDir, `${who}.cpuprofile`), 'utf8'));
    } catch {
      continue; // no profile: the scan did not run
    }
    out[who] = phasesPerDomain(p, domains, who === 'scanner' ? f.scannerCpuMsPerDomain : f.worldCpuMsPerDomain);
    if (print) {
      const top = topSelf(p, 15);
      process.stdout.write(`\n${who}.cpuprofile\n` + top.map((t) => `${t.pct.toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(6)} ms  ${t.name}  ${t.where}`).join('\n') + '\n');
    }
  }
  return out;
}

export function topSelf(prof, n) {
  const byId = new Map(prof.nodes.map((x) => [x.id, x]));
  const self = new Map();
  const dts = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dts[i] ?? 0));
  const agg = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const key = `${cf.functionName || '(anonymous)'}|${cf.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${cf.lineNumber + 1}`;
    agg.set(key, (agg.get(key) ?? 0) + us);
    total += us;
  }
  return [...agg.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => ({ name: k.split('|')[0], where: k.split('|')[1], ms: us / 1000, pct: (100 * us) / total }));
}

/**
 * Section 8: what HTTP/2 costs. Real sites mostly answer our ALPN offer with h2, and the HTTP probe
 * then speaks h2 on the TLS probe's connection; the bench world speaks HTTP/1.1 unless generated
 * with `--http2`. The pipeline's world at 2,000 domains, served both ways, alternated twice,
 * medians; every Result must come out the same (the protocol is not evidence of a vendor).
 */
export async function http2(dir) {
  const N = Number(process.env.BENCH_HTTP2_DOMAINS ?? 2000);
  const runs = { h1: [], h2: [] };
  for (let i = 0; i < 2; i++) {
    runs.h1.push(await scanWorld(dir, { domains: N, seed: 1, latencyMs: 50, concurrency: 256, tag: '-h1' }));
    runs.h2.push(await scanWorld(dir, { domains: N, seed: 1, latencyMs: 50, concurrency: 256, http2: true, tag: '-h2' }));
  }
  const med = (rs, k) => round(median(rs.map((r) => r[k])), 3);
  const fig = (rs) => ({ scannerCpuMsPerDomain: med(rs, 'scannerCpuMsPerDomain'), worldCpuMsPerDomain: med(rs, 'worldCpuMsPerDomain'), wallS: med(rs, 'wallS'), peakRssMB: med(rs, 'peakRssMB'), status: rs[0].status, runs: rs.map((r) => r.scannerCpuMsPerDomain), errors: rs.map((r) => r.error).filter(Boolean) });
  const h1 = fig(runs.h1);
  const h2 = fig(runs.h2);
  // Results as written (ndjson, input order): the protocol must not change what is attributed.
  const rows = (tag) => {
    const f = scanOutput(dir, { domains: N, concurrency: 256, latencyMs: 50, tag });
    return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).sort() : [];
  };
  const a = rows('-h1');
  const b = new Set(rows('-h2'));
  const differ = a.filter((l) => !b.has(l)).length;
  return {
    domains: N,
    sameResults: a.length === N && b.size === N && differ === 0,
    ...(differ > 0 ? { differingResults: differ } : {}),
    h1,
    h2,
    costScannerCpuMsPerDomain: round(h2.scannerCpuMsPerDomain - h1.scannerCpuMsPerDomain, 3),
    costWorldCpuMsPerDomain: round(h2.worldCpuMsPerDomain - h1.worldCpuMsPerDomain, 3),
  };
}

/**
 * Section 7: what the mail look-ups cost (DKIM selectors, autodiscover and the rules' fixed-name
 * TXT tokens: up to a dozen more queries per domain with MX). The pipeline's world at 2,000
 * domains scanned with them and with `--no-extra-dns`, alternated twice, medians.
 */
export async function mail(dir) {
  const N = Number(process.env.BENCH_MAIL_DOMAINS ?? 2000);
  const runs = { on: [], off: [] };
  for (let i = 0; i < 2; i++) {
    runs.on.push(await scanWorld(dir, { domains: N, seed: 1, latencyMs: 50, concurrency: 256, tag: '-mail-on' }));
    runs.off.push(await scanWorld(dir, { domains: N, seed: 1, latencyMs: 50, concurrency: 256, extra: ['--no-extra-dns'], tag: '-mail-off' }));
  }
  const med = (rs, k) => round(median(rs.map((r) => r[k])), 3);
  const fig = (rs) => ({ scannerCpuMsPerDomain: med(rs, 'scannerCpuMsPerDomain'), worldCpuMsPerDomain: med(rs, 'worldCpuMsPerDomain'), wallS: med(rs, 'wallS'), runs: rs.map((r) => r.scannerCpuMsPerDomain), errors: rs.map((r) => r.error).filter(Boolean) });
  const on = fig(runs.on);
  const off = fig(runs.off);
  return {
    domains: N,
    on,
    off,
    costScannerCpuMsPerDomain: round(on.scannerCpuMsPerDomain - off.scannerCpuMsPerDomain, 3),
    costWorldCpuMsPerDomain: round(on.worldCpuMsPerDomain - off.worldCpuMsPerDomain, 3),
    costWallS: round(on.wallS - off.wallS, 1),
  };
}
