// `whoserves vendors`: list, show and lint the vendor database.
import { collectVendorDb, loadVendorDb, type VendorDb } from '../vendors/load.js';
import { checkExamples } from '../vendors/examples.js';
import type { Company, VendorEntry, VendorFile } from '../vendors/types.js';
import { sanitizeLine } from '../report/sanitize.js';
import { alignedTable } from '../report/grid.js';
import { toJson } from '../report/json.js';
import { ExitCode, UsageError } from '../errors.js';
import { resolveOutput, terminalOf } from './output-defaults.js';

export interface VendorsOptions {
  category?: string;
  country?: string;
  search?: string;
  format?: 'table' | 'json';
  vendors?: string[];
}

/** The listing, fitted to `width` (cells wrap at spaces; never inside an id or a name's word). */
export function vendorTable(vendors: VendorEntry[], width = Infinity): string {
  const rows = [['ID', 'NAME', 'COMPANY', 'CC', 'CATEGORIES'], ...vendors.map((v) => [v.id, v.name, v.company.name, v.company.country, v.categories.join(', ')])];
  return alignedTable(rows.map((r) => r.map(sanitizeLine)), width);
}

export function filterVendors(vendors: VendorEntry[], o: VendorsOptions): VendorEntry[] {
  const text = o.search?.toLowerCase();
  return vendors.filter(
    (v) =>
      (!o.category || v.categories.includes(o.category as VendorEntry['categories'][number])) &&
      (!o.country || v.company.country === o.country.toUpperCase()) &&
      (!text || [v.id, v.name, v.company.id, v.company.name].some((s) => s.toLowerCase().includes(text))),
  );
}

export function runVendorsList(o: VendorsOptions): void {
  const { format, width } = resolveOutput<'table' | 'json'>(o, terminalOf(undefined), { terminal: 'table', piped: 'table' });
  const db = loadVendorDb({ overlays: o.vendors ?? [] });
  const list = filterVendors(db.vendors, o);
  process.stdout.write(format === 'json' ? `${JSON.stringify(list, null, 2)}\n` : vendorTable(list, width));
}

/** A vendor by id in any case, or by its exact name in any case. */
export function findVendor(db: VendorDb, id: string): VendorEntry | undefined {
  const key = id.trim().toLowerCase();
  return db.byId.get(key) ?? db.vendors.find((v) => v.name.toLowerCase() === key);
}

/**
 * An overlay holding these vendors (their company by id) and their companies with their parents:
 * edit it and pass it to --vendors (same id replaces the shipped entry) or to `vendors lint`.
 */
export function overlayFor(db: VendorDb, vendors: VendorEntry[], company?: Company): VendorFile {
  const companies: Company[] = [];
  for (const start of [...(company ? [company] : []), ...vendors.map((v) => v.company)]) {
    for (let c: Company | undefined = start; c && !companies.some((x) => x.id === c!.id); c = c.parent ? db.companies.get(c.parent) : undefined) companies.push(c);
  }
  return { companies, vendors: vendors.map((v) => ({ ...v, company: v.company.id })) };
}

const NETWORK_KINDS = new Set(['asn', 'asorg']);

export async function runVendorsShow(id: string, o: { vendors?: string[]; overlay?: boolean }): Promise<void> {
  const db = loadVendorDb({ overlays: o.vendors ?? [] });
  const v = findVendor(db, id);
  const company = v ? undefined : db.companies.get(id.trim().toLowerCase());
  if (!v && !company) throw new UsageError(`no vendor or company '${id}' (try: whoserves vendors --search ${id})`);
  const vendors = v ? [v] : db.vendors.filter((x) => x.company.id === company!.id);
  if (o.overlay) {
    process.stdout.write(toJson(overlayFor(db, vendors, company)));
    return;
  }
  const networked = vendors.filter((x) => x.rules.some((r) => NETWORK_KINDS.has(r.kind))).map((x) => x.id);
  // Only a vendor with network rules pays for reading the IP → ASN database.
  const { networksOf } = await import('./vendors-asns.js');
  const networks = networked.length > 0 ? networksOf(db, networked) : undefined;
  const out = v ? { ...v, ...(networks ? { networks } : {}) } : { company, vendors: vendors.map((x) => x.id), ...(networks ? { networks } : {}) };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

/** Schema, semantics and every rule example; exit 1 when anything is wrong. */
export function runVendorsLint(files: string[], o: { vendors?: string[] }): void {
  const overlays = [...files, ...(o.vendors ?? [])];
  const { db, problems } = collectVendorDb({ overlays });
  const all = [...problems, ...(db ? checkExamples(db) : [])];
  for (const p of all) process.stderr.write(`${sanitizeLine(p)}\n`);
  const rules = db ? db.vendors.reduce((n, v) => n + v.rules.length, 0) : 0;
  const examples = db ? db.vendors.reduce((n, v) => n + v.rules.reduce((k, r) => k + r.examples.match.length + r.examples.nomatch.length, 0), 0) : 0;
  process.stdout.write(db ? `${db.vendors.length} vendors, ${rules} rules, ${examples} examples, version ${db.version}: ${all.length} problem(s)\n` : `${all.length} problem(s)\n`);
  if (all.length > 0) throw new ExitCode(1);
}
