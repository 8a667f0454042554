// Section 6: HTML at real sizes. 1,000 pages built by bench/pages.mjs (each a real fragment of
// fixtures/real/html.jsonl followed by ordinary page bulk up to a size drawn log-uniformly from
// 50-500 KB; see that file), measured two ways:
// - in-process: extractSignals + classify per page (CPU ms per page, warm pass), as section 4;
// - scanned: a generated 1,000-domain world (seed 4, latency 50 ms) whose www pages are replaced
//   by these pages, served and scanned by the real CLI, next to the same world with its own ~1 KB
//   pages, alternated twice: the scanner's extra CPU per domain is what real page sizes cost.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, median, round, writeWorld } from '../lib.mjs';
import { makePages } from '../pages.mjs';
import { scanWorld } from '../scan.mjs';

const N = 1000;

export async function pages(dir) {
  const fragments = readFileSync(path.join(ROOT, 'fixtures/real/html.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const built = makePages(fragments, { count: N, seed: 1 });
  const sizes = built.map((p) => p.bytes).sort((a, b) => a - b);
  const out = {
    pages: N,
    fragments: fragments.length,
    kB: { min: round(sizes[0] / 1024, 0), median: round(sizes[N >> 1] / 1024, 0), max: round(sizes[N - 1] / 1024, 0), total: round(sizes.reduce((a, b) => a + b, 0) / 1024, 0) },
    how: 'each page: one real fragment of fixtures/real/html.jsonl (unchanged, where the corpus world puts it) followed by generated bulk (nav lists, articles with links and srcset images, inline SVG, an inline <style>, an inline JSON state <script> with first-party URLs, a form, a footer) up to a size drawn log-uniformly in 50-500 KB; the bulk names only the page\'s own site, so it adds markup, not vendor signals (bench/pages.mjs)',
  };
  out.inProcess = await inProcess(built);

  // The same generated world twice: its own small pages, and these pages on its www hosts.
  const gen = await writeWorld(dir, { domains: N, seed: 4, latencyMs: 50, faults: 0 });
  const big = structuredClone(gen.world);
  big.domains.forEach((d, i) => {
    const site = big.sites[`www.${d}`];
    if (site?.http) site.http.body = built[i].body;
  });
  const bigFile = path.join(dir, 'world-realsize.json');
  writeFileSync(bigFile, JSON.stringify(big));
  const runs = { small: [], real: [] };
  for (let i = 0; i < 2; i++) {
    runs.small.push(await scanWorld(dir, { domains: N, latencyMs: 50, concurrency: 256, world: gen, tag: '-small' }));
    runs.real.push(await scanWorld(dir, { domains: N, latencyMs: 50, concurrency: 256, world: { ...gen, file: bigFile, world: big }, tag: '-real' }));
  }
  const fig = (rs) => ({
    scannerCpuMsPerDomain: round(median(rs.map((r) => r.scannerCpuMsPerDomain)), 3),
    worldCpuMsPerDomain: round(median(rs.map((r) => r.worldCpuMsPerDomain)), 3),
    wallS: round(median(rs.map((r) => r.wallS)), 1),
    peakRssMB: Math.max(...rs.map((r) => r.peakRssMB ?? 0)),
    runs: rs.map((r) => r.scannerCpuMsPerDomain),
    errors: rs.map((r) => r.error).filter(Boolean),
  });
  out.scanSmallPages = fig(runs.small);
  out.scanRealPages = fig(runs.real);
  out.scanExtraCpuMsPerPage = round(out.scanRealPages.scannerCpuMsPerDomain - out.scanSmallPages.scannerCpuMsPerDomain, 3);
  return out;
}

async function inProcess(pages) {
  const { extractSignals } = await import('../../dist/collect/html.js');
  const { classify } = await import('../../dist/classify/index.js');
  const { loadVendorDb } = await import('../../dist/vendors/load.js');
  const { emptyObservation } = await import('../../dist/types.js');
  const db = loadVendorDb();
  const bodies = pages.map((p) => Buffer.from(p.body));
  const pass = () => {
    const c0 = process.cpuUsage();
    const signals = bodies.map((b) => extractSignals(b, 'text/html; charset=utf-8').html);
    const c1 = process.cpuUsage();
    signals.forEach((html, i) => {
      const obs = emptyObservation(pages[i].domain, { line: 1 });
      const url = `https://www.${pages[i].domain}/`;
      obs.http.push({ url, finalUrl: url, status: 200, redirects: [], headers: [['content-type', 'text/html; charset=utf-8']], html });
      classify(obs, db);
    });
    const c2 = process.cpuUsage();
    const ms = (a, b) => (b.user + b.system - a.user - a.system) / 1000 / pages.length;
    return { extractMsPerPage: round(ms(c0, c1), 3), classifyMsPerPage: round(ms(c1, c2), 3) };
  };
  pass();
  return { ...pass(), how: 'CPU (process.cpuUsage) per page, second (warm) pass; vendor db loaded beforehand' };
}
