// CSV/TSV for spreadsheets: one row per domain (providers joined with "; "), or with --long one
// row per attribution. Cells that a spreadsheet would run as a formula are neutralised.
import { CATEGORIES, type Result } from '../types.js';
import { providerLabel, usProviders } from './cells.js';
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

/** Input columns other than line, in first-seen order, so every row has the same columns. */
function inputColumns(results: Result[]): string[] {
  const cols: string[] = [];
  for (const r of results) for (const k of Object.keys(r.input)) if (k !== 'line' && k !== 'file' && !cols.includes(k)) cols.push(k);
  return cols;
}

export function renderCsv(results: Result[], opts: { delimiter: ',' | '\t'; long?: boolean }): string {
  const d = opts.delimiter;
  const cols = inputColumns(results);
  if (opts.long) {
    // Root owner columns come last: readers that index columns by position keep working.
    let out = csvRow(['domain', ...cols, 'category', 'vendor', 'vendor_name', 'company', 'company_name', 'country', 'confidence', 'self_hosted', 'evidence', 'root_company', 'root_company_name', 'root_country'], d);
    for (const r of results) {
      const inp = cols.map((c) => String(r.input[c] ?? ''));
      for (const c of CATEGORIES) {
        for (const a of r.services[c]) {
          out += csvRow(
            [
              r.domain, ...inp, c, a.vendor ?? '', a.vendorName ?? '', a.company ?? '', a.companyName ?? '', a.country ?? '', a.confidence.toFixed(2), a.selfHosted ? 'yes' : '', a.evidence.join('; '),
              a.root?.company ?? '', a.root?.companyName ?? '', a.root?.country ?? '',
            ],
            d,
          );
        }
      }
    }
    return out;
  }
  let out = csvRow(['domain', ...cols, 'status', ...CATEGORIES, 'us_providers', 'errors'], d);
  for (const r of results) {
    out += csvRow(
      [
        r.domain,
        ...cols.map((c) => String(r.input[c] ?? '')),
        r.status,
        ...CATEGORIES.map((c) => r.services[c].map((a) => providerLabel(a, 200)).join('; ')),
        usProviders(r).join('; '),
        [...new Set(r.errors.map((e) => e.code))].join('; '),
      ],
      d,
    );
  }
  return out;
}
