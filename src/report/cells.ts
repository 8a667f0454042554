// How one attribution and one cell read, shared by every text format.
import type { Attribution, Category, Result, RootOwner } from '../types.js';
import { CATEGORIES, isRelationship, isSoftware } from '../types.js';
import { brandName } from '../vendors/ccadb/names.js';
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

/**
 * "Amazon CloudFront (US)"; an unmatched signal shows what is known; a certificate whose root is
 * another company's adds it: "TrustAsia (CN) → DigiCert (US) root"; self-hosted software shows no
 * country ("WordPress (self-hosted)"). Safe for one line.
 */
export function providerLabel(a: Attribution, category: Category, max = 60, short = false, withRoot = true): string {
  let name = a.vendorName ?? a.companyName ?? a.vendor ?? a.company ?? 'unknown';
  // On a terminal, "Tencent Exmail (WeCom Mail)" reads as "Tencent Exmail": the brand is enough there.
  if (short) name = name.replace(/\s*\([^()]{1,60}\)$/, '') || name;
  // Self-hosted software shows no country: its maker provides nothing, so "(US)" would mislead.
  const software = isSoftware(category, a);
  const self = a.selfHosted ? ', self-hosted' : '';
  const cc = software ? (/\(self-hosted\)$/.test(name) ? '' : ' (self-hosted)') : a.country ? ` (${a.country}${self})` : self ? ` (${self.slice(2)})` : '';
  const root = withRoot ? rootLabel(a, max) : null;
  // The country is data too (an AS registry's answer can carry anything): sanitised with the name.
  return sanitizeLine(truncate(name, max)) + sanitizeLine(cc) + (root ? ` ${root}` : '');
}

/** Self-hosted software: a CMS or analytics the company runs itself (types.ts). */
export { isSoftware };

/**
 * The owner of a certificate's root when it is not the brand's company, or null. Results are
 * read back from files, so the field is checked before use.
 */
export function otherRoot(a: Attribution): RootOwner | null {
  const r = a.root as RootOwner | undefined;
  if (!r || typeof r !== 'object' || typeof r.company !== 'string' || r.company === a.company) return null;
  return r;
}

/** "→ DigiCert (US) root", or null when the root is the brand company's own (or unknown). */
export function rootLabel(a: Attribution, max = 40): string | null {
  const r = otherRoot(a);
  if (!r) return null;
  const name = brandName(typeof r.companyName === 'string' ? r.companyName : r.company);
  return sanitizeLine(`→ ${truncate(name, max)} (${typeof r.country === 'string' ? r.country : '??'}) root`);
}

/**
 * A U.S. provider, to highlight: its company is, or the root its certificate chains to is owned by
 * one; never an asset (merely loaded) nor self-hosted software.
 */
export function isUS(category: Category, a: Attribution): boolean {
  return isRelationship(category, a) && (a.country === 'US' || otherRoot(a)?.country === 'US');
}

/** Distinct U.S. provider companies across a result's relationships (types.ts isRelationship), root owners included. */
export function usProviders(r: Result): string[] {
  const names = new Set<string>();
  for (const c of CATEGORIES) {
    for (const a of r.services[c]) {
      if (!isRelationship(c, a)) continue;
      if (a.country === 'US') names.add(a.companyName ?? a.company ?? a.vendorName ?? '?');
      const root = otherRoot(a);
      if (root?.country === 'US') names.add(root.companyName ?? root.company);
    }
  }
  return [...names].sort((x, y) => x.localeCompare(y, 'en'));
}

/** The domain as a reader knows it: an IDN in Unicode (JSON keeps the punycode in `domain`). */
export function displayDomain(r: Pick<Result, 'domain' | 'unicode'>): string {
  return sanitizeLine(r.unicode && r.unicode !== r.domain ? r.unicode : r.domain);
}
