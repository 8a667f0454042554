// The work behind `whoserves lists`, loaded only when the command runs.
import { listDomains, listNames, loadList, noticeLabel, summarize, type TargetList } from '../input/lists.js';
import { csvRow } from '../report/csv.js';
import { alignedTable } from '../report/grid.js';
import { toJson } from '../report/json.js';
import { sanitizeLine } from '../report/sanitize.js';
import { UsageError } from '../errors.js';

export function runLists(name: string | undefined, format: 'table' | 'json' | 'csv'): void {
  if (name === undefined) {
    if (format === 'csv') throw new UsageError('--format csv needs a list NAME');
    const summaries = listNames().map((n) => summarize(loadList(n)));
    if (format === 'json') return void process.stdout.write(toJson(summaries));
    const rows = [
      ['NAME', 'ENTRIES', 'DOMAINS', 'NO DOMAIN', 'SOURCES', 'UPDATED', 'TITLE'],
      ...summaries.map((s) => [s.name, String(s.entries), String(s.domains), String(s.withoutDomain), String(s.sources), s.updated, s.title]),
    ];
    process.stdout.write(alignedTable(rows.map((r) => r.map(sanitizeLine))) + '\nScan one with: whoserves scan --list NAME. Entries, sources and notes: whoserves lists NAME.\n');
    return;
  }
  const list = loadList(name);
  if (format === 'json') return void process.stdout.write(toJson(list));
  process.stdout.write(format === 'csv' ? listCsv(list) : listTable(list));
}

function listTable(list: TargetList): string {
  const s = summarize(list);
  const head = [`${list.title} (${list.name}, updated ${list.updated})`, list.description, ''];
  const rows = [
    ['ENTITY', 'CC', 'LISTED', 'NOTICE', 'DOMAINS'],
    ...list.entries.map((e) => [e.entity, e.country, e.listing?.date ?? '', noticeLabel(e), e.domains.map((d) => d.domain).join(' ') || '(none: no source)']),
  ];
  const notes = (list.notes ?? []).map((n) => `- ${n}`);
  const tail = ['', `${s.entries} entries, ${s.domains} domains, ${s.withoutDomain} without a sourced domain, ${s.sources} sources (whoserves lists ${list.name} --format json).`, ...(notes.length ? ['', 'Notes:', ...notes] : [])];
  return [...head.map(sanitizeLine), alignedTable(rows.map((r) => r.map(sanitizeLine))).trimEnd(), ...tail.map(sanitizeLine)].join('\n') + '\n';
}

/** Scan-ready: the columns a CSV list carries into Results, plus the domain's source. */
function listCsv(list: TargetList): string {
  const header = ['domain', 'entity', 'list', 'country', 'notice', 'listed', 'domain_source'];
  const sourceOf = new Map(list.entries.flatMap((e) => e.domains.map((d) => [d.domain, d.source.url] as const)));
  const rows = listDomains(list).entries.map((e) => [e.domain, ...header.slice(1, -1).map((c) => String(e.input[c] ?? '')), sourceOf.get(e.domain) ?? '']);
  return [header, ...rows].map((r) => csvRow(r, ',')).join('');
}
