// `whoserves vendors asns`: the embedded IP → ASN database seen through the vendor rules — which
// ASNs each company is attributed, the largest organisations no rule names (the next data fix),
// or the N organisations announcing the most IPv4 space with their attribution.
import { loadDb, packageInfo } from '../collect/asn/db.js';
import { summarizeTable } from '../collect/asn/summary.js';
import { loadVendorDb, type VendorDb } from '../vendors/load.js';
import { networkReport, organisations, type AttributedAsn, type NetworkReport } from '../vendors/networks.js';
import { sanitizeLine, truncate } from '../report/sanitize.js';
import { displayWidth } from '../report/grid.js';
import { UsageError } from '../errors.js';

export interface AsnsOptions {
  unmatched?: boolean;
  orgs?: boolean;
  top?: number;
  format?: string;
  vendors?: string[];
}

/** The report over the embedded database, and the database's name for sources and footers. */
export function embeddedReport(db: VendorDb): { report: NetworkReport; source: string } {
  const info = packageInfo();
  return { report: networkReport(db, summarizeTable(loadDb().table)), source: `@ip-location-db/asn ${info.version}` };
}

const num = (n: number): string => n.toLocaleString('en-US');
const pct = (n: number, total: number): string => `${total === 0 ? '0.00' : ((100 * n) / total).toFixed(2)}%`;
const asnLabel = (a: { asn: number; name: string }): string => `AS${a.asn} ${a.name}`;

function table(head: string[], rows: string[][], right: Set<number>): string {
  const cells = [head, ...rows].map((r) => r.map((c) => sanitizeLine(c)));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (c: string, i: number, last: boolean): string => {
    const fill = ' '.repeat(Math.max(0, widths[i]! - displayWidth(c)));
    return right.has(i) ? fill + c : last ? c : c + fill;
  };
  return cells.map((r) => r.map((c, i) => pad(c, i, i === r.length - 1)).join('  ')).join('\n') + '\n';
}

function networksCell(asns: AttributedAsn[]): string {
  const shown = asns.slice(0, 3).map((a) => truncate(asnLabel(a), 48));
  return asns.length > 3 ? `${shown.join('; ')}; +${asns.length - 3} more` : shown.join('; ');
}

function footer(r: NetworkReport, source: string): string {
  const asns = r.asns.filter((a) => a.vendors.length > 0).length;
  return `${num(r.companies.length)} companies, ${num(asns)} ASNs attributed: ${num(r.attributedIpv4)} of ${num(r.totalIpv4)} announced IPv4 addresses (${pct(r.attributedIpv4, r.totalIpv4)}) — ${source}\n`;
}

export function runVendorsAsns(o: AsnsOptions): void {
  // --format is checked by commander (table or json); absent, the table.
  o.format ??= 'table';
  if (o.unmatched && o.orgs) throw new UsageError('--unmatched and --orgs: choose one');
  const db = loadVendorDb({ overlays: o.vendors ?? [] });
  const { report: r, source } = embeddedReport(db);
  const top = o.top;
  const summary = { source, totalIpv4: r.totalIpv4, attributedIpv4: r.attributedIpv4, companies: r.companies.length, asns: r.asns.filter((a) => a.vendors.length > 0).length };
  for (const c of r.conflicts) process.stderr.write(`warning: AS${c.asn} ${sanitizeLine(c.name)} is named by rules of several companies: ${c.vendors.map((v) => v.id).join(', ')}\n`);

  if (o.unmatched || o.orgs) {
    const all = o.orgs ? organisations(r.asns) : r.unmatched;
    const byAsn = new Map(r.asns.map((a) => [a.asn, a]));
    const list = all.slice(0, top ?? 50).map((g, i) => {
      const companies = [...new Set(g.asns.flatMap((a) => byAsn.get(a.asn)?.vendors.map((v) => v.company.id) ?? []))].sort();
      return { rank: i + 1, organisation: g.name, ipv4: g.ipv4, share: g.ipv4 / (r.totalIpv4 || 1), asns: g.asns.map((a) => ({ asn: a.asn, name: a.name, ipv4: a.ipv4 })), ...(o.orgs ? { companies } : {}) };
    });
    if (o.format === 'json') {
      process.stdout.write(`${JSON.stringify({ ...summary, organisations: list }, null, 2)}\n`);
      return;
    }
    const head = ['#', 'ORGANISATION', 'IPV4 ADDRESSES', 'SHARE', 'ASNS', ...(o.orgs ? ['COMPANY'] : ['LARGEST'])];
    const rows = list.map((g) => [String(g.rank), truncate(g.organisation, 60), num(g.ipv4), pct(g.ipv4, r.totalIpv4), String(g.asns.length), o.orgs ? g.companies?.join(',') || '-' : g.asns.slice(0, 3).map((a) => `AS${a.asn}`).join(', ')]);
    process.stdout.write(table(head, rows, new Set([0, 2, 3, 4])) + footer(r, source));
    return;
  }

  const companies = r.companies.slice(0, top ?? r.companies.length);
  if (o.format === 'json') {
    const out = companies.map((c) => ({ company: c.company.id, name: c.company.name, country: c.company.country, vendors: c.vendors, ipv4: c.ipv4, asns: c.asns.map((a) => ({ asn: a.asn, name: a.name, ipv4: a.ipv4, vendors: a.vendors.map((v) => v.id), by: a.by })) }));
    process.stdout.write(`${JSON.stringify({ ...summary, companies: out }, null, 2)}\n`);
    return;
  }
  const head = ['COMPANY', 'CC', 'ASNS', 'IPV4 ADDRESSES', 'SHARE', 'NETWORKS (largest first)'];
  const rows = companies.map((c) => [c.company.id, c.company.country, String(c.asns.length), num(c.ipv4), pct(c.ipv4, r.totalIpv4), networksCell(c.asns)]);
  process.stdout.write(table(head, rows, new Set([2, 3, 4])) + footer(r, source));
}

/** The embedded database's ASNs a vendor's rules (or, given a company id, its vendors' rules) attribute. */
export function networksOf(db: VendorDb, vendorIds: string[]): { source: string; asns: { asn: number; name: string; ipv4: number; vendor: string; by: string }[] } {
  const { report, source } = embeddedReport(db);
  const wanted = new Set(vendorIds);
  const asns = report.asns
    .flatMap((a) => a.vendors.filter((v) => wanted.has(v.id)).map((v) => ({ asn: a.asn, name: a.name, ipv4: a.ipv4, vendor: v.id, by: a.by ?? '' })))
    .sort((a, b) => b.ipv4 - a.ipv4 || a.asn - b.asn);
  return { source, asns };
}
