// Debian's chromium driven by playwright-core, for the tests of the HTML pages. CI installs
// chromium (see .ci/run); a machine without it skips those tests loudly, never silently.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

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
