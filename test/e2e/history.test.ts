// End to end: four monthly scans of a small world through the real CLI, then `whoserves history`
// over the Results, in every format, and its HTML page in chromium.
//   January   the baseline: four companies, alpha's mail at Tencent.
//   February  beta adds Microsoft 365 mail (a provider added).
//   March     alpha's DNS fails entirely (a month not measured); gamma is renamed in the list
//             (Gamma Vision Ltd → Gamma AI Group: same domain, new entity name).
//   April     alpha is back, its mail moved from Tencent to Microsoft (a provider removed, one added).
// The scans run now; their metadata dates are then set to the 1st of each month, as a monthly
// job would have written them. The files are named out of date order: history orders by date.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, cliAsync, tempDir, writeWorld } from './helpers.js';
import { browserOnPage, haveBrowser, keepScreenshot, networkRequests, warnIfNoBrowser, withoutScript } from '../helpers/browser.js';
import type { History } from '../../src/monitor/history.js';
import type { World } from '../../src/world/types.js';

const dir = tempDir();
const results = path.join(dir, 'results');
mkdirSync(results);
const MONTHS = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'];
const FILES = ['c.json', 'a.json', 'd.json', 'b.json'].map((f) => path.join(results, f));
const SLACK = ['--timeout', '120', '--http-timeout', '60', '--dns-timeout', '10'];

function monthWorld(month: number): World {
  const site = (body: string) => ({ tls: { ca: 'trustasia' }, http: { status: 200, headers: { 'content-type': 'text/html' }, body } });
  const zone = (ip: string, extra: string[] = []) => ['@ NS ns1.alidns.com.', ...extra, `@ A ${ip}`, `www A ${ip}`];
  return {
    world: 1,
    description: `e2e history world, month ${month}`,
    asns: [
      { asn: 37963, name: 'ALIBABA-CN-NET', country: 'CN', prefixes: ['127.37.0.0/16'] },
      { asn: 45090, name: 'TENCENT-NET-AP', country: 'CN', prefixes: ['127.45.0.0/16'] },
      { asn: 8075, name: 'MICROSOFT-CORP-MSN-AS-BLOCK', country: 'US', prefixes: ['127.80.0.0/16'] },
    ],
    cas: [
      { id: 'root', subject: { CN: 'TrustAsia Global Root CA G3', O: 'TrustAsia Technologies, Inc.', C: 'CN' } },
      // Really under TrustAsia's own root (CCADB): a Chinese certificate with no U.S. root owner.
      { id: 'trustasia', issuer: 'root', subject: { CN: 'TrustAsia DV TLS RSA CA G3', O: 'TrustAsia Technologies, Inc.', C: 'CN' } },
    ],
    zones: {
      'alpha-tech.cn': zone('127.37.0.10', [month < 4 ? '@ MX 10 mxbiz1.qq.com.' : '@ MX 10 alpha-tech-cn.mail.protection.outlook.com.']),
      'beta-soft.cn': zone('127.37.0.11', month >= 2 ? ['@ MX 0 beta-soft-cn.mail.protection.outlook.com.'] : []),
      'gamma-ai.cn': zone('127.37.0.12'),
      'delta-net.cn': zone('127.37.0.13'),
      'qq.com': ['mxbiz1 A 127.45.0.5'],
      'outlook.com': ['alpha-tech-cn.mail.protection A 127.80.0.5', 'beta-soft-cn.mail.protection A 127.80.0.6'],
      'alidns.com': ['ns1 A 127.37.0.53'],
    },
    sites: Object.fromEntries(['alpha-tech.cn', 'beta-soft.cn', 'gamma-ai.cn', 'delta-net.cn'].flatMap((d) => [[d, site(`<html>${d}</html>`)], [`www.${d}`, site(`<html>${d}</html>`)]])),
    ...(month === 3 ? { faults: { 'alpha-tech.cn': 'dns-servfail' as const } } : {}),
  };
}

function listFor(month: number): string {
  const file = path.join(dir, `list-${month}.csv`);
  const gamma = month >= 3 ? 'Gamma AI Group' : 'Gamma Vision Ltd';
  writeFileSync(file, `domain,entity\nalpha-tech.cn,Alpha Tech\nbeta-soft.cn,Beta Soft\ngamma-ai.cn,${gamma}\ndelta-net.cn,Delta Net\n`);
  return file;
}

let history: History;

beforeAll(async () => {
  const runs = await Promise.all(
    [1, 2, 3, 4].map((m) =>
      cliAsync(['scan', listFor(m), '--world', writeWorld(dir, monthWorld(m), `world-${m}.json`), '--format', 'json', '--meta', '--quiet', '-o', FILES[m - 1]!, ...SLACK]),
    ),
  );
  for (const r of runs) expect(r.status, r.stderr).toBe(0);
  FILES.forEach((file, i) => {
    const scan = JSON.parse(readFileSync(file, 'utf8')) as { meta: { startedAt: string } };
    scan.meta.startedAt = `${MONTHS[i]}T06:17:00.000Z`;
    writeFileSync(file, JSON.stringify(scan));
  });
  const r = cli(['history', results, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  history = JSON.parse(r.stdout) as History;
}, 120_000);

const company = (domain: string) => history.companies.find((c) => c.domain === domain)!;
const track = (domain: string, category: string, key: string) => company(domain).tracks.find((t) => t.category === category && t.provider.key === key)!;

describe('whoserves history over four monthly scans', () => {
  it('orders the scans by their date and marks the failed month', () => {
    expect(history.runs.map((r) => [r.date, path.basename(r.source), r.domains, r.failed])).toEqual([
      ['2026-01-01', 'c.json', 4, 0],
      ['2026-02-01', 'a.json', 4, 0],
      ['2026-03-01', 'd.json', 4, 1],
      ['2026-04-01', 'b.json', 4, 0],
    ]);
    expect(company('alpha-tech.cn').statuses).toEqual(['ok', 'ok', 'failed', 'ok']);
  });

  it('a provider removed: Tencent ends in April, last seen in February, the failed March a gap; both ends carry their MX', () => {
    const t = track('alpha-tech.cn', 'email', 'tencent');
    expect(t.cells).toEqual(['seen', 'seen', 'not-measured', 'absent']);
    expect(t.intervals).toHaveLength(1);
    const iv = t.intervals[0]!;
    expect(iv.status).toBe('ended');
    expect(iv.start).toMatchObject({ date: '2026-01-01', sinceFirst: true, evidence: ['MX 10 mxbiz1.qq.com'] });
    expect(iv.last).toMatchObject({ date: '2026-02-01', evidence: ['MX 10 mxbiz1.qq.com'] });
    expect(iv.end?.date).toBe('2026-04-01');
    expect(iv.end?.after.join(' ')).toContain('alpha-tech-cn.mail.protection.outlook.com');
    expect(iv.gaps).toEqual(['2026-03-01']);
  });

  it('providers added: Microsoft for beta in February and for alpha in April, with what was there before', () => {
    expect(track('beta-soft.cn', 'email', 'microsoft').intervals.map((i) => [i.start.date, i.start.before, i.status])).toEqual([['2026-02-01', [], 'present']]);
    const alpha = track('alpha-tech.cn', 'email', 'microsoft');
    expect(alpha.cells).toEqual(['absent', 'absent', 'not-measured', 'seen']);
    expect(alpha.intervals[0]!.start.before).toEqual(['MX 10 mxbiz1.qq.com']);
    expect(history.events.map((e) => [e.date, e.domain, e.kind, e.provider.key])).toEqual([
      ['2026-02-01', 'beta-soft.cn', 'added', 'microsoft'],
      ['2026-04-01', 'alpha-tech.cn', 'ended', 'tencent'],
      ['2026-04-01', 'alpha-tech.cn', 'added', 'microsoft'],
    ]);
  });

  it('the failed month never ends what did not change: alpha keeps one hosting interval through March', () => {
    const host = track('alpha-tech.cn', 'hosting', 'alibaba');
    expect(host.cells).toEqual(['seen', 'seen', 'not-measured', 'seen']);
    expect(host.intervals.map((i) => [i.start.date, i.last.date, i.status, i.gaps])).toEqual([['2026-01-01', '2026-04-01', 'present', ['2026-03-01']]]);
  });

  it('a company renamed in the list keeps its history under the new name', () => {
    const gamma = company('gamma-ai.cn');
    expect(gamma.entity).toBe('Gamma AI Group');
    expect(gamma.names).toEqual([{ name: 'Gamma Vision Ltd', from: '2026-01-01' }, { name: 'Gamma AI Group', from: '2026-03-01' }]);
    for (const t of gamma.tracks) expect(t.intervals.map((i) => [i.start.date, i.status])).toEqual([['2026-01-01', 'present']]);
  });

  it('the pivot: companies served per provider per scan, and the share served by U.S. providers', () => {
    const microsoft = history.pivot.providers.find((p) => p.key === 'microsoft')!;
    expect(microsoft.counts).toEqual([0, 1, 1, 2]);
    expect(history.pivot.providers.find((p) => p.key === 'tencent')!.counts).toEqual([1, 1, 0, 0]);
    expect(history.pivot.us).toEqual([{ served: 0, measured: 4 }, { served: 1, measured: 4 }, { served: 1, measured: 3 }, { served: 2, measured: 4 }]);
  });

  it('table and markdown say what changed, when, and on what evidence', () => {
    const table = cli(['history', ...FILES]);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/2026-04-01 {2}alpha-tech\.cn {2}E-mail: − Tencent[^\n]*\(last seen 2026-02-01\) {2}\[MX 10 mxbiz1\.qq\.com\] \(now: MX 10 alpha-tech-cn\.mail\.protection\.outlook\.com\)/);
    expect(table.stdout).toContain('gamma-ai.cn — Gamma AI Group (formerly Gamma Vision Ltd until 2026-03-01)');
    expect(table.stdout).toMatch(/served by a U\.S\. provider\s+0 of 4 \(0%\)\s+1 of 4 \(25%\)\s+1 of 3 \(33%\)\s+2 of 4 \(50%\)/);
    const md = cli(['history', results, '--format', 'markdown']);
    expect(md.stdout).toMatch(/^\| 2026-02-01 \| beta-soft\.cn \| E-mail: \+ Microsoft[^|]*\| MX 0 beta-soft-cn\.mail\.protection\.outlook\.com \| before: nothing found \|$/m);
  });

  it('the files given in any order read as the directory does', () => {
    const shuffled = cli(['history', FILES[3]!, FILES[0]!, FILES[2]!, FILES[1]!, '--format', 'json']);
    expect(JSON.parse(shuffled.stdout)).toEqual(history);
    expect(cli(['history', results, '--last', '2', '--format', 'json']).stdout).toMatch(/"date": "2026-03-01"/);
  });

  it('csv: one row per interval', () => {
    const csv = cli(['history', results, '--format', 'csv']);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + history.companies.reduce((n, c) => n + c.tracks.reduce((k, t) => k + t.intervals.length, 0), 0));
    expect(lines.find((l) => l.startsWith('alpha-tech.cn,Alpha Tech,,email,Tencent'))).toMatch(/,2026-01-01,yes,MX 10 mxbiz1\.qq\.com,,2026-02-01,MX 10 mxbiz1\.qq\.com,ended,2026-04-01,MX 10 alpha-tech-cn\.mail\.protection\.outlook\.com,2026-03-01$/);
  });

  it('bad input exits 2 naming the file, and leaves an existing output alone', () => {
    const noMeta = path.join(dir, 'no-meta.json');
    writeFileSync(noMeta, JSON.stringify((JSON.parse(readFileSync(FILES[0]!, 'utf8')) as { results: unknown[] }).results));
    const out = path.join(dir, 'keep.md');
    writeFileSync(out, 'last month');
    const r = cli(['history', results, noMeta, '--format', 'markdown', '-o', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${noMeta}: no scan date`);
    expect(readFileSync(out, 'utf8')).toBe('last month');
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    expect(cli(['history', empty]).stderr).toMatch(/no \.json or \.ndjson Results files/);
  });
});

warnIfNoBrowser('the history page');

describe.skipIf(!haveBrowser)('history HTML in chromium', () => {
  const page = path.join(dir, 'history.html');
  const browser = browserOnPage(() => ['history', results, '--format', 'html', '-o', page]);

  it('shows a timeline per company, the U.S. share per scan, and filters by provider and by change; no network', async () => {
    const tab = await browser().newPage({ viewport: { width: 1400, height: 1000 } });
    const requests = networkRequests(tab);
    await tab.goto(`file://${page}`);
    const companies = tab.locator('article.company:visible');
    expect(await companies.count()).toBe(4);

    const alpha = tab.locator('article.company[data-domain="alpha-tech.cn"]');
    const tencentRow = alpha.locator('tr[data-category="email"][data-company="tencent"] td.tc');
    expect(await tencentRow.evaluateAll((tds) => tds.map((td) => td.className))).toEqual(['tc seen', 'tc seen', 'tc not-measured', 'tc absent']);
    expect(await alpha.locator('tr.status td.st').allTextContents()).toEqual(['ok', 'ok', 'failed', 'ok']);
    expect(await tab.locator('article.company[data-domain="gamma-ai.cn"] h3').textContent()).toContain('formerly Gamma Vision Ltd until 2026-03-01');

    const bars = tab.locator('svg.us-chart g.us-bar');
    expect(await bars.evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-served')}/${g.getAttribute('data-measured')}`))).toEqual(['0/4', '1/4', '1/3', '2/4']);
    const heights = await tab.locator('svg.us-chart rect').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
    expect(heights[0]).toBe(0);
    expect(heights[3]!).toBeGreaterThan(heights[1]!);

    // The evidence of both ends of the removed relationship, in its details.
    const details = alpha.locator('details.iv.ended');
    await details.locator('summary').click();
    expect(await details.textContent()).toMatch(/Last seen 2026-02-01: MX 10 mxbiz1\.qq\.com.*Ended 2026-04-01; then: MX 10 alpha-tech-cn\.mail\.protection\.outlook\.com/s);

    await tab.selectOption('#f-company', 'tencent');
    expect(await companies.count()).toBe(1);
    expect(await tab.locator('#f-count').textContent()).toBe('1 of 4 companies shown');
    await tab.selectOption('#f-company', '');
    await tab.check('#f-changed');
    expect(await companies.evaluateAll((as) => as.map((a) => a.getAttribute('data-domain')))).toEqual(['alpha-tech.cn', 'beta-soft.cn', 'gamma-ai.cn']);

    expect(await keepScreenshot(tab, 'history.png')).toBeGreaterThan(10_000);
    expect(requests).toEqual([]);
    await tab.close();
  }, 60_000);

  it('is readable without JavaScript: every company, every interval with its evidence', async () => {
    await withoutScript(browser(), page, async (tab) => {
      expect(await tab.locator('article.company').count()).toBe(4);
      expect(await tab.locator('details.iv').count()).toBe(history.companies.reduce((n, c) => n + c.tracks.reduce((k, t) => k + t.intervals.length, 0), 0));
      expect(await tab.locator('table.events tbody tr').count()).toBe(history.events.length);
    });
  });
});
