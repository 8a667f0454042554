// Scan metadata: what produced a set of Results, so a diff can tell a change in the world
// from a change in the tool's databases. Printed by `scan --format json --meta`.
import type { Result } from '../types.js';

export interface ScanMeta {
  /** "whoserves" */
  tool: string;
  /** Tool version (package.json). */
  version: string;
  /** Version hash of the vendor database (built-in plus overlays). */
  vendorDb: string;
  /** IP → ASN source: "db", "cymru", "file", or "world". */
  asnSource?: string;
  /** Date of the IP → ASN data (YYYY-MM-DD), when known. */
  asnDate?: string;
  /** ISO 8601. */
  startedAt: string;
  finishedAt?: string;
  /** The options the scan ran with (those that change what is found). */
  options: Record<string, unknown>;
  /** "K/N" when the scan covered one shard of its input. */
  shard?: string;
  /** Set when the scan ran against a simulated world (--world FILE, or a served world): not measured data. */
  simulated?: { world: string; note: string };
  /** `merge`: every file merged, with its shard and scan times. */
  shards?: { file: string; shard?: string; startedAt?: string; finishedAt?: string }[];
  /** `merge --allow-missing`: the shards that were missing. */
  incomplete?: string;
}

export const SIMULATED_NOTE = 'simulated world: not measured data';

/** The simulated world a scan ran against, if any (older metadata: its --world option). */
export function simulatedWorld(meta: unknown): string | undefined {
  if (!meta || typeof meta !== 'object') return undefined;
  const m = meta as { simulated?: { world?: unknown }; options?: { world?: unknown } };
  if (typeof m.simulated?.world === 'string') return m.simulated.world;
  return typeof m.options?.world === 'string' ? m.options.world : undefined;
}

/** A set of Results, with the metadata of the scan that produced them when known. */
export interface Scan {
  meta?: ScanMeta;
  results: Result[];
}
