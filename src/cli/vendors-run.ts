// `whoserves vendors`: list, show and lint the vendor database.
import { collectVendorDb, loadVendorDb } from '../vendors/load.js';
import { checkExamples } from '../vendors/examples.js';
import type { VendorEntry } from '../vendors/types.js';
import { sanitizeLine } from '../report/sanitize.js';
import { alignedTable } from '../report/grid.js';
import { ExitCode, UsageError } from '../errors.js';

export interface VendorsOptions {
  category?: string;
  country?: string;
  search?: string;
  format: string;
  vendors?: string[];
}

export function vendorTable(vendors: VendorEntry[]): string {
  return alignedTable([['ID', 'NAME', 'COMPANY', 'CC', 'CATEGORIES'], ...vendors.map((v) => [v.id, v.name, v.company.name, v.company.country, v.categories.join(',')])].map((r) => r.map(sanitizeLine)));
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
  if (o.format !== 'table' && o.format !== 'json') throw new UsageError(`--format: expected table or json, got '${o.format}'`);
  const db = loadVendorDb({ overlays: o.vendors ?? [] });
  const list = filterVendors(db.vendors, o);
  process.stdout.write(o.format === 'json' ? `${JSON.stringify(list, null, 2)}\n` : vendorTable(list));
}

const NETWORK_KINDS = new Set(['asn', 'asorg']);

export async function runVendorsShow(id: string, o: { vendors?: string[] }): Promise<void> {
  const db = loadVendorDb({ overlays: o.vendors ?? [] });
  const v = db.byId.get(id);
  const company = v ? undefined : db.companies.get(id);
  if (!v && !company) throw new UsageError(`no vendor or company '${id}' (try: whoserves vendors --search ${id})`);
  const vendors = v ? [v] : db.vendors.filter((x) => x.company.id === id);
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
