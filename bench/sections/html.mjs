// Section 4: 500 generated pages through our extractor + classifier vs WhatWeb, and whether
// they agree on the CMS. Ours runs in-process on the bodies; WhatWeb fetches them from a tiny
// loopback HTTP server (its time includes that fetch; ours has no network at all).
import http from 'node:http';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { measured, round, writeWorld } from '../lib.mjs';

const PAGES = 500;

/** What the generator put in the page (its templates: WordPress, Drupal, DedeCMS, none). */
function truth(body) {
  if (body.includes('content="WordPress')) return 'wordpress';
  if (body.includes('content="Drupal')) return 'drupal';
  if (body.includes('DedeCMS')) return 'dedecms';
  return 'none';
}
const canon = (names) => {
  const s = names.map((n) => n.toLowerCase());
  for (const c of ['wordpress', 'drupal', 'dedecms']) if (s.some((n) => n.replace(/[^a-z]/g, '').includes(c))) return c;
  return 'none';
};

export async function html(dir) {
  const gen = await writeWorld(dir, { domains: PAGES, seed: 4 });
  const pages = gen.world.domains.map((d) => {
    const site = gen.world.sites[`www.${d}`];
    return { domain: d, headers: site.http.headers, body: site.http.body };
  });
  const out = { pages: PAGES, truth: count(pages.map((p) => truth(p.body))) };
  const oursCms = await ours(pages, out);
  out.oursCms = count(oursCms);
  const ww = await whatweb(dir, pages);
  out.whatweb = ww.figures;
  if (ww.cms) {
    out.whatwebCms = count(ww.cms);
    const agree = (a, b) => round(a.filter((x, i) => x === b[i]).length / a.length, 3);
    const t = pages.map((p) => truth(p.body));
    out.agreement = { oursVsWhatweb: agree(oursCms, ww.cms), oursVsTruth: agree(oursCms, t), whatwebVsTruth: agree(ww.cms, t) };
  } else {
    out.agreement = { oursVsTruth: round(oursCms.filter((x, i) => x === truth(pages[i].body)).length / PAGES, 3) };
  }
  return out;
}

function count(xs) {
  const c = {};
  for (const x of xs) c[x] = (c[x] ?? 0) + 1;
  return c;
}

async function ours(pages, out) {
  const { extractSignals } = await import('../../dist/collect/html.js');
  const { classify } = await import('../../dist/classify/index.js');
  const { loadVendorDb } = await import('../../dist/vendors/load.js');
  const { emptyObservation } = await import('../../dist/types.js');
  const db = loadVendorDb();
  const pass = () => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const cms = pages.map((p) => {
      const obs = emptyObservation(p.domain, { line: 1 });
      const url = `https://www.${p.domain}/`;
      const headers = Object.entries(p.headers).map(([k, v]) => [k.toLowerCase(), String(v)]);
      const { html } = extractSignals(Buffer.from(p.body), p.headers['content-type']);
      obs.http.push({ url, finalUrl: url, status: 200, redirects: [], headers, html });
      const r = classify(obs, db);
      return canon(r.services.cms.map((a) => `${a.vendor ?? ''} ${a.vendorName ?? ''}`));
    });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    return { cms, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  const cold = pass();
  const warm = pass();
  out.ours = { msPerPage: round(warm.ms / pages.length, 3), coldMsPerPage: round(cold.ms / pages.length, 3), totalMs: round(warm.ms, 0), cpuMs: round(warm.cpuMs, 0), how: 'extractSignals + classify per page, in-process, vendor db loaded beforehand; second (warm) pass reported' };
  return cold.cms;
}

async function whatweb(dir, pages) {
  if (spawnSync('sh', ['-c', 'command -v whatweb']).status !== 0) return { figures: { skipped: 'whatweb not installed: apt-get install whatweb' } };
  const server = http.createServer((req, res) => {
    const i = Number(req.url.split('/')[2]);
    const p = pages[i];
    if (!p) return void res.writeHead(404).end();
    res.writeHead(200, p.headers).end(p.body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const urls = path.join(dir, 'whatweb-urls.txt');
  const log = path.join(dir, 'whatweb.json');
  writeFileSync(urls, pages.map((_, i) => `http://127.0.0.1:${port}/p/${i}/`).join('\n') + '\n');
  let r;
  try {
    r = await measured('whatweb', ['--no-errors', '-a', '1', '-t', '25', `--log-json=${log}`, `--input-file=${urls}`]);
  } finally {
    server.close();
  }
  const figures = { msPerPage: round(r.wallMs / pages.length, 3), totalMs: round(r.wallMs, 0), cpuMs: round(r.cpuMs, 0), peakRssMB: r.maxRssMB, exitCode: r.code, how: 'whatweb --no-errors -a 1 -t 25 --log-json, pages fetched from a loopback HTTP server' };
  if (!existsSync(log)) return { figures: { ...figures, error: r.stderr.slice(-300) } };
  const entries = parseLog(readFileSync(log, 'utf8'));
  const cms = pages.map(() => 'none');
  for (const e of entries) {
    const m = /\/p\/(\d+)\//.exec(e.target ?? '');
    if (m) cms[Number(m[1])] = canon(Object.keys(e.plugins ?? {}));
  }
  figures.parsed = entries.length;
  return { figures, cms };
}

function parseLog(text) {
  try {
    const a = JSON.parse(text);
    return Array.isArray(a) ? a.filter((x) => x && typeof x === 'object') : [a];
  } catch {
    return text
      .split('\n')
      .map((l) => l.replace(/^[[,]|[\],]$/g, '').trim())
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l)];
        } catch {
          return [];
        }
      });
  }
}
