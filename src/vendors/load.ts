// Load the vendor database: every *.json under the data dir, then the user's overlays (an entry
// with an existing id replaces it). A broken file fails loudly, naming file, vendor and field.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../paths.js';
import type { VendorEntry } from './types.js';
import { compileMatchers, type Matchers } from './match.js';
import { DEFAULT_CCADB_INDEX, loadCcadbIndex, type CcadbIndex } from './ccadb/index.js';
import { schemaProblems } from './schema.js';
import { semanticProblems } from './semantics.js';

export interface VendorDb {
  /** First 12 hex digits of the sha256 of the entries sorted by id (and the CCADB index's version): changes with the data. */
  version: string;
  /** The CCADB index of publicly trusted CAs (certificate brand, root and owner), when loaded. */
  ccadb: CcadbIndex | null;
  /** Sorted by id. */
  vendors: VendorEntry[];
  byId: Map<string, VendorEntry>;
  matchers: Matchers;
}

export class VendorDbError extends Error {
  override name = 'VendorDbError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export interface LoadOptions {
  overlays?: string[];
  dataDir?: string;
  /**
   * The CCADB index file: a path, or false for none. Default: the shipped index with the
   * shipped vendor data, none with another dataDir (tests building their own database).
   */
  ccadb?: string | false;
}

export const DEFAULT_DATA_DIR = fromRoot('src/vendors/data');

/** A file as shown in messages: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export interface SourcedEntry {
  file: string;
  entry: VendorEntry;
}

/** Read and schema-check one file; problems are pushed, valid entries returned. */
function readVendorFile(file: string, problems: string[]): VendorEntry[] {
  const shown = displayPath(file);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const reason = e instanceof SyntaxError ? `invalid JSON: ${e.message}` : `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    problems.push(`${shown}: ${reason}`);
    return [];
  }
  const found = schemaProblems(data).map((p) => `${shown}: ${p}`);
  problems.push(...found);
  if (found.length > 0) return [];
  return (data as { vendors: VendorEntry[] }).vendors;
}

function dataFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => path.join(dir, n));
}

/** Load and check everything; problems are collected rather than thrown (for `vendors lint`). */
export function collectVendorDb(o: LoadOptions = {}): { db: VendorDb | null; problems: string[]; entries: SourcedEntry[] } {
  const problems: string[] = [];
  const byId = new Map<string, SourcedEntry>();
  for (const file of dataFiles(o.dataDir ?? DEFAULT_DATA_DIR)) {
    for (const entry of readVendorFile(file, problems)) {
      const prev = byId.get(entry.id);
      if (prev) problems.push(`${displayPath(file)}: vendor ${entry.id}: id: duplicate, already defined in ${displayPath(prev.file)}`);
      else byId.set(entry.id, { file, entry });
    }
  }
  for (const file of o.overlays ?? []) {
    const seen = new Set<string>();
    for (const entry of readVendorFile(file, problems)) {
      if (seen.has(entry.id)) problems.push(`${displayPath(file)}: vendor ${entry.id}: id: duplicate within the file`);
      seen.add(entry.id);
      byId.set(entry.id, { file, entry });
    }
  }
  const entries = [...byId.values()].sort((a, b) => (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0));
  problems.push(...semanticProblems(entries.map((e) => ({ file: displayPath(e.file), entry: e.entry }))));
  if (problems.length > 0) return { db: null, problems, entries };
  const ccadbFile = o.ccadb ?? (o.dataDir === undefined ? DEFAULT_CCADB_INDEX : false);
  return { db: buildDb(entries.map((e) => e.entry), ccadbFile === false ? null : loadCcadbIndex(ccadbFile)), problems, entries };
}

export function buildDb(vendors: VendorEntry[], ccadb: CcadbIndex | null = null): VendorDb {
  const sorted = [...vendors].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const hash = createHash('sha256').update(JSON.stringify(sorted));
  if (ccadb) hash.update(`\u0000ccadb ${ccadb.version}`);
  const version = hash.digest('hex').slice(0, 12);
  return {
    version,
    ccadb,
    vendors: sorted,
    byId: new Map(sorted.map((v) => [v.id, v])),
    matchers: compileMatchers(sorted),
  };
}

/** The vendor database, or a VendorDbError listing every problem. */
export function loadVendorDb(o: LoadOptions = {}): VendorDb {
  const { db, problems } = collectVendorDb(o);
  if (!db) throw new VendorDbError(problems);
  return db;
}
