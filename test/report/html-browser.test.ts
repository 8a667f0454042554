// The HTML report in a real browser (Debian's chromium driven by playwright-core): the study's
// world scanned end to end, a provider bar clicked, the table filtered, a cell's evidence
// opened, a hostile title kept inert, and a screenshot kept in test-output/.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import { tempDir } from '../e2e/helpers.js';
import { browserOnPage, haveBrowser, keepScreenshot, networkRequests, warnIfNoBrowser, withoutScript } from '../helpers/browser.js';
import { sampleResults } from './sample.js';
import { renderHtml } from '../../src/report/html.js';
import { CATEGORIES } from '../../src/types.js';

warnIfNoBrowser('the HTML report');

describe.skipIf(!haveBrowser)('HTML report in chromium', () => {
  const report = path.join(tempDir(), 'study.html');
  const browser = browserOnPage(() => ['scan', fromRoot('fixtures/domains/entity-list-2019.csv'), '--world', fromRoot('fixtures/worlds/study-2020.json'), '--format', 'html', '--quiet', '-o', report]);

  it('filters by a provider bar, shows evidence, makes no network request', async () => {
    const page = await browser().newPage({ viewport: { width: 1400, height: 1000 } });
    const requests = networkRequests(page);
    await page.goto(`file://${report}`);
    const rows = page.locator('#providers tbody tr:visible');
    const all = await rows.count();
    expect(all).toBe(18);

    const amazon = page.locator('button.bar[data-company="amazon"]');
    await expect.poll(() => amazon.count()).toBe(1);
    const served = Number(await amazon.locator('.n').textContent());
    expect(served).toBeGreaterThanOrEqual(5);
    await amazon.click();
    expect(await amazon.getAttribute('aria-pressed')).toBe('true');
    expect(await rows.count()).toBe(served);

    // Every row left shows Amazon somewhere; clicking again clears the filter.
    const texts = await rows.allTextContents();
    for (const t of texts) expect(t).toMatch(/Amazon/);
    await amazon.click();
    expect(await rows.count()).toBe(all);

    // A cell's evidence: the record behind it, shown in the panel.
    const cell = page.locator('#providers tbody b').filter({ hasText: 'Microsoft' }).first();
    await cell.click();
    const panel = page.locator('#ev-panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await panel.textContent()).toMatch(/MX|mail\.protection\.outlook\.com/);

    expect(await keepScreenshot(page, 'report-study.png')).toBeGreaterThan(10_000);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);

  it('is readable without JavaScript', async () => {
    await withoutScript(browser(), report, async (page) => {
      expect(await page.locator('#providers tbody tr').count()).toBe(18);
      expect(await page.locator('#providers tbody').textContent()).toMatch(/Amazon/);
    });
  });

  it('filters a root owner like a provider: a DigiCert-rooted TrustAsia certificate counts for DigiCert and for US', async () => {
    const file = path.join(tempDir(), 'roots.html');
    writeFileSync(file, renderHtml(sampleResults()));
    const page = await browser().newPage();
    await page.goto(`file://${file}`);
    const rows = page.locator('#providers tbody tr:visible');
    expect(await page.locator('#providers tbody b', { hasText: 'TrustAsia' }).textContent()).toMatch(/TrustAsia CN→ DigiCert US root/);
    await page.locator('#f-company').selectOption('digicert');
    const domains = async (): Promise<string[]> => (await rows.locator('th').allTextContents()).map((t: string) => t.replace(/[A-Z].*$/, ''));
    expect(await domains()).toEqual(['hikvision.com', 'sensetime.com']);
    await page.locator('#f-company').selectOption('');
    await page.locator('#f-cat').selectOption({ label: 'Certificate' });
    await page.locator('#f-country').selectOption('US');
    expect(await domains()).toEqual(['hikvision.com', 'sensetime.com']);
    await page.locator('#f-country').selectOption('CN');
    expect(await domains()).toEqual(['sensetime.com']);
    await page.close();
  });

  it('keeps hostile strings from the network inert', async () => {
    const results = sampleResults();
    const evil = results[2]!;
    evil.services.cms.push({ vendor: null, vendorName: '<img src=x onerror="window.__pwned=1">', company: null, companyName: null, country: null, confidence: 0.5, evidence: ['generator </script><script>window.__pwned=2</script>'] });
    evil.input.entity = '<svg onload="window.__pwned=3">';
    const file = path.join(tempDir(), 'hostile.html');
    writeFileSync(file, renderHtml(results));
    const page = await browser().newPage();
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(`file://${file}`);
    for (const b of await page.locator('#providers tbody b').all()) {
      await b.click();
      // The evidence panel opens over the cells below; a reader closes it before the next one.
      await page.keyboard.press('Escape');
    }
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#providers img, #providers svg').count()).toBe(0);
    expect(dialogs).toBe(0);
    expect(await page.locator('#providers').textContent()).toContain('<img src=x');
    await page.close();
  });
});

// Safe to publish (issue 20): a page from a simulated world says so at its top; the table fits a
// 1400 and a 1000 px window (screenshots kept in test-output/); the country badge stands apart
// from the name; the colour legend sits by the table; assets and self-hosted software are not
// coloured as relationships; the type falls back to CJK-capable system fonts.
describe.skipIf(!haveBrowser)('HTML report, safe to publish', () => {
  const report = path.join(tempDir(), 'publish.html');
  const browser = browserOnPage(() => ['scan', '--world', fromRoot('fixtures/worlds/study-2020.json'), '--format', 'html', '--quiet', '-o', report]);

  for (const width of [1400, 1000]) {
    it(`fits a ${width} px window, banner first, legend by the table`, async () => {
      const page = await browser().newPage({ viewport: { width, height: 900 } });
      await page.goto(`file://${report}`);
      const banner = page.locator('header .banner');
      expect(await banner.textContent()).toMatch(/^Simulated world: not measured data\./);
      expect((await banner.boundingBox())!.y).toBeLessThan(60);
      // Nothing is cut: the table, its last column included, is inside the window.
      // Page scripts as strings: the tests are type-checked without the DOM library.
      const fit = (await page.evaluate(`(() => {
        const wrap = document.querySelector('.wrap');
        const last = document.querySelector('#providers thead th:last-child').getBoundingClientRect();
        return { scroll: wrap.scrollWidth, client: wrap.clientWidth, lastRight: last.right, doc: document.documentElement.scrollWidth };
      })()`)) as { scroll: number; client: number; lastRight: number; doc: number };
      expect(fit.scroll).toBeLessThanOrEqual(fit.client);
      expect(fit.lastRight).toBeLessThanOrEqual(width);
      expect(fit.doc).toBeLessThanOrEqual(width);
      const legend = (await page.locator('#legend').boundingBox())!;
      const table = (await page.locator('#providers').boundingBox())!;
      expect(table.y - (legend.y + legend.height)).toBeGreaterThanOrEqual(0);
      expect(table.y - (legend.y + legend.height)).toBeLessThan(80);
      expect(await keepScreenshot(page, `report-${width}.png`)).toBeGreaterThan(10_000);
      await page.close();
    }, 60_000);
  }

  it('shows country badges apart from names, assets and self-hosted software uncoloured, a CJK font stack', async () => {
    const page = await browser().newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${report}`);
    const style = (await page.evaluate(`(() => {
      const s = getComputedStyle(document.querySelector('#providers td b.us i'));
      return { margin: parseFloat(s.marginLeft), border: parseFloat(s.borderLeftWidth), display: s.display, font: getComputedStyle(document.body).fontFamily };
    })()`)) as { margin: number; border: number; display: string; font: string };
    expect(style.margin).toBeGreaterThanOrEqual(3);
    expect(style.border).toBeGreaterThanOrEqual(1);
    expect(style.display).toBe('inline-block');
    expect(style.font).toMatch(/Noto Sans CJK SC.*Microsoft YaHei/);
    // The Assets column (Domain, Status, then the categories in order) carries no relationship colour.
    const assetsColumn = 2 + CATEGORIES.indexOf('assets') + 1;
    const colours = (await page.evaluate(`(() => {
      const red = getComputedStyle(document.querySelector('#providers td b.us')).backgroundColor;
      const assets = [...document.querySelectorAll('#providers tbody td:nth-child(${assetsColumn}) b')].map((b) => ({ cls: b.className, bg: getComputedStyle(b).backgroundColor }));
      const software = [...document.querySelectorAll('#providers td b.sw')].map((b) => b.textContent);
      return { red, assets, software };
    })()`)) as { red: string; assets: { cls: string; bg: string }[]; software: string[] };
    expect(colours.assets.length).toBeGreaterThan(0);
    for (const a of colours.assets) expect([a.cls, a.bg === colours.red]).toEqual(['as', false]);
    expect(colours.software.length).toBeGreaterThan(0);
    for (const t of colours.software) expect(t).toMatch(/self-hosted$/);
    // Self-hosted WordPress is not a provider: no bar in the chart.
    expect(await page.locator('button.bar[data-company="wordpress"]').count()).toBe(0);
    await page.close();
  });
});
