// The story across scans: per company and category, each provider relationship as an interval
// (first seen, last seen, still present), with the evidence at both ends, and a pivot of the
// providers over time. Pure: no I/O, no clock. Rendered by ./history-format.ts and
// ./history-html.ts.
//
// Rules (the same as diff's, applied along a sequence; see ./impairment.ts):
// - A scan in which the company failed, or whose probes for the category failed, did not measure
//   it: a gap, never the end of an interval. A company missing from a scan (not in that month's
//   list) is a gap too.
// - An interval ends at the first scan that measured the category and did not see the provider;
//   the end keeps the evidence last seen and what the category showed instead.
// - Companies are keyed by domain. A change of the input's entity name for the same domain is a
//   rename: the company keeps its history and lists its former names. A company that moved to
//   another domain appears as two companies (nothing in a scan says the two domains are one).
import { CATEGORIES, type Category, type Result, type ResultStatus } from '../types.js';
import { pivotByProvider } from '../report/pivot.js';
import { byDomain, compareStrings, metaWarnings, providers, simulatedWarnings, statusOf, type Provider } from './diff.js';
import { impairments } from './impairment.js';
import type { ScanMeta } from './meta.js';

/** One scan, as read from a Results file written with --meta. */
export interface HistoryRun {
  /** Where it was read from (file name), for messages. */
  source: string;
  meta: ScanMeta;
  results: Result[];
}

export interface RunInfo {
  /** Label: the scan's date (YYYY-MM-DD), or date and time when two scans share a day. */
  date: string;
  startedAt: string;
  source: string;
  domains: number;
  /** Domains not failed (something was measured). */
  measured: number;
  failed: number;
}

/** A provider as the history names it: the diff's Provider without per-scan evidence. */
export type ProviderRef = Omit<Provider, 'evidence'>;

/** What a track shows for one scan. */
export type Cell = 'seen' | 'absent' | 'not-measured' | 'not-listed';

export interface Interval {
  start: {
    run: number;
    date: string;
    evidence: string[];
    /** Seen in the first scan that measured the category: it may be older than the history. */
    sinceFirst: boolean;
    /** The category's evidence in the previous measured scan: what it replaced (or nothing). */
    before?: string[];
  };
  last: { run: number; date: string; evidence: string[] };
  /** The first measured scan without it; `after` is what the category showed then. */
  end?: { run: number; date: string; after: string[] };
  /** present: seen in the latest scan; ended; unknown: not measured since last seen. */
  status: 'present' | 'ended' | 'unknown';
  /** Scans between start and end (or the latest scan) that did not measure the category. */
  gaps: string[];
}

/** One provider in one category of one company, over every scan. */
export interface Track {
  category: Category;
  provider: ProviderRef;
  cells: Cell[];
  intervals: Interval[];
}

export interface CompanyHistory {
  domain: string;
  /** The latest entity name given by the input, if any. */
  entity: string | null;
  /** Names in the order they appeared, with the first scan using each; more than one: renamed. */
  names: { name: string; from: string }[];
  /** Per scan: the Result's status, or not-listed. */
  statuses: (ResultStatus | 'not-listed')[];
  tracks: Track[];
}

/** A relationship that began or ended between two scans: the lines a reporter quotes. */
export interface HistoryEvent {
  run: number;
  date: string;
  domain: string;
  entity: string | null;
  category: Category;
  kind: 'added' | 'ended';
  provider: ProviderRef;
  /** added: the new evidence; ended: the evidence last seen. */
  evidence: string[];
  /** added: the category's evidence before; ended: the category's evidence now. */
  other: string[];
  /** ended: the scan it was last seen in. */
  lastSeen?: string;
}

export interface PivotRow {
  key: string;
  companyName: string;
  country: string | null;
  /** Companies served (relationship categories, assets excluded), per scan. */
  counts: number[];
}

export interface History {
  runs: RunInfo[];
  companies: CompanyHistory[];
  events: HistoryEvent[];
  pivot: {
    providers: PivotRow[];
    /** Per scan: companies served by at least one U.S. provider, of those measured. */
    us: { served: number; measured: number }[];
  };
  warnings: string[];
}

/** `last`: keep only the latest N scans. */
export function buildHistory(input: readonly HistoryRun[], opts: { last?: number } = {}): History {
  const warnings: string[] = [];
  const sorted = [...input].sort((a, b) => Date.parse(a.meta.startedAt) - Date.parse(b.meta.startedAt) || compareStrings(a.source, b.source));
  const runs = opts.last ? sorted.slice(-opts.last) : sorted;
  const labels = runLabels(runs);
  warnings.push(...simulatedWarnings(runs.map((r) => [r.source, r.meta])));
  const tables = runs.map((r) => byDomain(r.results, r.source, warnings));
  for (let i = 1; i < runs.length; i++) {
    for (const w of metaWarnings(runs[i - 1]!.meta, runs[i]!.meta)) warnings.push(`${labels[i - 1]} → ${labels[i]}: ${w}`);
  }
  const domains = firstSeenOrder(tables);
  const companies = domains.map((d) => companyHistory(d, tables, labels));
  return {
    runs: runs.map((r, i) => {
      const failed = [...tables[i]!.values()].filter((x) => statusOf(x) === 'failed').length;
      return { date: labels[i]!, startedAt: r.meta.startedAt, source: r.source, domains: tables[i]!.size, measured: tables[i]!.size - failed, failed };
    }),
    companies,
    events: eventsOf(companies),
    pivot: pivotOverTime(tables),
    warnings,
  };
}

/** Dates, or date and time for every scan when two share a day. */
function runLabels(runs: readonly HistoryRun[]): string[] {
  const days = runs.map((r) => new Date(Date.parse(r.meta.startedAt)).toISOString().slice(0, 10));
  if (new Set(days).size === days.length) return days;
  return runs.map((r) => new Date(Date.parse(r.meta.startedAt)).toISOString().slice(0, 16).replace('T', ' '));
}

/** Domains in the order they first appear, scan by scan (input order within a scan). */
function firstSeenOrder(tables: readonly Map<string, Result>[]): string[] {
  const out = new Set<string>();
  for (const t of tables) for (const d of t.keys()) out.add(d);
  return [...out];
}

function companyHistory(domain: string, tables: readonly Map<string, Result>[], labels: readonly string[]): CompanyHistory {
  const rows = tables.map((t) => t.get(domain));
  const names: { name: string; from: string }[] = [];
  rows.forEach((r, i) => {
    const name = typeof r?.input?.entity === 'string' ? r.input.entity.trim() : '';
    if (name && names[names.length - 1]?.name !== name) names.push({ name, from: labels[i]! });
  });
  const tracks: Track[] = [];
  for (const category of CATEGORIES) tracks.push(...categoryTracks(category, rows, labels));
  return {
    domain,
    entity: names[names.length - 1]?.name ?? null,
    names,
    statuses: rows.map((r) => (r ? statusOf(r) : 'not-listed')),
    tracks,
  };
}

interface Observed {
  /** The category was looked at (the company was scanned, not failed, its probes worked — or a provider was seen). */
  measured: boolean;
  listed: boolean;
  providers: Map<string, Provider>;
  evidence: string[];
}

function observe(r: Result | undefined, category: Category): Observed {
  if (!r) return { measured: false, listed: false, providers: new Map(), evidence: [] };
  if (statusOf(r) === 'failed') return { measured: false, listed: true, providers: new Map(), evidence: [] };
  const found = providers(r.services[category], category);
  const evidence = [...found.values()].flatMap((p) => p.evidence);
  return { measured: found.size > 0 || !impairments(r).has(category), listed: true, providers: found, evidence };
}

function categoryTracks(category: Category, rows: readonly (Result | undefined)[], labels: readonly string[]): Track[] {
  const seen = rows.map((r) => observe(r, category));
  const firstMeasured = seen.findIndex((o) => o.measured);
  const keys = [...new Set(seen.flatMap((o) => [...o.providers.keys()]))].sort(compareStrings);
  const latest = rows.length - 1;
  return keys.map((key) => {
    const intervals: Interval[] = [];
    let open: Interval | undefined;
    let ref: ProviderRef | undefined;
    const cells: Cell[] = seen.map((o, i) => {
      const p = o.providers.get(key);
      if (p) {
        ref = mergeRef(ref, p);
        if (open) open.last = { run: i, date: labels[i]!, evidence: p.evidence };
        else {
          const prev = lastMeasuredBefore(seen, i);
          open = {
            start: { run: i, date: labels[i]!, evidence: p.evidence, sinceFirst: i === firstMeasured, ...(prev >= 0 ? { before: seen[prev]!.evidence } : {}) },
            last: { run: i, date: labels[i]!, evidence: p.evidence },
            status: 'present',
            gaps: [],
          };
          intervals.push(open);
        }
        return 'seen';
      }
      const cell: Cell = !o.listed ? 'not-listed' : o.measured ? 'absent' : 'not-measured';
      if (open) {
        if (cell === 'absent') {
          open.end = { run: i, date: labels[i]!, after: o.evidence };
          open.status = 'ended';
          open = undefined;
        } else open.gaps.push(labels[i]!);
      }
      return cell;
    });
    // Gaps after the last sighting of a still-open interval are "not measured since", not gaps within.
    for (const iv of intervals) {
      if (iv.end) continue;
      iv.status = iv.last.run === latest ? 'present' : 'unknown';
      iv.gaps = iv.gaps.filter((d) => labels.indexOf(d) < iv.last.run);
    }
    return { category, provider: ref!, cells, intervals };
  });
}

function lastMeasuredBefore(seen: readonly Observed[], i: number): number {
  for (let j = i - 1; j >= 0; j--) if (seen[j]!.measured) return j;
  return -1;
}

/** The provider's name, country and every brand seen across the scans. */
function mergeRef(ref: ProviderRef | undefined, p: Provider): ProviderRef {
  const { evidence: _evidence, ...rest } = p;
  if (!ref) return { ...rest, vendors: [...rest.vendors] };
  const vendors = [...ref.vendors];
  for (const v of p.vendors) if (!vendors.some((x) => x.id === v.id && x.name === v.name)) vendors.push(v);
  vendors.sort((x, y) => compareStrings(`${x.id ?? ''}\u0000${x.name ?? ''}`, `${y.id ?? ''}\u0000${y.name ?? ''}`));
  return { ...ref, companyName: ref.companyName ?? p.companyName, country: ref.country ?? p.country, vendors };
}

function eventsOf(companies: readonly CompanyHistory[]): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (const c of companies) {
    for (const t of c.tracks) {
      for (const iv of t.intervals) {
        const base = { domain: c.domain, entity: c.entity, category: t.category, provider: t.provider };
        if (!iv.start.sinceFirst) out.push({ ...base, run: iv.start.run, date: iv.start.date, kind: 'added', evidence: iv.start.evidence, other: iv.start.before ?? [] });
        if (iv.end) out.push({ ...base, run: iv.end.run, date: iv.end.date, kind: 'ended', evidence: iv.last.evidence, other: iv.end.after, lastSeen: iv.last.date });
      }
    }
  }
  const order = (e: HistoryEvent) => CATEGORIES.indexOf(e.category);
  return out.sort((a, b) => a.run - b.run || compareStrings(a.domain, b.domain) || order(a) - order(b) || (a.kind === b.kind ? 0 : a.kind === 'ended' ? -1 : 1) || compareStrings(a.provider.key, b.provider.key));
}

function pivotOverTime(tables: readonly Map<string, Result>[]): History['pivot'] {
  const rows = new Map<string, PivotRow>();
  const us = tables.map((t, i) => {
    const results = [...t.values()];
    const served = new Set<string>();
    for (const row of pivotByProvider(results)) {
      if (row.domains.length === 0) continue;
      let p = rows.get(row.company);
      if (!p) {
        p = { key: row.company, companyName: row.companyName, country: row.country, counts: tables.map(() => 0) };
        rows.set(row.company, p);
      }
      p.counts[i] = row.domains.length;
      if (row.country === 'US') for (const d of row.domains) served.add(d);
    }
    return { served: served.size, measured: results.filter((r) => statusOf(r) !== 'failed').length };
  });
  const providersSorted = [...rows.values()].sort(
    (a, b) => Math.max(...b.counts) - Math.max(...a.counts) || sum(b.counts) - sum(a.counts) || compareStrings(a.companyName, b.companyName) || compareStrings(a.key, b.key),
  );
  return { providers: providersSorted, us };
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
