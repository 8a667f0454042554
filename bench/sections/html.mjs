// Section 4: the real page fragments of the corpus (fixtures/real/html.jsonl, wrapped into pages
// the way `world from-captures` serves them) through our extractor + classifier and through
// WhatWeb, each scored against the corpus labels for cms and analytics (company level). Ours runs
// in-process on the bodies; WhatWeb fetches them from a loopback HTTP server (its time includes
// that fetch). Also lists the pages where WhatWeb names a labelled company we miss.
import http from 'node:http';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, measured, round } from '../lib.mjs';

const CATS = ['cms', 'analytics'];

/**
 * WhatWeb plugin names → the vendor database's company ids, for the products the corpus labels.
 * A name mapping only (which company a product is), not WhatWeb's fingerprints.
 */
const WHATWEB_COMPANY = {
  cms: {
    wordpress: 'wordpress', drupal: 'drupal', joomla: 'joomla', typo3: 'typo3', magento: 'adobe', adobeexperiencemanager: 'adobe', adobecq5: 'adobe',
    sitecore: 'sitecore', shopify: 'shopify', wix: 'wix', squarespace: 'squarespace', webflow: 'webflow', hubspot: 'hubspot', ghost: 'ghost',
    dedecms: 'shanghai-zhuozhuo', discuz: 'tencent', empirecms: 'phome', zblog: 'rainbowsoft', liferay: 'liferay', prestashop: 'prestashop',
    blogger: 'google', mediawiki: 'wikimedia', tumblr: 'automattic', bitrixsitemanager: '1c-bitrix', umbraco: 'umbraco', craftcms: 'pixel-and-tonic', kenticocms: 'kentico',
  },
  analytics: { googleanalytics: 'google', matomo: 'innocraft', piwik: 'innocraft', quantcast: 'quantcast', wordpressstats: 'automattic', hotjar: 'hotjar', yandexmetrika: 'yandex', baiduanalytics: 'baidu', cnzz: 'alibaba' },
};
const norm = (s) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export async function html(dir) {
  const { readCaptures, buildCaptureWorld } = await import('../../dist/world/captures.js');
  const captures = readCaptures([path.join(ROOT, 'fixtures/real/html.jsonl')]);
  const { world, labels } = buildCaptureWorld(captures);
  const pages = world.domains.map((d) => ({ domain: d, id: labels.sources[d], body: world.sites[`www.${d}`].http.body, want: labels.domains[d] }));
  const out = { pages: pages.length, bytes: pages.reduce((n, p) => n + p.body.length, 0) };
  const oursFound = await ours(pages, out);
  out.oursScore = scoreAll(pages, oursFound);
  const ww = await whatweb(dir, pages);
  out.whatweb = ww.figures;
  if (ww.found) {
    out.whatwebScore = scoreAll(pages, ww.found);
    out.whatwebFindsWeMiss = pages.flatMap((p, i) => CATS.flatMap((c) => (p.want[c] ?? []).filter((co) => ww.found[i][c].has(co) && !oursFound[i][c].has(co)).map((co) => `${p.id} ${c}:${co}`)));
    out.weFindWhatwebMisses = pages.flatMap((p, i) => CATS.flatMap((c) => (p.want[c] ?? []).filter((co) => oursFound[i][c].has(co) && !ww.found[i][c].has(co)).map((co) => `${p.id} ${c}:${co}`))).length;
  }
  return out;
}

function scoreAll(pages, found) {
  const s = {};
  for (const c of CATS) {
    let tp = 0, fp = 0, fn = 0;
    pages.forEach((p, i) => {
      const want = new Set(p.want[c] ?? []);
      for (const co of want) found[i][c].has(co) ? tp++ : fn++;
      for (const co of found[i][c]) if (!want.has(co)) fp++;
    });
    s[c] = { labels: tp + fn, found: tp, wrong: fp, missed: fn, precision: round(tp + fp ? tp / (tp + fp) : 1, 3), recall: round(tp + fn ? tp / (tp + fn) : 1, 3) };
  }
  return s;
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
    const found = pages.map((p) => {
      const obs = emptyObservation(p.domain, { line: 1 });
      const url = `https://www.${p.domain}/`;
      const { html } = extractSignals(Buffer.from(p.body), 'text/html; charset=utf-8');
      obs.http.push({ url, finalUrl: url, status: 200, redirects: [], headers: [['content-type', 'text/html; charset=utf-8']], html });
      const r = classify(obs, db);
      return Object.fromEntries(CATS.map((c) => [c, new Set(r.services[c].filter((a) => a.vendor !== null).map((a) => a.company))]));
    });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    return { found, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  pass();
  const warm = pass();
  out.ours = { msPerPage: round(warm.ms / pages.length, 3), totalMs: round(warm.ms, 0), cpuMs: round(warm.cpuMs, 0), how: 'extractSignals + classify per page, in-process, vendor db loaded beforehand; second (warm) pass reported' };
  return warm.found;
}

async function whatweb(dir, pages) {
  if (spawnSync('sh', ['-c', 'command -v whatweb']).status !== 0) return { figures: { skipped: 'whatweb not installed: apt-get install whatweb' } };
  const server = http.createServer((req, res) => {
    const i = Number(req.url.split('/')[2]);
    const p = pages[i];
    if (!p) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(p.body);
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
  const figures = { msPerPage: round(r.wallMs / pages.length, 3), totalMs: round(r.wallMs, 0), cpuMs: round(r.cpuMs, 0), peakRssMB: r.maxRssMB, exitCode: r.code, how: 'whatweb --no-errors -a 1 -t 25 --log-json, pages fetched from a loopback HTTP server; plugin names mapped to company ids' };
  if (!existsSync(log)) return { figures: { ...figures, error: r.stderr.slice(-300) } };
  const found = pages.map(() => Object.fromEntries(CATS.map((c) => [c, new Set()])));
  const entries = parseLog(readFileSync(log, 'utf8'));
  for (const e of entries) {
    const m = /\/p\/(\d+)\//.exec(e.target ?? '');
    if (!m) continue;
    for (const name of Object.keys(e.plugins ?? {})) {
      for (const c of CATS) {
        const co = WHATWEB_COMPANY[c][norm(name)];
        if (co) found[Number(m[1])][c].add(co);
      }
    }
  }
  figures.parsed = entries.length;
  return { figures, found };
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
