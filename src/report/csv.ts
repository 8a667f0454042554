// CSV/TSV for spreadsheets. One row per domain: per category the readable cell ("Amazon
// CloudFront (US); Alibaba Cloud (CN)"), then its provider companies and their countries, each
// joined with "; " in the same order, so a pivot table can count them; or with --long one row
// per attribution, with its evidence. The columns of the input file come along prefixed
// `input.` (sorted by name), so they never collide with ours (`input.country` next to
// `hosting_country`) and `scan` and `report` write the same columns in the same order. Cells a
// spreadsheet would run as a formula are neutralised.
import { CATEGORIES, isRelationship, type Attribution, type Category, type Result } from '../types.js';
import { isSoftware, otherRoot, providerLabel, usProviders } from './cells.js';
import { sanitize } from './sanitize.js';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string, delimiter: string): string {
  // Terminal controls and bidi overrides are made visible (cells end up on screens too).
  let v = sanitize(value.replace(/\r\n?/g, '\n'));
  // TSV is not quoted, but spreadsheets still strip a leading '"' on import: `"=1+1` would run.
  if (FORMULA_START.test(v) || (delimiter === '\t' && /^"[=+\-@]/.test(v))) v = `'${v}`;
  if (delimiter === '\t') return v.replace(/[\t\r\n]+/g, ' ');
  return /[",\r\n]/.test(v) || v.includes(delimiter) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One CSV/TSV record, cells escaped, CRLF-terminated. */
export function csvRow(cells: string[], delimiter: string): string {
  return cells.map((c) => csvCell(c, delimiter)).join(delimiter) + '\r\n';
}

/** The carried columns of the input, sorted (a saved Result's keys are sorted too). */
function inputColumns(results: Result[]): string[] {
  const cols = new Set<string>();
  for (const r of results) for (const k of Object.keys(r.input)) if (k !== 'line' && k !== 'file') cols.add(k);
  return [...cols].sort();
}

export interface CsvOptions {
  delimiter: ',' | '\t';
  long?: boolean;
  /** Start with a UTF-8 byte order mark: Excel then reads 百度统计 as UTF-8, not as ANSI. */
  bom?: boolean;
  /** Set when the results come from a simulated world: a last column says so on every row. */
  simulated?: string;
}

/**
 * Companies of a category, once each, with their countries: a certificate's root owner after its
 * brand's company; self-hosted software has none (its maker is no provider).
 */
function companies(list: readonly Attribution[], category: Category): { names: string[]; countries: string[] } {
  const seen = new Map<string, string>();
  for (const a of list) {
    if (!a.company || isSoftware(category, a)) continue;
    if (!seen.has(a.company)) seen.set(a.company, `${a.companyName ?? a.company}\u0000${a.country ?? ''}`);
    const root = otherRoot(a);
    if (root && !seen.has(root.company)) seen.set(root.company, `${root.companyName ?? root.company}\u0000${root.country ?? ''}`);
  }
  const pairs = [...seen.values()].map((v) => v.split('\u0000'));
  return { names: pairs.map((p) => p[0]!), countries: pairs.map((p) => p[1] || '??') };
}

export function renderCsv(results: Result[], opts: CsvOptions): string {
  const d = opts.delimiter;
  const cols = inputColumns(results);
  const inputHeader = cols.map((c) => `input.${c}`);
  const sim = opts.simulated ? ['simulated_world'] : [];
  const simCell = opts.simulated ? [opts.simulated] : [];
  let out = opts.bom ? '\ufeff' : '';
  if (opts.long) {
    // Root owner columns come after the evidence, as before the input columns were prefixed.
    out += csvRow(['domain', ...inputHeader, 'category', 'vendor', 'vendor_name', 'company', 'company_name', 'country', 'confidence', 'self_hosted', 'relationship', 'evidence', 'root_company', 'root_company_name', 'root_country', ...sim], d);
    for (const r of results) {
      const inp = cols.map((c) => String(r.input[c] ?? ''));
      for (const c of CATEGORIES) {
        for (const a of r.services[c]) {
          out += csvRow(
            [
              r.domain, ...inp, c, a.vendor ?? '', a.vendorName ?? '', a.company ?? '', a.companyName ?? '', a.country ?? '', a.confidence.toFixed(2),
              a.selfHosted ? 'yes' : '', isRelationship(c, a) ? 'yes' : 'no', a.evidence.join('; '),
              a.root?.company ?? '', a.root?.companyName ?? '', a.root?.country ?? '', ...simCell,
            ],
            d,
          );
        }
      }
    }
    return out;
  }
  const perCategory = CATEGORIES.flatMap((c) => [c, `${c}_company`, `${c}_country`]);
  out += csvRow(['domain', ...inputHeader, 'status', ...perCategory, 'us_providers', 'errors', ...sim], d);
  for (const r of results) {
    const cells = CATEGORIES.flatMap((c) => {
      const list = r.services[c];
      const { names, countries } = companies(list, c);
      return [list.map((a) => providerLabel(a, c, 200)).join('; '), names.join('; '), countries.join('; ')];
    });
    out += csvRow(
      [
        r.domain,
        ...cols.map((c) => String(r.input[c] ?? '')),
        r.status,
        ...cells,
        usProviders(r).join('; '),
        [...new Set(r.errors.map((e) => e.code))].join('; '),
        ...simCell,
      ],
      d,
    );
  }
  return out;
}
