// Load the vendor database: companies and vendors from every *.json under the data dir, then the
// user's overlays (an entry with an existing id replaces it). A broken file fails loudly, naming
// file, vendor or company, and field. The shipped data is validated once, when the package is
// built (index.ts writes dist/vendors/index.json); loading it skips the schema.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../paths.js';
import { InputError } from '../errors.js';
import type { Company, VendorEntry, VendorFile, VendorRecord } from './types.js';
import { compileMatchers, type Matchers } from './match.js';
import { schemaProblems } from './schema.js';
import { companyProblems, semanticProblems, type SourcedCompany } from './semantics.js';
import { readIndex } from './compiled.js';
import { DEFAULT_CCADB_INDEX, lazyCcadbIndex, loadCcadbIndex, type CcadbIndex } from './ccadb/index.js';

export interface VendorDb {
  /** First 12 hex digits of the sha256 of the entries sorted by id (and of the CCADB index's version): changes with the data. */
  version: string;
  /** The CCADB index of publicly trusted CAs (certificate brand, root and owner), when loaded. */
  ccadb: CcadbIndex | null;
  /** Sorted by id. */
  vendors: VendorEntry[];
  byId: Map<string, VendorEntry>;
  /** Every company, by id (including owners no vendor names directly, such as parents). */
  companies: Map<string, Company>;
  matchers: Matchers;
}

/** The vendor data or an overlay is broken: exit 2, one line per problem. */
export class VendorDbError extends InputError {
  override name = 'VendorDbError';
  constructor(readonly problems: string[]) {
    super('VENDOR_DATA', problems.join('\n'));
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

/** The shipped index is read on first use (most of its cost is parsing); a user's is checked now, so a bad file stops the command before it starts. */
function ccadbFor(o: LoadOptions): { version: string; get: () => CcadbIndex } | null {
  const file = o.ccadb ?? (o.dataDir === undefined ? DEFAULT_CCADB_INDEX : false);
  if (file === false) return null;
  if (file === DEFAULT_CCADB_INDEX) return lazyCcadbIndex(file);
  const ix = loadCcadbIndex(file);
  return { version: ix.version, get: () => ix };
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

interface SourcedRecord {
  file: string;
  record: VendorRecord;
}

export interface Collected {
  db: VendorDb | null;
  problems: string[];
  entries: SourcedEntry[];
  companies: SourcedCompany[];
}

/** What the data files say, before companies are resolved. */
export interface RawData {
  companies: SourcedCompany[];
  vendors: SourcedRecord[];
}

/** Read and schema-check one file; problems are pushed, a valid file returned. */
function readVendorFile(file: string, problems: string[]): VendorFile {
  const shown = displayPath(file);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const reason = e instanceof SyntaxError ? `invalid JSON: ${e.message}` : `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    problems.push(`${shown}: ${reason}`);
    return {};
  }
  const found = schemaProblems(data).map((p) => `${shown}: ${p}`);
  problems.push(...found);
  return found.length > 0 ? {} : (data as VendorFile);
}

export function dataFiles(dir: string): string[] {
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

/** sha256 of the data files' names and bytes: the compiled index is used only while it matches. */
export function dataHash(dir: string): string {
  const h = createHash('sha256');
  for (const file of dataFiles(dir)) h.update(path.basename(file)).update('\0').update(readFileSync(file)).update('\0');
  return h.digest('hex');
}

/** Every data file of a directory, schema-checked; duplicates reported. */
export function readDataDir(dir: string, problems: string[]): RawData {
  const raw: RawData = { companies: [], vendors: [] };
  const companyIds = new Map<string, string>();
  const vendorIds = new Map<string, string>();
  for (const file of dataFiles(dir)) {
    const shown = displayPath(file);
    const data = readVendorFile(file, problems);
    for (const company of data.companies ?? []) {
      const prev = companyIds.get(company.id);
      if (prev) problems.push(`${shown}: company ${company.id}: id: duplicate, already defined in ${prev}`);
      else companyIds.set(company.id, shown);
      raw.companies.push({ file: shown, company });
    }
    for (const record of data.vendors ?? []) {
      const prev = vendorIds.get(record.id);
      if (prev) problems.push(`${shown}: vendor ${record.id}: id: duplicate, already defined in ${prev}`);
      else vendorIds.set(record.id, shown);
      raw.vendors.push({ file: shown, record });
    }
  }
  return raw;
}

/** Overlays on top of the base: a company or vendor with an existing id replaces it. */
function applyOverlays(base: RawData, overlays: string[], problems: string[]): RawData {
  const companies = new Map(base.companies.map((c) => [c.company.id, c]));
  const vendors = new Map(base.vendors.map((v) => [v.record.id, v]));
  for (const file of overlays) {
    const shown = displayPath(file);
    const data = readVendorFile(file, problems);
    const seen = new Set<string>();
    for (const company of data.companies ?? []) companies.set(company.id, { file: shown, company });
    for (const record of data.vendors ?? []) {
      if (seen.has(record.id)) problems.push(`${shown}: vendor ${record.id}: id: duplicate within the file`);
      seen.add(record.id);
      vendors.set(record.id, { file: shown, record });
    }
  }
  return { companies: [...companies.values()], vendors: [...vendors.values()] };
}

/**
 * Resolve each vendor's company. A reference must name a stored company; an inline company (the
 * format before companies were stored once, still accepted in overlays) must agree with the
 * stored one of the same id, or becomes a company of its own.
 */
function resolve(raw: RawData, problems: string[]): { entries: SourcedEntry[]; companies: SourcedCompany[] } {
  const companies = new Map(raw.companies.map((c) => [c.company.id, c]));
  const entries: SourcedEntry[] = [];
  for (const { file, record } of raw.vendors) {
    const at = `${file}: vendor ${record.id}`;
    let company: Company | undefined;
    if (typeof record.company === 'string') {
      company = companies.get(record.company)?.company;
      if (!company) problems.push(`${at}: company: no company '${record.company}' (add it to companies.json)`);
    } else {
      const inline = record.company;
      const stored = companies.get(inline.id);
      if (!stored) {
        companies.set(inline.id, { file, company: inline, inline: true });
        company = inline;
      } else {
        if (stored.company.name !== inline.name) problems.push(`${at}: company.name: '${inline.name}' differs from '${stored.company.name}' in ${stored.file}`);
        if (stored.company.country !== inline.country) problems.push(`${at}: company.country: '${inline.country}' differs from '${stored.company.country}' in ${stored.file}`);
        company = stored.company;
      }
    }
    if (company) entries.push({ file, entry: { ...record, company } });
  }
  entries.sort((a, b) => (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0));
  return { entries, companies: [...companies.values()] };
}

/** Resolve and check everything; problems are collected rather than thrown (for `vendors lint`). */
function finish(raw: RawData, problems: string[]): Collected {
  const { entries, companies } = resolve(raw, problems);
  problems.push(...companyProblems(companies), ...semanticProblems(entries));
  if (problems.length > 0) return { db: null, problems, entries, companies };
  return { db: buildDb(entries.map((e) => e.entry), companies.map((c) => c.company)), problems, entries, companies };
}

/** Load and check everything from the data files, schema included (for `vendors lint` and the build). */
export function collectVendorDb(o: LoadOptions = {}): Collected {
  const problems: string[] = [];
  const base = readDataDir(o.dataDir ?? DEFAULT_DATA_DIR, problems);
  return finish(applyOverlays(base, o.overlays ?? [], problems), problems);
}

export function buildDb(vendors: VendorEntry[], companies: Company[] = vendors.map((v) => v.company)): VendorDb {
  const sorted = [...vendors].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const version = createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 12);
  return {
    version,
    ccadb: null,
    vendors: sorted,
    byId: new Map(sorted.map((v) => [v.id, v])),
    companies: new Map(companies.map((c) => [c.id, c])),
    matchers: compileMatchers(sorted),
  };
}

/** The database with the CCADB index attached (read when first used), its version changed with it. */
function withCcadb(db: VendorDb, ccadb: ReturnType<typeof ccadbFor>): VendorDb {
  if (!ccadb) return db;
  const out = { ...db, version: createHash('sha256').update(`${db.version}\u0000ccadb ${ccadb.version}`).digest('hex').slice(0, 12) };
  Object.defineProperty(out, 'ccadb', { get: ccadb.get, enumerable: true });
  return out;
}

/** What the scanner asks at fixed names: the DKIM selectors and TXT service names the rules mention, sorted. */
export function extraNames(db: VendorDb): { selectors: string[]; names: string[] } {
  const selectors = new Set<string>();
  const names = new Set<string>();
  for (const v of db.vendors) {
    for (const r of v.rules) {
      if (r.kind === 'dkim') selectors.add(r.selector);
      if (r.kind === 'txt' && r.name !== undefined) names.add(r.name);
    }
  }
  return { selectors: [...selectors].sort(), names: [...names].sort() };
}

/** The service names the txt rules name (_vercel, _amazonses), sorted: whose TXT the scanner asks. */
export function txtNames(db: VendorDb): string[] {
  return [...new Set(db.vendors.flatMap((v) => v.rules.flatMap((r) => (r.kind === 'txt' && r.name !== undefined ? [r.name] : []))))].sort();
}

/**
 * The vendor database, or a VendorDbError listing every problem. The shipped data comes from
 * the compiled index when it matches the data files (validated at build); overlays are always
 * validated here, and checked together with the data they change.
 */
export function loadVendorDb(o: LoadOptions = {}): VendorDb {
  const dir = o.dataDir ?? DEFAULT_DATA_DIR;
  const overlays = o.overlays ?? [];
  const index = dir === DEFAULT_DATA_DIR ? readIndex(dataHash(dir)) : null;
  if (index && overlays.length === 0) {
    return withCcadb(buildDb(index.vendors.map((v) => v.entry), index.companies.map((c) => c.company)), ccadbFor(o));
  }
  const problems: string[] = [];
  const base: RawData = index
    ? { companies: index.companies, vendors: index.vendors.map(({ file, entry }) => ({ file, record: { ...entry, company: entry.company.id } })) }
    : readDataDir(dir, problems);
  const { db } = finish(applyOverlays(base, overlays, problems), problems);
  if (!db) throw new VendorDbError(problems);
  return withCcadb(db, ccadbFor(o));
}
