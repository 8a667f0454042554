// How one attribution and one cell read, shared by every text format.
import type { Attribution, Result } from '../types.js';
import { CATEGORIES } from '../types.js';
import { sanitizeLine, truncate } from './sanitize.js';

export const CATEGORY_TITLES: Record<(typeof CATEGORIES)[number], string> = {
  hosting: 'Hosting',
  cdn: 'CDN',
  email: 'E-mail',
  certificate: 'Certificate',
  dns: 'DNS',
  cms: 'CMS',
  analytics: 'Analytics',
  assets: 'Assets (loaded)',
  saas: 'SaaS',
};

/** "Amazon CloudFront (US)"; an unmatched signal shows what is known. Safe for one line. */
export function providerLabel(a: Attribution, max = 60, short = false): string {
  let name = a.vendorName ?? a.companyName ?? a.vendor ?? a.company ?? 'unknown';
  // On a terminal, "Tencent Exmail (WeCom Mail)" reads as "Tencent Exmail": the brand is enough there.
  if (short) name = name.replace(/\s*\([^()]{1,60}\)$/, '') || name;
  const self = a.selfHosted ? ', self-hosted' : '';
  const cc = a.country ? ` (${a.country}${self})` : self ? ` (${self.slice(2)})` : '';
  // The country is data too (an AS registry's answer can carry anything): sanitised with the name.
  return sanitizeLine(truncate(name, max)) + sanitizeLine(cc);
}

export function isUS(a: Attribution): boolean {
  return a.country === 'US';
}

/** Distinct U.S. provider companies across a result's relationship categories. */
export function usProviders(r: Result): string[] {
  const names = new Set<string>();
  for (const c of CATEGORIES) {
    if (c === 'assets') continue;
    for (const a of r.services[c]) if (isUS(a)) names.add(a.companyName ?? a.company ?? a.vendorName ?? '?');
  }
  return [...names].sort((x, y) => x.localeCompare(y, 'en'));
}

export function displayDomain(r: Result): string {
  return sanitizeLine(r.unicode && r.unicode !== r.domain ? `${r.domain} (${r.unicode})` : r.domain);
}
