// The terminal view: one row per domain, one column per category, U.S. providers highlighted,
// fitted to the terminal; narrow terminals get one block per domain instead. Then the pivot.
import { CATEGORIES, type Category, type Result } from '../types.js';
import { CATEGORY_TITLES, displayDomain, isUS, providerLabel, rootLabel, usProviders } from './cells.js';
import { fitWidths, renderGrid, wrap, type GridCell } from './grid.js';
import { pivotByProvider } from './pivot.js';
import { sanitizeLine, truncate } from './sanitize.js';

export interface TableOptions {
  width: number;
  color: boolean;
  by: 'domain' | 'provider';
}

interface Paint {
  us: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

function paint(color: boolean): Paint {
  const wrapWith = (open: string, close: string) => (s: string) => (color ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { us: wrapWith('1;33', '22;39'), bold: wrapWith('1', '22'), dim: wrapWith('2', '22') };
}

export function renderTable(results: Result[], opts: TableOptions): string {
  const p = paint(opts.color);
  if (opts.by === 'provider') return renderPivot(results, p, Infinity) + legend(p, opts.width);
  let out = renderDomains(results, opts.width, p);
  const pivot = renderPivot(results, p, 15);
  if (pivot) out += '\n' + pivot;
  return out + legend(p, opts.width);
}

function cellFor(result: Result, category: Category, p: Paint): GridCell {
  const list = result.services[category];
  if (list.length === 0) return { lines: ['–'], style: p.dim };
  // A certificate's root owner, when it is another company, goes on a line of its own under the brand.
  const plain = (s: string): string => s;
  const lines: string[] = [];
  const lineStyles: ((s: string) => string)[] = [];
  for (const a of list) {
    lines.push(providerLabel(a, 40, true, false));
    lineStyles.push(a.country === 'US' ? p.us : plain);
    const root = rootLabel(a, 30);
    if (root) {
      lines.push(`  ${root}`);
      lineStyles.push(a.root?.country === 'US' ? p.us : plain);
    }
  }
  return { lines, lineStyles };
}

function statusNote(r: Result): string {
  return r.status === 'ok' ? '' : ` [${r.status}]`;
}

function renderDomains(results: Result[], width: number, p: Paint): string {
  const headers = ['Domain', ...CATEGORIES.map((c) => CATEGORY_TITLES[c]), 'US'];
  const rows: GridCell[][] = results.map((r) => [
    { lines: [displayDomain(r) + statusNote(r)] },
    ...CATEGORIES.map((c) => cellFor(r, c, p)),
    { lines: [String(usProviders(r).length)] },
  ]);
  const widths = fitWidths(headers, rows, width);
  if (widths) return renderGrid(headers, rows, widths, p.bold);
  return renderBlocks(results, width, p);
}

/** One block per domain: for terminals too narrow for eleven columns. */
function renderBlocks(results: Result[], width: number, p: Paint): string {
  const label = Math.max(...CATEGORIES.map((c) => CATEGORY_TITLES[c].length)) + 2;
  const out: string[] = [];
  for (const r of results) {
    const us = usProviders(r).length;
    out.push(p.bold(displayDomain(r)) + statusNote(r) + (us ? `  ${p.us(`${us} US`)}` : ''));
    for (const c of CATEGORIES) {
      const list = r.services[c];
      if (list.length === 0) continue;
      list.forEach((a, i) => {
        const name = (i === 0 ? CATEGORY_TITLES[c] : '').padEnd(label);
        // The country suffix comes on top of the name's bound: cut the whole label to the line.
        const room = Math.max(10, width - label - 2);
        const text = truncate(providerLabel(a, room), room);
        out.push(`  ${name}${isUS(a) ? p.us(text) : text}`);
      });
    }
    if (r.errors.length) out.push(p.dim(`  ${r.errors.length} probe error(s): ${sanitizeLine([...new Set(r.errors.map((e) => e.code))].join(', '))}`));
    out.push('');
  }
  return out.join('\n');
}

function renderPivot(results: Result[], p: Paint, limit: number): string {
  const rows = pivotByProvider(results).filter((r) => r.domains.length > 0);
  if (rows.length === 0) return '';
  const n = results.length;
  const out = [p.bold(`Providers (companies served, of ${n})`)];
  for (const row of rows.slice(0, limit)) {
    const cats = Object.entries(row.byCategory)
      .map(([c, ds]) => `${CATEGORY_TITLES[c as Category]} ${ds!.length}`)
      .join(', ');
    const name = `${sanitizeLine(row.companyName)} (${sanitizeLine(row.country ?? '??')})`;
    const line = `  ${String(row.domains.length).padStart(3)} of ${n}  ${name} — ${cats}`;
    out.push(row.country === 'US' ? p.us(line) : line);
    // The full pivot (--by provider) also names the companies served, per category.
    if (limit === Infinity) {
      for (const [c, ds] of Object.entries(row.byCategory)) {
        const names = ds!.slice(0, 30).map(sanitizeLine).join(', ') + (ds!.length > 30 ? `, … (+${ds!.length - 30})` : '');
        out.push(p.dim(`        ${CATEGORY_TITLES[c as Category]}: ${names}`));
      }
    }
  }
  if (rows.length > limit) out.push(p.dim(`  … ${rows.length - limit} more (--by provider lists all)`));
  return out.join('\n') + '\n';
}

const LEGEND =
  '(CC) provider company\'s home country; U.S. providers highlighted. "Assets (loaded)" are resources the ' +
  'pages load (fonts, libraries, widgets): not a relationship. [partial]: some probes failed (see --format json).';

function legend(p: Paint, width: number): string {
  return '\n' + wrap(LEGEND, Math.max(20, width)).map((l) => p.dim(l)).join('\n') + '\n';
}
