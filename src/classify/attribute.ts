// Merging findings into Attributions: one per (category, vendor) — or, for a signal that matched
// no vendor, per (category, what is known) — evidence merged and sorted, confidence the maximum.
import { CATEGORIES, emptyServices, type Attribution, type Category, type RootOwner, type Services } from '../types.js';
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
}

export class Attributions {
  private readonly byKey = new Map<string, Attribution>();

  add(f: Finding): void {
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
    a.confidence = Math.max(a.confidence, round(f.confidence));
    a.evidence.push(...f.evidence);
    if (f.selfHosted) a.selfHosted = true;
  }

  has(category: Category, vendorId: string): boolean {
    return this.byKey.has(`${category}\u0000v:${vendorId}`);
  }

  /** Attributions by category, weak ones dropped, everything sorted. */
  services(): Services {
    const out = emptyServices();
    for (const [key, a] of this.byKey) {
      if (a.confidence < MIN_CONFIDENCE) continue;
      const category = key.slice(0, key.indexOf('\u0000')) as Category;
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
