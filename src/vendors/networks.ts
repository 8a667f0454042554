// Which company each AS of an IP → ASN table belongs to, by the same rules the classifier uses
// (the AS number's rules first, then the organisation-name rules), and what is left: the largest
// organisations no rule names. `whoserves vendors asns` and `vendors show` print this; tests
// measure coverage with it.
import { normalizeOrgName } from './asorg.js';
import type { VendorDb } from './load.js';
import type { Matchers } from './match.js';
import type { Company, VendorEntry } from './types.js';

/** One AS of the table: what the database says of it. */
export interface AsnRow {
  asn: number;
  name: string;
  ipv4: number;
}

export interface AttributedAsn extends AsnRow {
  /** The vendors whose rules name it (several only when they are one company's, or a data conflict). */
  vendors: VendorEntry[];
  /** What matched: the AS number, or the organisation name. */
  by: 'asn' | 'asorg' | null;
}

export interface CompanyNetworks {
  company: Company;
  vendors: string[];
  asns: AttributedAsn[];
  ipv4: number;
}

export interface Organisation {
  /** The name with legal forms stripped (asorg.ts): one organisation across its spellings. */
  name: string;
  asns: AsnRow[];
  ipv4: number;
}

export interface NetworkReport {
  asns: AttributedAsn[];
  companies: CompanyNetworks[];
  /** Unattributed organisations, most IPv4 space first. */
  unmatched: Organisation[];
  /** ASes whose rules name more than one company: a data error. */
  conflicts: AttributedAsn[];
  totalIpv4: number;
  attributedIpv4: number;
}

export function attributeAsn(m: Matchers, row: AsnRow, key = normalizeOrgName(row.name)): AttributedAsn {
  const byNumber = m.asn(row.asn);
  const hits = byNumber.length > 0 ? byNumber : m.asorgNormalized(key);
  const vendors = [...new Map(hits.map((h) => [h.vendor.id, h.vendor])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return { ...row, vendors, by: hits.length === 0 ? null : byNumber.length > 0 ? 'asn' : 'asorg' };
}

const byIpv4 = <T extends { ipv4: number }>(a: T, b: T, tie: (a: T, b: T) => number): number => b.ipv4 - a.ipv4 || tie(a, b);

/** Normalised names, computed once per name: the database has 90k ASes and fewer names. */
const keys = new Map<string, string>();
function orgKey(name: string): string {
  let k = keys.get(name);
  if (k === undefined) {
    if (keys.size > 200_000) keys.clear();
    k = normalizeOrgName(name);
    keys.set(name, k);
  }
  return k;
}

/** Organisations grouped by normalised name, case-insensitively. */
export function organisations(rows: AsnRow[]): Organisation[] {
  const groups = new Map<string, Organisation>();
  for (const r of rows) {
    const name = orgKey(r.name) || r.name;
    const key = name.toLowerCase();
    let g = groups.get(key);
    if (!g) {
      g = { name, asns: [], ipv4: 0 };
      groups.set(key, g);
    }
    g.asns.push(r);
    g.ipv4 += r.ipv4;
  }
  const out = [...groups.values()];
  for (const g of out) g.asns.sort((a, b) => byIpv4(a, b, (x, y) => x.asn - y.asn));
  return out.sort((a, b) => byIpv4(a, b, (x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)));
}

export function networkReport(db: VendorDb, rows: AsnRow[]): NetworkReport {
  const asns = rows.map((r) => attributeAsn(db.matchers, r, orgKey(r.name)));
  const byCompany = new Map<string, CompanyNetworks>();
  const conflicts: AttributedAsn[] = [];
  let totalIpv4 = 0;
  let attributedIpv4 = 0;
  for (const a of asns) {
    totalIpv4 += a.ipv4;
    if (a.vendors.length === 0) continue;
    attributedIpv4 += a.ipv4;
    const companies = new Set(a.vendors.map((v) => v.company.id));
    if (companies.size > 1) conflicts.push(a);
    const company = a.vendors[0]!.company;
    let c = byCompany.get(company.id);
    if (!c) {
      c = { company, vendors: [], asns: [], ipv4: 0 };
      byCompany.set(company.id, c);
    }
    c.asns.push(a);
    c.ipv4 += a.ipv4;
    for (const v of a.vendors) if (v.company.id === company.id && !c.vendors.includes(v.id)) c.vendors.push(v.id);
  }
  const companies = [...byCompany.values()];
  for (const c of companies) {
    c.vendors.sort();
    c.asns.sort((a, b) => byIpv4(a, b, (x, y) => x.asn - y.asn));
  }
  companies.sort((a, b) => byIpv4(a, b, (x, y) => (x.company.id < y.company.id ? -1 : 1)));
  return { asns, companies, unmatched: organisations(asns.filter((a) => a.vendors.length === 0)), conflicts, totalIpv4, attributedIpv4 };
}
