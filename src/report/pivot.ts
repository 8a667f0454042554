// The study's headline view: for each provider company, the companies it serves and how.
import { CATEGORIES, isRelationship, type Attribution, type Category, type Result } from '../types.js';
import { otherRoot } from './cells.js';

export interface ProviderRow {
  company: string;
  companyName: string;
  country: string | null;
  /** Domains served through at least one relationship category, in input order. */
  domains: string[];
  /** Category → domains, for relationship categories with at least one domain. */
  byCategory: Partial<Record<Category, string[]>>;
  /** Domains that merely load this provider's resources. */
  assetsOnly: string[];
}

export function pivotByProvider(results: Result[]): ProviderRow[] {
  const rows = new Map<string, ProviderRow>();
  for (const r of results) {
    for (const category of CATEGORIES) {
      // A certificate chaining to another company's root is served by that company too. Self-hosted
      // software (a CMS the company runs) has a maker, not a provider: left out.
      const owners = r.services[category]
        .filter((a) => category === 'assets' || isRelationship(category, a))
        .flatMap((a): Pick<Attribution, 'company' | 'companyName' | 'country'>[] => {
          const root = otherRoot(a);
          return root ? [a, { company: root.company, companyName: root.companyName, country: root.country }] : [a];
        });
      for (const a of owners) {
        if (!a.company) continue;
        let row = rows.get(a.company);
        if (!row) {
          row = { company: a.company, companyName: a.companyName ?? a.company, country: a.country, domains: [], byCategory: {}, assetsOnly: [] };
          rows.set(a.company, row);
        }
        if (category === 'assets') {
          if (!row.assetsOnly.includes(r.domain)) row.assetsOnly.push(r.domain);
          continue;
        }
        if (!row.domains.includes(r.domain)) row.domains.push(r.domain);
        const list = (row.byCategory[category] ??= []);
        if (!list.includes(r.domain)) list.push(r.domain);
      }
    }
  }
  for (const row of rows.values()) {
    row.assetsOnly = row.assetsOnly.filter((d) => !row.domains.includes(d));
    // One category order everywhere (CATEGORIES), whichever domain came first.
    const byCategory: ProviderRow['byCategory'] = {};
    for (const c of CATEGORIES) if (row.byCategory[c]) byCategory[c] = row.byCategory[c];
    row.byCategory = byCategory;
  }
  return [...rows.values()]
    .filter((r) => r.domains.length > 0 || r.assetsOnly.length > 0)
    .sort(
      (a, b) =>
        b.domains.length - a.domains.length ||
        b.assetsOnly.length - a.assetsOnly.length ||
        a.companyName.localeCompare(b.companyName, 'en') ||
        a.company.localeCompare(b.company, 'en'),
    );
}
