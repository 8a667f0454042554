// `npm run bench`: measures, never asserts. `node bench/run.mjs [section...]` runs some of
// pipeline, overlap, resolver, html, startup, pages (real-sized HTML), mail (extra DNS on/off),
// http2 (the world speaking h2 or HTTP/1.1), profile (one --cpu-prof scan: CPU by phase) (default: all).
// Writes bench/results.json (merged per section) and appends a row to the table in bench/README.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, gitCommit, machine, tempDir } from './lib.mjs';
import { pipeline, overlap, profile, mail, http2 } from './sections/pipeline.mjs';
import { pages } from './sections/pages.mjs';
import { resolver } from './sections/resolver.mjs';
import { html } from './sections/html.mjs';
import { startup } from './sections/startup.mjs';

const SECTIONS = { pipeline, overlap, resolver, html, startup, pages, mail, http2, profile };
const wanted = process.argv.slice(2);
const unknown = wanted.filter((s) => !(s in SECTIONS));
if (unknown.length) {
  process.stderr.write(`unknown section(s): ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}\n`);
  process.exit(2);
}
const run = wanted.length ? wanted : Object.keys(SECTIONS);
const dir = tempDir();
const resultsFile = path.join(ROOT, 'bench/results.json');
const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : { sections: {} };
const results = { date: new Date().toISOString(), commit: gitCommit(), machine: machine(), sections: { ...previous.sections } };

for (const name of run) {
  process.stdout.write(`\n== ${name}\n`);
  const t0 = performance.now();
  const loadBefore = +os.loadavg()[0].toFixed(2);
  let fig;
  try {
    fig = await SECTIONS[name](dir);
  } catch (e) {
    fig = { error: e instanceof Error ? e.message : String(e) };
  }
  fig.sectionWallS = +((performance.now() - t0) / 1000).toFixed(1);
  // The machine's load (1-minute average) as the section started and ended: shared machine.
  fig.load = [loadBefore, +os.loadavg()[0].toFixed(2)];
  fig.date = results.date;
  fig.commit = results.commit;
  results.sections[name] = fig;
  process.stdout.write(JSON.stringify(fig, null, 2) + '\n');
}
writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
appendRow(results, new Set(run));
process.stdout.write(`\nwrote bench/results.json and a row in bench/README.md\n`);

function appendRow(r, ran) {
  const readme = path.join(ROOT, 'bench/README.md');
  // The profile's phases and the HTTP/2 section are in results.json only; a run of them alone adds no row.
  if (!existsSync(readme) || ![...ran].some((n) => n !== 'profile' && n !== 'http2')) return;
  const s = (name) => (ran.has(name) ? r.sections[name] : undefined);
  const v = (x, unit = '') => (x === undefined || x === null ? '–' : `${x}${unit}`);
  const p = s('pipeline'), o = s('overlap'), res = s('resolver'), h = s('html'), st = s('startup'), pg = s('pages'), ml = s('mail');
  const m = r.machine;
  const cells = [
    r.date.slice(0, 16).replace('T', ' '),
    r.commit,
    `${m.cpus}× ${m.model.replace(/\|/g, '/')}, ${m.memGiB} GiB, ${m.node}, load ${m.load1}`,
    p?.error ? 'failed' : p && p.domains !== 10_000 ? `${p.wallS} s at ${p.domains} domains (10k extrapolated: ${p.extrapolated10k?.wallS} s)` : v(p?.wallS, ' s'),
    v(p?.domainsPerS),
    v(p?.scannerCpuMsPerDomain),
    v(p?.peakRssMB, ' MB'),
    o?.error ? 'failed' : v(o?.ratio),
    v(res?.ours?.qps),
    v(res?.cares?.qps),
    v(res?.adnshost?.qps),
    v(res?.kdig?.qps),
    v(h?.ours?.msPerPage),
    v(h?.whatweb?.msPerPage),
    // Since the real-page corpus: CMS recall against the labels, ours / WhatWeb (was: agreement on generated pages).
    h?.oursScore ? `${v(h.oursScore.cms?.recall)} / ${v(h.whatwebScore?.cms?.recall)}` : v(h?.agreement?.oursVsWhatweb),
    v(st?.helpMedianMs, ' ms'),
    v(st?.asn?.cachedLoadMs, ' ms'),
    v(st?.vendors?.loadMs, ' ms'),
    v(p?.worldCpuMsPerDomain),
    v(pg?.scanExtraCpuMsPerPage),
    v(ml?.costScannerCpuMsPerDomain),
  ];
  const row = `| ${cells.join(' | ')} |`;
  const lines = readFileSync(readme, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes('<!-- results-table -->'));
  if (start < 0) return;
  let end = start + 1;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  lines.splice(end, 0, row);
  writeFileSync(readme, lines.join('\n'));
}
