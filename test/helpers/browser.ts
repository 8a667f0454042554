// Debian's chromium driven by playwright-core, for the tests of the HTML pages. CI installs
// chromium (see .ci/run); a machine without it skips those tests loudly, never silently.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { cli } from '../e2e/helpers.js';
import { fromRoot } from '../../src/paths.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveBrowser = existsSync(CHROMIUM);

export function warnIfNoBrowser(what: string): void {
  if (!haveBrowser) console.warn(`\n*** SKIPPING the browser test of ${what}: ${CHROMIUM} not found (apt-get install chromium) ***\n`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Every request a page makes that is not to a local file: a self-contained page makes none. */
export function networkRequests(page: Page): string[] {
  const requests: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) requests.push(req.url());
  });
  return requests;
}

/**
 * For one describe block: before its tests, write the page with the CLI (`args` name the output
 * file) and launch the browser; after them, close it. Returns the browser once launched.
 */
export function browserOnPage(args: () => string[]): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    const a = args();
    const r = cli(a);
    if (r.status !== 0) throw new Error(`whoserves ${a[0]} failed (${r.status}): ${r.stderr}`);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

/** A full-page screenshot kept in test-output/ for a human to look at; returns its size. */
export async function keepScreenshot(page: Page, name: string): Promise<number> {
  const out = fromRoot('test-output');
  mkdirSync(out, { recursive: true });
  await page.screenshot({ path: path.join(out, name), fullPage: true });
  return statSync(path.join(out, name)).size;
}

/** Opens the file as a reader without JavaScript sees it, and hands the page to `look`. */
export async function withoutScript(browser: Browser, file: string, look: (page: Page) => Promise<void>): Promise<void> {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await page.goto(`file://${file}`);
    await look(page);
  } finally {
    await ctx.close();
  }
}
