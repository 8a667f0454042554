// Joining the outputs of shards (--shard K/N) into one scan. A domain in two files means the
// shards overlap (different N, a file given twice, a re-run): an error, never a silent pick.
import { UsageError } from '../errors.js';
import type { Result } from '../types.js';
import type { Scan, ScanMeta } from './meta.js';
import { compareStrings } from './diff.js';

export interface NamedScan extends Scan {
  /** Where it came from, for error messages. */
  file: string;
}

export interface MergedScan extends Scan {
  warnings: string[];
}

export interface MergeOptions {
  /** Merge even when shards are missing (the merged scan is then incomplete, and says so). */
  allowMissing?: boolean;
}

export function mergeScans(inputs: readonly NamedScan[], opts: MergeOptions = {}): MergedScan {
  const seen = new Map<string, string>(); // domain → file
  const results: { r: Result; order: number }[] = [];
  for (const input of inputs) {
    for (const r of input.results) {
      const other = seen.get(r.domain);
      if (other !== undefined) {
        const where = other === input.file ? `twice in ${input.file}` : `in both ${other} and ${input.file}`;
        throw new UsageError(`merge: ${r.domain} is ${where}: the shards overlap (same K/N for every shard?)`);
      }
      seen.set(r.domain, input.file);
      results.push({ r, order: results.length });
    }
  }
  // Input order of the unsharded scan: by input line when every row has one, else as given.
  const allLines = results.every(({ r }) => typeof r.input?.line === 'number');
  if (allLines) {
    results.sort(
      (a, b) =>
        compareStrings(String(a.r.input.file ?? ''), String(b.r.input.file ?? '')) ||
        a.r.input.line - b.r.input.line ||
        a.order - b.order,
    );
  }
  const warnings: string[] = [];
  const meta = mergeMeta(inputs, warnings, opts);
  const merged = results.map(({ r }) => r);
  return meta ? { meta, results: merged, warnings } : { results: merged, warnings };
}

/**
 * One meta for the whole scan: earliest start, latest end, `shards` naming every file merged
 * (with its shard and times); warns on mismatch, refuses a missing shard unless allowed.
 */
function mergeMeta(inputs: readonly NamedScan[], warnings: string[], opts: MergeOptions): ScanMeta | undefined {
  const metas = inputs.map((i) => i.meta);
  const first = metas.find((m): m is ScanMeta => m !== undefined);
  if (!first) return undefined;
  if (metas.some((m) => m === undefined)) warnings.push('some inputs have no metadata; the merged metadata comes from the others');
  const present = metas.filter((m): m is ScanMeta => m !== undefined);
  for (const key of ['vendorDb', 'asnSource', 'asnDate', 'version'] as const) {
    const values = [...new Set(present.map((m) => m[key] ?? ''))];
    if (values.length > 1) warnings.push(`the shards differ in ${key} (${values.map((v) => v || 'unknown').join(', ')})`);
  }
  const missing = missingShards(present, warnings);
  if (missing) {
    if (!opts.allowMissing) throw new UsageError(`merge: ${missing} missing: give every shard's file, or --allow-missing to merge an incomplete scan`);
    warnings.push(`${missing} missing: the merged scan is incomplete`);
  }
  const { shard: _shard, shards: _shards, ...rest } = first;
  const starts = present.map((m) => m.startedAt).filter(Boolean).sort(compareStrings);
  const ends = present.map((m) => m.finishedAt ?? '').filter(Boolean).sort(compareStrings);
  const shards = inputs.map((i) => ({
    file: i.file,
    ...(i.meta?.shard ? { shard: i.meta.shard } : {}),
    ...(i.meta?.startedAt ? { startedAt: i.meta.startedAt } : {}),
    ...(i.meta?.finishedAt ? { finishedAt: i.meta.finishedAt } : {}),
  }));
  return { ...rest, startedAt: starts[0] ?? first.startedAt, ...(ends.length ? { finishedAt: ends[ends.length - 1] } : {}), shards, ...(missing ? { incomplete: missing } : {}) };
}

/** "shard(s) 2/3 missing"-style text when the K/N set has holes; undefined when complete or unsharded. */
function missingShards(metas: readonly ScanMeta[], warnings: string[]): string | undefined {
  const shards = metas.map((m) => m.shard).filter((s): s is string => typeof s === 'string');
  if (shards.length === 0) return undefined;
  const ns = new Set(shards.map((s) => s.split('/')[1]));
  if (ns.size > 1) {
    warnings.push(`the shards were cut with different N (${[...ns].join(', ')})`);
    return undefined;
  }
  const n = Number([...ns][0]);
  const ks = new Set(shards.map((s) => Number(s.split('/')[0])));
  const missing: number[] = [];
  for (let k = 1; k <= n; k++) if (!ks.has(k)) missing.push(k);
  if (missing.length === 0) return undefined;
  const shown = missing.slice(0, 20).map((k) => `${k}/${n}`).join(', ') + (missing.length > 20 ? `, … (${missing.length} in all)` : '');
  return `shard(s) ${shown}`;
}
