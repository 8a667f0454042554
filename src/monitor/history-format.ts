// Rendering a History: text for a terminal, markdown for a job summary, CSV with one row per
// interval, JSON for machines (HTML: ./history-html.ts). Pure.
import { CATEGORY_TITLES } from '../report/cells.js';
import { csvRow } from '../report/csv.js';
import { alignedTable, wrapIndented } from '../report/grid.js';
import { toJson } from '../report/json.js';
import { mdCell } from '../report/markdown.js';
import { sanitizeLine, truncate } from '../report/sanitize.js';
import { providerText } from './diff-format.js';
import type { CompanyHistory, History, HistoryEvent, Interval, Track } from './history.js';

export type HistoryTextFormat = 'table' | 'markdown' | 'csv' | 'json';

export interface HistoryTextOptions {
  /** table: lines wrap at spaces to this width (never inside a word or a domain). */
  width?: number;
  /** table: section titles in bold. */
  color?: boolean;
  /** csv: start with a UTF-8 byte order mark. */
  bom?: boolean;
}

export function renderHistory(h: History, format: HistoryTextFormat, opts: HistoryTextOptions = {}): string {
  switch (format) {
    case 'json':
      return toJson(h);
    case 'csv':
      return (opts.bom ? '\ufeff' : '') + historyCsv(h);
    case 'markdown':
      return historyMarkdown(h);
    case 'table':
      return historyText(h, opts.width ?? Infinity, opts.color ?? false);
  }
}

/** Evidence comes from the scanned sites: bounded so one hostile row cannot flood a summary. */
const MAX_DETAIL = 300;

export function evidenceText(evidence: readonly string[]): string {
  return truncate(evidence.join('; '), MAX_DETAIL);
}

/** "Microsoft Corporation (US) via Microsoft 365", kept on one safe line. */
export function providerLine(t: Pick<Track, 'provider'>): string {
  return sanitizeLine(truncate(providerText(t.provider), 120));
}

/** The company as headed everywhere: domain, latest entity name and former names. */
export function companyTitle(c: CompanyHistory): string {
  const former = c.names.slice(0, -1).map((n, i) => `${n.name} until ${c.names[i + 1]!.from}`);
  const name = c.entity ? ` — ${c.entity}` : '';
  return sanitizeLine(`${c.domain}${name}${former.length ? ` (formerly ${former.join('; ')})` : ''}`);
}

/** "2026-01-01 → 2026-02-01, ended 2026-04-01" and the like. */
export function intervalText(iv: Interval, latest: string): string {
  const from = `${iv.start.date}${iv.start.sinceFirst ? ' (already at the first scan)' : ''}`;
  let to: string;
  if (iv.status === 'present') to = `present (${latest})`;
  else if (iv.status === 'ended') to = `${iv.last.date}, ended ${iv.end!.date}`;
  else to = `${iv.last.date}, not measured since`;
  return `${from} → ${to}${iv.gaps.length ? `; not measured ${iv.gaps.join(', ')}` : ''}`;
}

/** The sentence a reporter needs: what changed, with the evidence on both sides. */
export function eventText(e: HistoryEvent): { what: string; evidence: string; other: string } {
  const who = providerText(e.provider);
  if (e.kind === 'added') {
    return { what: `${CATEGORY_TITLES[e.category]}: + ${who}`, evidence: evidenceText(e.evidence), other: e.other.length ? `before: ${evidenceText(e.other)}` : 'before: nothing found' };
  }
  return {
    what: `${CATEGORY_TITLES[e.category]}: − ${who} (last seen ${e.lastSeen ?? '?'})`,
    evidence: evidenceText(e.evidence),
    other: e.other.length ? `now: ${evidenceText(e.other)}` : 'now: nothing found',
  };
}

function span(h: History): string {
  const first = h.runs[0]?.date ?? '';
  const last = h.runs[h.runs.length - 1]?.date ?? '';
  return h.runs.length === 1 ? first : `${first} to ${last}`;
}

function usCell(u: { served: number; measured: number }): string {
  return u.measured ? `${u.served} of ${u.measured} (${Math.round((100 * u.served) / u.measured)}%)` : '–';
}

function historyText(h: History, width: number, color: boolean): string {
  const latest = h.runs[h.runs.length - 1]?.date ?? '';
  const bold = (t: string) => (color ? `\x1b[1m${t}\x1b[22m` : t);
  const out: string[] = [];
  // Long lines wrap with a hanging indent, at spaces only.
  const put = (text: string, first = '', rest = '    ') => out.push(...(width === Infinity ? [first + text] : wrapIndented(text, width, first, rest)));
  for (const w of h.warnings) put(sanitizeLine(w), 'warning: ');
  put(`${h.runs.length} scan(s), ${span(h)}, ${h.companies.length} companies`, bold('whoserves history:') + ' ');
  put(h.runs.map((r) => `${r.date} (${r.domains} domains${r.failed ? `, ${r.failed} failed` : ''})`).join(' · '), 'scans: ');
  out.push('');
  out.push(bold(h.events.length ? 'Changes' : 'Changes: none'));
  for (const e of h.events) {
    const t = eventText(e);
    put(`${e.date}  ${sanitizeLine(e.domain)}  ${sanitizeLine(t.what)}  [${sanitizeLine(t.evidence)}] (${sanitizeLine(t.other)})`, '  ', '      ');
  }
  out.push('', bold('Relationships'));
  for (const c of h.companies) {
    const failed = c.statuses.map((s, i) => (s === 'failed' ? h.runs[i]!.date : '')).filter(Boolean);
    put(companyTitle(c) + (failed.length ? `  [scan failed: ${failed.join(', ')}]` : ''));
    if (c.tracks.length === 0) out.push('  (no provider found)');
    for (const t of c.tracks) {
      for (const iv of t.intervals) put(`${providerLine(t)}  ${intervalText(iv, latest)}`, `  ${CATEGORY_TITLES[t.category].padEnd(16)} `, ' '.repeat(19));
    }
  }
  out.push('');
  for (const l of wrapIndented('Providers: companies served per scan (assets and self-hosted software not counted)', width, '', '  ')) out.push(bold(l));
  const rows = [
    ['PROVIDER', 'CC', ...h.runs.map((r) => r.date)],
    ...h.pivot.providers.map((p) => [truncate(p.companyName, 40), p.country ?? '??', ...p.counts.map(String)]),
    ['served by a U.S. provider', '', ...h.pivot.us.map(usCell)],
  ];
  out.push(alignedTable(rows.map((r) => r.map(sanitizeLine)), width).trimEnd());
  return out.join('\n') + '\n';
}

function historyMarkdown(h: History): string {
  const latest = h.runs[h.runs.length - 1]?.date ?? '';
  const out: string[] = [`## whoserves: history of ${h.runs.length} scan(s), ${span(h)}`, ''];
  for (const w of h.warnings) out.push(`> **Warning:** ${mdCell(w)}`, '');
  out.push(`${h.companies.length} companies; scans: ${h.runs.map((r) => `${r.date} (${r.domains} domains${r.failed ? `, ${r.failed} failed` : ''})`).join(', ')}.`, '');
  out.push('### Changes', '');
  if (h.events.length === 0) out.push('No provider relationship began or ended over these scans.', '');
  else {
    out.push('| Date | Company | Change | Evidence | Before / now |', '|---|---|---|---|---|');
    for (const e of h.events) {
      const t = eventText(e);
      out.push(`| ${e.date} | ${mdCell(e.domain)} | ${mdCell(t.what)} | ${mdCell(t.evidence)} | ${mdCell(t.other)} |`);
    }
    out.push('');
  }
  const count = h.companies.reduce((n, c) => n + c.tracks.reduce((k, t) => k + t.intervals.length, 0), 0);
  out.push(`<details><summary>All relationships (${count})</summary>`, '', '| Company | Category | Provider | Interval |', '|---|---|---|---|');
  for (const c of h.companies) {
    for (const t of c.tracks) {
      for (const iv of t.intervals) out.push(`| ${mdCell(companyTitle(c))} | ${CATEGORY_TITLES[t.category]} | ${mdCell(providerLine(t))} | ${mdCell(intervalText(iv, latest))} |`);
    }
  }
  out.push('', '</details>', '', '### Providers over time (companies served)', '');
  out.push(`| Provider | Country | ${h.runs.map((r) => r.date).join(' | ')} |`, `|---|---|${h.runs.map(() => '---:').join('|')}|`);
  for (const p of h.pivot.providers) out.push(`| ${mdCell(p.companyName)} | ${mdCell(p.country ?? '??')} | ${p.counts.join(' | ')} |`);
  out.push(`| **Served by a U.S. provider** | | ${h.pivot.us.map(usCell).join(' | ')} |`, '');
  out.push('_A scan that could not measure a company or category is a gap, never the end of a relationship. Assets (resources the pages load) are not counted._', '');
  return out.join('\n') + '\n';
}

const CSV_HEADER = [
  'domain', 'entity', 'former_names', 'category', 'provider', 'provider_company', 'country', 'vendors',
  'first_seen', 'already_at_first_scan', 'first_evidence', 'evidence_before',
  'last_seen', 'last_evidence', 'status', 'ended', 'evidence_after', 'not_measured',
];

function historyCsv(h: History): string {
  const rows: string[][] = [CSV_HEADER];
  for (const c of h.companies) {
    const former = c.names.slice(0, -1).map((n) => n.name).join('; ');
    for (const t of c.tracks) {
      for (const iv of t.intervals) {
        rows.push([
          c.domain, c.entity ?? '', former, t.category, providerText(t.provider), t.provider.company ?? '', t.provider.country ?? '',
          t.provider.vendors.map((v) => v.name ?? v.id ?? '').join('; '),
          iv.start.date, iv.start.sinceFirst ? 'yes' : '', iv.start.evidence.join('; '), (iv.start.before ?? []).join('; '),
          iv.last.date, iv.last.evidence.join('; '), iv.status, iv.end?.date ?? '', (iv.end?.after ?? []).join('; '), iv.gaps.join('; '),
        ]);
      }
    }
  }
  return rows.map((r) => csvRow(r, ',')).join('');
}
