// Merging findings into Attributions: one per (category, vendor) — or, for a signal that matched
// no vendor, per (category, what is known) — evidence merged and sorted, confidence the maximum.
import { CATEGORIES, SOFTWARE_CATEGORIES, emptyServices, type Attribution, type Category, type RootOwner, type Services } from '../types.js';
import type { VendorEntry } from '../vendors/types.js';

/** Findings only this strong on their own are reported; weaker rules can only support others. */
export const MIN_CONFIDENCE = 0.5;

/** A brand known outside the vendor database (a CA named by the CCADB index). */
export interface OtherBrand {
  id: string;
  name: string;
  company: string;
  companyName: string;
  country: string | null;
}

export interface Finding {
  category: Category;
  /** The matched vendor, or null with `brand` or `name` saying what is known. */
  vendor: VendorEntry | null;
  brand?: OtherBrand;
  name?: string;
  /** certificate: the owner of the root the issuing CA chains to. Findings with different roots stay apart. */
  root?: RootOwner;
  confidence: number;
  evidence: string[];
  selfHosted?: boolean;
  /** A rule's `fallback`: dropped when another vendor of its category is `named`. */
  fallback?: boolean;
  /** Found in the company's own host names or responses (a CNAME, header or cookie rule), not inferred from its network. */
  named?: boolean;
}

export class Attributions {
  private readonly byKey = new Map<string, Attribution>();
  /** Keys with at least one finding that does not yield (see Finding.fallback). */
  private readonly solid = new Set<string>();
  /** Keys with a finding that is `named` and does not yield: these make fallbacks of their category yield. */
  private readonly naming = new Set<string>();
  /** Per key, the vendor ids its vendor supersedes (VendorEntry.supersedes). */
  private readonly supersedes = new Map<string, readonly string[]>();

  add(f: Finding): void {
    // A hosted platform serves every site built with it: its CMS evidence proves the host too.
    if (f.category === 'cms' && f.vendor?.hostedPlatform === true) {
      this.add({ ...f, category: 'hosting', evidence: [...f.evidence, `${f.vendor.name} hosts the sites built with it`] });
    }
    const v = f.vendor;
    const b = v ? undefined : f.brand;
    const id = v ? `v:${v.id}` : b ? `v:${b.id}` : `n:${f.name ?? ''}`;
    const key = `${f.category}\u0000${id}${f.root ? `\u0000r:${f.root.company}` : ''}`;
    let a = this.byKey.get(key);
    if (!a) {
      a = v
        ? { vendor: v.id, vendorName: v.name, company: v.company.id, companyName: v.company.name, country: v.company.country, confidence: 0, evidence: [] }
        : b
          ? { vendor: b.id, vendorName: b.name, company: b.company, companyName: b.companyName, country: b.country, confidence: 0, evidence: [] }
          : { vendor: null, vendorName: f.name ?? null, company: null, companyName: null, country: null, confidence: 0, evidence: [] };
      if (f.root) a.root = { ...f.root };
      this.byKey.set(key, a);
    }
    if (f.vendor?.supersedes) this.supersedes.set(key, f.vendor.supersedes);
    a.confidence = Math.max(a.confidence, round(f.confidence));
    a.evidence.push(...f.evidence);
    // Free software (a CMS, a self-hosted Matomo) runs on the company's own host: its maker serves nothing.
    if (f.selfHosted || (f.vendor?.software && SOFTWARE_CATEGORIES.includes(f.category))) a.selfHosted = true;
    if (!f.fallback) this.solid.add(key);
    if (!f.fallback && f.named) this.naming.add(key);
  }

  has(category: Category, vendorId: string): boolean {
    return this.byKey.has(`${category}\u0000v:${vendorId}`);
  }

  /** Attributions by category, weak ones dropped, everything sorted. */
  services(): Services {
    const out = emptyServices();
    // Categories where a vendor is named by a finding that does not yield: fallbacks there are dropped.
    const named = new Set<string>();
    for (const [key, a] of this.byKey) {
      if (a.vendor !== null && a.confidence >= MIN_CONFIDENCE && this.naming.has(key)) named.add(key.slice(0, key.indexOf('\u0000')));
    }
    // A more specific vendor found in a category replaces the generic one (WordPress.com over WordPress).
    const replaced = new Set<string>();
    for (const [key, ids] of this.supersedes) {
      if ((this.byKey.get(key)?.confidence ?? 0) < MIN_CONFIDENCE) continue;
      const category = key.slice(0, key.indexOf('\u0000'));
      for (const id of ids) replaced.add(`${category}\u0000v:${id}`);
    }
    for (const [key, a] of this.byKey) {
      if (a.confidence < MIN_CONFIDENCE || replaced.has(key)) continue;
      const category = key.slice(0, key.indexOf('\u0000')) as Category;
      if (!this.solid.has(key) && named.has(category)) continue;
      out[category].push({ ...a, evidence: [...new Set(a.evidence)].sort() });
    }
    for (const c of CATEGORIES) out[c].sort(compareAttributions);
    return out;
  }
}

function round(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 1000) / 1000;
}

/** Strongest first; then matched vendors by id; then unmatched by what is known. */
function compareAttributions(a: Attribution, b: Attribution): number {
  if (a.confidence !== b.confidence) return b.confidence - a.confidence;
  if ((a.vendor === null) !== (b.vendor === null)) return a.vendor === null ? 1 : -1;
  const ka = `${a.vendor ?? ''}\u0000${a.vendorName ?? ''}\u0000${a.root?.company ?? ''}`;
  const kb = `${b.vendor ?? ''}\u0000${b.vendorName ?? ''}\u0000${b.root?.company ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
