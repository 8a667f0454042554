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
    for (const b of await page.locator('#providers tbody b').all()) await b.click();
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#providers img, #providers svg').count()).toBe(0);
    expect(dialogs).toBe(0);
    expect(await page.locator('#providers').textContent()).toContain('<img src=x');
    await page.close();
  });
});
