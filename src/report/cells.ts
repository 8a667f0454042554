// How one attribution and one cell read, shared by every text format.
import type { Attribution, Category, Result } from '../types.js';
import { CATEGORIES, isRelationship } from '../types.js';
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
export function providerLabel(a: Attribution, category: Category, max = 60, short = false): string {
  let name = a.vendorName ?? a.companyName ?? a.vendor ?? a.company ?? 'unknown';
  // On a terminal, "Tencent Exmail (WeCom Mail)" reads as "Tencent Exmail": the brand is enough there.
  if (short) name = name.replace(/\s*\([^()]{1,60}\)$/, '') || name;
  // Self-hosted software shows no country: its maker provides nothing, so "(US)" would mislead.
  const software = isSoftware(category, a);
  const self = a.selfHosted ? ', self-hosted' : '';
  const cc = software ? (/\(self-hosted\)$/.test(name) ? '' : ' (self-hosted)') : a.country ? ` (${a.country}${self})` : self ? ` (${self.slice(2)})` : '';
  // The country is data too (an AS registry's answer can carry anything): sanitised with the name.
  return sanitizeLine(truncate(name, max)) + sanitizeLine(cc);
}

/** Self-hosted software: a CMS the company runs itself (types.ts isRelationship). */
export function isSoftware(category: Category, a: Attribution): boolean {
  return category === 'cms' && a.selfHosted === true;
}

/** A U.S. provider, to highlight: not an asset (merely loaded), nor self-hosted software. */
export function isUS(category: Category, a: Attribution): boolean {
  return a.country === 'US' && isRelationship(category, a);
}

/** Distinct U.S. provider companies across a result's relationships (types.ts isRelationship). */
export function usProviders(r: Result): string[] {
  const names = new Set<string>();
  for (const c of CATEGORIES) {
    for (const a of r.services[c]) if (isRelationship(c, a) && a.country === 'US') names.add(a.companyName ?? a.company ?? a.vendorName ?? '?');
  }
  return [...names].sort((x, y) => x.localeCompare(y, 'en'));
}

/** The domain as a reader knows it: an IDN in Unicode (JSON keeps the punycode in `domain`). */
export function displayDomain(r: Pick<Result, 'domain' | 'unicode'>): string {
  return sanitizeLine(r.unicode && r.unicode !== r.domain ? r.unicode : r.domain);
}
