// What changed between two scans, per domain and category, at the level of the provider
// COMPANY (a move from CloudFront to Route 53 is no change; from Amazon to Alibaba is).
// Pure: no I/O, no clock. Rendered by ./diff-format.ts.
//
// Rules (see ./impairment.ts for which errors mask which categories):
// - A domain that failed in either scan was not measured: its status change is reported,
//   never "lost all providers" or "gained all providers".
// - A category the NEW scan could not measure (a probe it depends on errored) reports no
//   removals: the would-be losses are listed once as `not-measured`, which never fails CI.
// - A provider that appeared where the OLD scan could not measure is still reported (it is
//   observed now) but carries `oldErrors`, so a reader knows it may not be new.
// - A new domain's providers are reported as added (`newDomain`): a relationship appeared.
import { CATEGORIES, isRelationship, type Attribution, type Category, type Result, type ResultStatus, type RootOwner } from '../types.js';
import { failOnCountry, type FailOn } from './fail-on.js';
import { errorLabel, impairments } from './impairment.js';
import { simulatedWorld, type Scan, type ScanMeta } from './meta.js';

export interface Provider {
  /** Company id; for unmatched signals "vendor:ID" or "unmatched:NAME". */
  key: string;
  company: string | null;
  companyName: string | null;
  country: string | null;
  /** Brands of this company seen in the category, sorted. */
  vendors: { id: string | null; name: string | null }[];
  /** Union of the evidence, sorted. */
  evidence: string[];
  /** Self-hosted software (a CMS the company runs): not a provider; never counts under --fail-on added/us/country. */
  software?: true;
  /** certificate: owners of the roots its certificates chain to, when other companies; sorted by id. */
  roots?: RootOwner[];
}

interface Base {
  domain: string;
  /** Whether this change counts under --fail-on (decides the exit code). */
  counts: boolean;
}

export type Change =
  | (Base & { kind: 'domain-added'; status: ResultStatus })
  | (Base & { kind: 'domain-removed'; status: ResultStatus })
  | (Base & { kind: 'status-changed'; from: ResultStatus; to: ResultStatus; errors: string[] })
  | (Base & { kind: 'provider-added'; category: Category; provider: Provider; newDomain?: true; oldErrors?: string[] })
  | (Base & { kind: 'provider-removed'; category: Category; provider: Provider })
  | (Base & { kind: 'not-measured'; category: Category; errors: string[]; providers: Provider[] });

export type ChangeKind = Change['kind'];

/** A Change before --fail-on decided whether it counts (Omit distributed over the union). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Pending = DistributiveOmit<Change, 'counts'>;

export interface DiffSummary {
  oldDomains: number;
  newDomains: number;
  domainsAdded: number;
  domainsRemoved: number;
  statusChanged: number;
  providersAdded: number;
  providersRemoved: number;
  notMeasured: number;
  /** Changes that count under --fail-on. */
  counting: number;
}

export interface ScanDiff {
  failOn: FailOn;
  /** True when a change counts under failOn: `whoserves diff` exits 1. */
  failing: boolean;
  summary: DiffSummary;
  changes: Change[];
  /** Why the two scans may not be comparable (different databases, shards, duplicates). */
  warnings: string[];
}

export function diffScans(old: Scan, next: Scan, opts: { failOn: FailOn }): ScanDiff {
  const warnings = [...simulatedWarnings([['OLD', old.meta], ['NEW', next.meta]]), ...metaWarnings(old.meta, next.meta)];
  const before = byDomain(old.results, 'OLD', warnings);
  const after = byDomain(next.results, 'NEW', warnings);
  const changes: Pending[] = [];
  const domains = [...new Set([...before.keys(), ...after.keys()])].sort(compareStrings);
  for (const domain of domains) {
    const o = before.get(domain);
    const n = after.get(domain);
    if (o && n) compareDomain(o, n, changes);
    else if (n) {
      changes.push({ kind: 'domain-added', domain, status: statusOf(n) });
      if (statusOf(n) !== 'failed') {
        for (const category of CATEGORIES) {
          for (const provider of providers(n.services[category], category).values()) {
            changes.push({ kind: 'provider-added', domain, category, provider, newDomain: true });
          }
        }
      }
    } else if (o) changes.push({ kind: 'domain-removed', domain, status: statusOf(o) });
  }
  const counted = changes.map((c) => ({ ...c, counts: counts(c, opts.failOn) }) as Change).sort(compareChanges);
  const summary: DiffSummary = {
    oldDomains: before.size,
    newDomains: after.size,
    domainsAdded: countKind(counted, 'domain-added'),
    domainsRemoved: countKind(counted, 'domain-removed'),
    statusChanged: countKind(counted, 'status-changed'),
    providersAdded: countKind(counted, 'provider-added'),
    providersRemoved: countKind(counted, 'provider-removed'),
    notMeasured: countKind(counted, 'not-measured'),
    counting: counted.filter((c) => c.counts).length,
  };
  return { failOn: opts.failOn, failing: summary.counting > 0, summary, changes: counted, warnings };
}

function compareDomain(o: Result, n: Result, out: Pending[]): void {
  const domain = n.domain;
  const from = statusOf(o);
  const to = statusOf(n);
  if (from !== to) out.push({ kind: 'status-changed', domain, from, to, errors: [...new Set(n.errors.map(errorLabel))].sort() });
  if (from === 'failed' || to === 'failed') return; // not measured: no provider changes
  const oldGaps = impairments(o);
  const newGaps = impairments(n);
  for (const category of CATEGORIES) {
    const was = providers(o.services[category], category);
    const now = providers(n.services[category], category);
    for (const [key, provider] of now) {
      if (was.has(key)) continue;
      const oldErrors = oldGaps.get(category);
      out.push({ kind: 'provider-added', domain, category, provider, ...(oldErrors ? { oldErrors } : {}) });
    }
    const lost = [...was].filter(([key]) => !now.has(key)).map(([, p]) => p);
    if (lost.length === 0) continue;
    const errors = newGaps.get(category);
    if (errors) out.push({ kind: 'not-measured', domain, category, errors, providers: lost });
    else for (const provider of lost) out.push({ kind: 'provider-removed', domain, category, provider });
  }
}

/** Attributions of one category grouped by company (the stable key), sorted by key. */
export function providers(list: readonly Attribution[] | undefined, category?: Category): Map<string, Provider> {
  const out = new Map<string, Provider>();
  const software = new Map<string, boolean>();
  for (const a of list ?? []) {
    const key = providerKey(a);
    const p = out.get(key) ?? { key, company: a.company ?? null, companyName: a.companyName ?? null, country: a.country ?? null, vendors: [], evidence: [] };
    // Software only when every brand of the company here is (WordPress self-hosted, not WordPress VIP).
    software.set(key, (software.get(key) ?? true) && category !== undefined && category !== 'assets' && !isRelationship(category, a));
    if (!p.vendors.some((v) => v.id === (a.vendor ?? null) && v.name === (a.vendorName ?? null))) {
      p.vendors.push({ id: a.vendor ?? null, name: a.vendorName ?? null });
    }
    p.companyName ??= a.companyName ?? null;
    p.country ??= a.country ?? null;
    p.evidence = [...new Set([...p.evidence, ...(a.evidence ?? [])])];
    const root = rootOf(a);
    if (root && root.company !== p.company && !p.roots?.some((r) => r.company === root.company)) p.roots = [...(p.roots ?? []), root];
    out.set(key, p);
  }
  for (const p of out.values()) {
    if (software.get(p.key)) p.software = true;
    p.vendors.sort((x, y) => compareStrings(`${x.id ?? ''}\u0000${x.name ?? ''}`, `${y.id ?? ''}\u0000${y.name ?? ''}`));
    p.evidence.sort(compareStrings);
    p.roots?.sort((x, y) => compareStrings(x.company, y.company));
  }
  return new Map([...out].sort(([a], [b]) => compareStrings(a, b)));
}

/** A Result read from a file may carry anything in `root`: only a well-formed owner counts. */
function rootOf(a: Attribution): RootOwner | null {
  const r = a.root as Partial<RootOwner> | undefined;
  if (!r || typeof r !== 'object' || typeof r.company !== 'string' || r.company === '') return null;
  return { company: r.company, companyName: typeof r.companyName === 'string' ? r.companyName : r.company, country: typeof r.country === 'string' ? r.country : null };
}

/** Company id; an unmatched signal (vendor null) is keyed by what it is known as. */
export function providerKey(a: Attribution): string {
  if (a.company) return a.company;
  if (a.vendor) return `vendor:${a.vendor}`;
  return `unmatched:${(a.vendorName ?? '').trim().toLowerCase()}`;
}

function counts(change: Pending, failOn: FailOn): boolean {
  if (change.kind === 'not-measured') return false;
  if (failOn === 'any') return true;
  if (change.kind !== 'provider-added') return false;
  // Assets are resources the pages load, self-hosted software has a maker, not a provider
  // (docs/contracts.md): reported, not failed on.
  if (change.category === 'assets' || change.provider.software) return false;
  const country = failOnCountry(failOn);
  if (country === undefined) return true;
  // A certificate counts for the country of its brand's company and of its root's owner
  // (a TrustAsia certificate on a DigiCert root is a U.S. relationship too).
  const countries = [change.provider.country, ...(change.provider.roots ?? []).map((r) => r.country)];
  return countries.some((c) => (c ?? '').toUpperCase() === country);
}

/** Scans of a simulated world are not measured data: a summary built on them says so first, once. */
export function simulatedWarnings(scans: [string, ScanMeta | undefined][]): string[] {
  const found = scans.flatMap(([label, meta]) => {
    const world = simulatedWorld(meta);
    return world ? [{ label, world }] : [];
  });
  if (found.length === 0) return [];
  const worlds = [...new Set(found.map((f) => f.world))];
  const which = found.length === scans.length ? (scans.length === 2 ? 'both scans' : `all ${scans.length} scans`) : found.map((f) => f.label).join(', ');
  return [`${which} ran against a simulated world (${worlds.slice(0, 3).join(', ')}${worlds.length > 3 ? ', …' : ''}): not measured data`];
}

/** Why two scans may not be comparable: different databases, tool versions or shards. */
export function metaWarnings(old: ScanMeta | undefined, next: ScanMeta | undefined): string[] {
  if (!old && !next) return [];
  if (!old || !next) {
    return [`${old ? 'NEW' : 'OLD'} scan has no metadata (scan with --format json --meta): cannot check that both scans used the same databases`];
  }
  const warnings: string[] = [];
  const differs = (what: string, a: unknown, b: unknown, why: string) => {
    if (a !== b) warnings.push(`${what} differs (OLD ${show(a)}, NEW ${show(b)}): ${why}`);
  };
  const fromDb = 'some changes may come from the database, not from the sites';
  differs('vendor database', old.vendorDb, next.vendorDb, fromDb);
  differs('ASN source', old.asnSource, next.asnSource, fromDb);
  differs('ASN data date', old.asnDate, next.asnDate, fromDb);
  differs('tool version', old.version, next.version, 'detection may have changed');
  differs('shard', old.shard, next.shard, 'the scans may cover different domains');
  return warnings;
}

function show(v: unknown): string {
  return v === undefined || v === null || v === '' ? 'unknown' : String(v);
}

/** Results by domain; a domain listed twice keeps its last row, with a warning naming `side`. */
export function byDomain(results: readonly Result[], side: string, warnings: string[]): Map<string, Result> {
  const out = new Map<string, Result>();
  const dupes = new Set<string>();
  for (const r of results) {
    if (out.has(r.domain)) dupes.add(r.domain);
    out.set(r.domain, r);
  }
  if (dupes.size > 0) {
    const list = [...dupes].sort(compareStrings);
    warnings.push(`${side} lists ${list.length} domain(s) more than once (${list.slice(0, 5).join(', ')}${list.length > 5 ? ', …' : ''}); the last row was used`);
  }
  return out;
}

export function statusOf(r: Result): ResultStatus {
  return r.status ?? 'ok';
}

const KIND_ORDER: readonly ChangeKind[] = ['domain-added', 'domain-removed', 'status-changed', 'provider-removed', 'provider-added', 'not-measured'];

function compareChanges(a: Change, b: Change): number {
  return (
    compareStrings(a.domain, b.domain) ||
    categoryIndex(a) - categoryIndex(b) ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    compareStrings('provider' in a ? a.provider.key : '', 'provider' in b ? b.provider.key : '')
  );
}

function categoryIndex(c: Change): number {
  return 'category' in c ? CATEGORIES.indexOf(c.category) : -1;
}

function countKind(changes: readonly Change[], kind: ChangeKind): number {
  return changes.filter((c) => c.kind === kind).length;
}

/** Code-point order, independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
