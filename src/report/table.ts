// The terminal view: one row per domain, one column per category, U.S. providers highlighted,
// fitted to the terminal; narrow terminals get one block per domain instead. Then the pivot and
// a footer that explains what the page shows. Lines break at spaces only, never inside a word
// or a domain (grid.ts), at any width.
import { CATEGORIES, type Attribution, type Category, type Result } from '../types.js';
import { CATEGORY_TITLES, displayDomain, isSoftware, isUS, otherRoot, providerLabel, rootLabel, usProviders } from './cells.js';
import { fitWidths, renderGrid, wrap, wrapIndented, type GridCell } from './grid.js';
import { pivotByProvider } from './pivot.js';
import { sanitizeLine } from './sanitize.js';

export interface TableOptions {
  width: number;
  color: boolean;
  by: 'domain' | 'provider';
  /** Set when the results come from a simulated world: said in the footer. */
  simulated?: string;
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
  if (opts.by === 'provider') return renderPivot(results, p, Infinity, opts.width) + legend(results, opts, p);
  let out = renderDomains(results, opts.width, p);
  const pivot = renderPivot(results, p, 15, opts.width);
  if (pivot) out += '\n' + pivot;
  return out + legend(results, opts, p);
}

function cellFor(result: Result, category: Category, p: Paint): GridCell {
  const list = result.services[category];
  if (list.length === 0) return { lines: ['–'], style: p.dim };
  // A certificate's root owner, when it is another company, goes on a line of its own under the brand.
  const plain = (s: string): string => s;
  const lines: string[] = [];
  const lineStyles: ((s: string) => string)[] = [];
  for (const a of list) {
    lines.push(providerLabel(a, category, 120, true, false));
    lineStyles.push(isUS(category, a) && a.country === 'US' ? p.us : plain);
    const root = rootLabel(a, 30);
    if (root) {
      lines.push(root);
      lineStyles.push(isUS(category, a) && otherRoot(a)?.country === 'US' ? p.us : plain);
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
    // The domain is never cut; what follows it wraps.
    out.push(p.bold(displayDomain(r)) + statusNote(r) + (us ? `  ${p.us(`${us} US`)}` : ''));
    for (const c of CATEGORIES) {
      r.services[c].forEach((a, i) => {
        const name = `  ${(i === 0 ? CATEGORY_TITLES[c] : '').padEnd(label)}`;
        for (const line of wrapIndented(providerLabel(a, c, 200), width, name, ' '.repeat(name.length))) {
          out.push(isUS(c, a) ? line.slice(0, name.length) + p.us(line.slice(name.length)) : line);
        }
      });
    }
    if (r.errors.length) {
      const codes = sanitizeLine([...new Set(r.errors.map((e) => e.code))].join(', '));
      for (const line of wrapIndented(`${r.errors.length} probe error(s): ${codes}`, width, '  ', '    ')) out.push(p.dim(line));
    }
    out.push('');
  }
  return out.join('\n');
}

function renderPivot(results: Result[], p: Paint, limit: number, width: number): string {
  const rows = pivotByProvider(results).filter((r) => r.domains.length > 0);
  if (rows.length === 0) return '';
  const n = results.length;
  const out = [p.bold(`Providers (companies served, of ${n})`)];
  for (const row of rows.slice(0, limit)) {
    const cats = Object.entries(row.byCategory)
      .map(([c, ds]) => `${CATEGORY_TITLES[c as Category]} ${ds!.length}`)
      .join(', ');
    const name = `${sanitizeLine(row.companyName)} (${sanitizeLine(row.country ?? '??')})`;
    const first = `  ${String(row.domains.length).padStart(3)} of ${n}  `;
    for (const line of wrapIndented(`${name} — ${cats}`, width, first, ' '.repeat(first.length))) out.push(row.country === 'US' ? p.us(line) : line);
    // The full pivot (--by provider) also names the companies served, per category.
    if (limit === Infinity) {
      for (const [c, ds] of Object.entries(row.byCategory)) {
        const names = ds!.slice(0, 30).map(sanitizeLine).join(', ') + (ds!.length > 30 ? `, … (+${ds!.length - 30})` : '');
        const head = `        ${CATEGORY_TITLES[c as Category]}: `;
        for (const line of wrapIndented(names, width, head, ' '.repeat(10))) out.push(p.dim(line));
      }
    }
  }
  if (rows.length > limit) out.push(p.dim(`  … ${rows.length - limit} more (--by provider lists all)`));
  return out.join('\n') + '\n';
}

/** The footer: what the page shows, each mark explained only when it appears. */
function legend(results: Result[], opts: TableOptions, p: Paint): string {
  const all = (test: (c: Category, a: Attribution) => boolean) => results.some((r) => CATEGORIES.some((c) => r.services[c].some((a) => test(c, a))));
  const notes: string[] = [];
  if (opts.simulated) notes.push(`SIMULATED WORLD (${sanitizeLine(opts.simulated)}): not measured data.`);
  notes.push(`(CC): the provider company's home country; U.S. providers ${opts.color ? 'highlighted' : 'are marked (US)'}.`);
  if (opts.by === 'domain') {
    notes.push('US: how many U.S. companies provide something to the domain (assets and self-hosted software not counted).');
    notes.push('Assets (loaded): resources the pages load (fonts, libraries, widgets): not a relationship, not counted.');
  }
  if (all((_c, a) => otherRoot(a) !== null)) notes.push('→ X (CC) root: the company owning the root certificate the certificate chains to; it counts as a provider too.');
  if (all((c, a) => isSoftware(c, a))) notes.push('(self-hosted) CMS or analytics: software the company runs itself; its maker is not a provider and is not counted.');
  if (all((c, a) => a.selfHosted === true && !isSoftware(c, a))) notes.push("(CC, self-hosted): the company's own name or mail server, on that provider's network.");
  if (results.some((r) => r.status === 'partial')) notes.push('[partial]: some probes failed; what they would have shown is missing (--format json lists the errors).');
  if (results.some((r) => r.status === 'failed')) notes.push('[failed]: nothing could be measured (no DNS answer); an empty row says nothing about its providers.');
  const width = Math.max(20, opts.width);
  return '\n' + notes.flatMap((n, i) => wrap(n, width).map((l) => (i === 0 && opts.simulated ? p.bold(l) : p.dim(l)))).join('\n') + '\n';
}
