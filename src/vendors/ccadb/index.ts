// The CCADB index, loaded: which publicly disclosed CA a leaf's issuer is, its brand, the root it
// chains to and that root's owner. Lookups by key identifier and exact name are built at load
// (a few ms); the loose (O, CN) table only when a lookup needs it.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { fromRoot } from '../../paths.js';
import { parseIssuer } from '../match.js';
import { dnKey, ocnKey, type NameRecord } from './names.js';
import type { CcadbIndexFile, NameCell } from './types.js';

export const DEFAULT_CCADB_INDEX = fromRoot('src/vendors/ccadb/index.json');

export interface CcadbCompany {
  id: string;
  name: string;
  country: string | null;
  /** The brand as shown: "TrustAsia", "DigiCert". */
  brand: string;
}

export interface CcadbRoot {
  dn: string;
  /** The root certificate when the report holds it (older roots are known by name only). */
  cert: number | null;
  owner: CcadbCompany;
}

export interface CcadbCa {
  /** Position in the index. */
  at: number;
  /** SHA-256 of the certificate, hex uppercase. */
  sha256: string;
  /** Subject Key Identifier, hex lowercase; "" when the certificate has none. */
  ski: string;
  /** Subject name as a leaf's issuer shows it (dnKey). */
  dn: string;
  subject: NameRecord;
  /** The issuing certificate in the index, or null (self-signed, or issuer outside the report). */
  parent: number | null;
  root: CcadbRoot;
  brand: CcadbCompany;
  tls: boolean;
  /** YYYY-MM-DD */
  notBefore: string;
  notAfter: string;
}

export type MatchKind = 'aki' | 'dn' | 'o-cn';

/** A CCADB index file (--ccadb) that cannot be read or is not one: exit 2. */
/** A JSON file of ours or the user's, or a CcadbIndexError naming it and why. */
export function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const reason = e instanceof SyntaxError ? `invalid JSON: ${e.message}` : `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    throw new CcadbIndexError(`${file}: ${reason}`);
  }
}

export class CcadbIndexError extends InputError {
  override name = 'CcadbIndexError';
  constructor(message: string) {
    super('CCADB_INDEX', message);
  }
}

const DAY_MS = 86_400_000;
const isoOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64').replace(/=+$/, '');
const hexOf = (b: string): string => Buffer.from(b, 'base64').toString('hex');

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

export class CcadbIndex {
  readonly version: string;
  readonly source: CcadbIndexFile['source'];
  private readonly companies: CcadbCompany[];
  private readonly roots: CcadbRoot[];
  // Each lookup table is built on its first use: a scan that finds its CAs by AKI never builds the others.
  private bySki: Map<string, number[]> | undefined;
  private byDn: Map<string, number[]> | undefined;
  private byOcn: Map<string, number[]> | undefined;

  constructor(private readonly file: CcadbIndexFile) {
    this.version = file.version;
    this.source = file.source;
    this.companies = file.companies.map(([id, name, country, brand]) => ({ id, name, country, brand }));
    this.roots = file.roots.map(([name, cert, owner]) => ({ dn: this.dnAt(name), cert: cert < 0 ? null : cert, owner: this.companies[owner]! }));
  }

  /** A table of CA positions by a key of each row (rows without a key are left out). */
  private table(key: (row: CcadbIndexFile['cas'][number]) => string | null): Map<string, number[]> {
    const map = new Map<string, number[]>();
    const rows = this.file.cas;
    for (let i = 0; i < rows.length; i++) {
      const k = key(rows[i]!);
      if (k !== null) push(map, k, i);
    }
    return map;
  }

  /** Number of CA certificates. */
  get size(): number {
    return this.file.cas.length;
  }

  private dnAt(i: number): string {
    const cell = this.file.names[i]!;
    return typeof cell === 'string' ? cell : dnKey(Object.fromEntries(cell));
  }

  private recordAt(i: number): NameRecord {
    const cell: NameCell = this.file.names[i]!;
    return typeof cell === 'string' ? parseIssuer(cell) : Object.fromEntries(cell);
  }

  ca(at: number): CcadbCa {
    const [sha, ski, name, parent, root, brand, tls, notBefore, notAfter] = this.file.cas[at]!;
    return {
      at,
      sha256: hexOf(sha).toUpperCase(),
      ski: hexOf(ski),
      dn: this.dnAt(name),
      subject: this.recordAt(name),
      parent: parent < 0 ? null : parent,
      root: this.roots[root]!,
      brand: this.companies[brand]!,
      tls: tls === 1,
      notBefore: isoOfDay(notBefore),
      notAfter: isoOfDay(notAfter),
    };
  }

  /** CAs whose Subject Key Identifier is `hex` (a leaf's Authority Key Identifier). */
  bySubjectKeyId(hex: string): number[] {
    if (!/^[0-9a-f]+$/i.test(hex) || hex.length % 2 !== 0) return [];
    this.bySki ??= this.table((row) => (row[1] === '' ? null : row[1]));
    return this.bySki.get(b64(hex.toLowerCase())) ?? [];
  }

  /** CAs whose subject is exactly this name. */
  byName(name: NameRecord): number[] {
    this.byDn ??= this.table((row) => this.dnAt(row[2]));
    return this.byDn.get(dnKey(name)) ?? [];
  }

  /** CAs whose (O, CN) is this name's, case, spacing and punctuation aside. */
  byOrgAndCn(name: NameRecord): number[] {
    const key = ocnKey(name);
    if (key === null || !name.CN) return [];
    if (!this.byOcn) {
      // One key per distinct name (several CAs share one), folded once.
      const keys = new Map<number, string | null>();
      this.byOcn = this.table((row) => {
        if (!keys.has(row[2])) keys.set(row[2], ocnKey(this.recordAt(row[2])));
        return keys.get(row[2])!;
      });
    }
    return this.byOcn.get(key) ?? [];
  }

  /** Every CA, for tools that build worlds or statistics from the index. */
  all(): CcadbCa[] {
    return this.file.cas.map((_, i) => this.ca(i));
  }
}

/** Structural check of an index file: a clear message rather than a crash deep in a scan. */
export function indexProblems(data: unknown): string[] {
  const p: string[] = [];
  const d = data as Partial<CcadbIndexFile> | null;
  if (!d || typeof d !== 'object') return ['not a JSON object'];
  if (d.format !== 1) p.push(`format: expected 1, got ${JSON.stringify(d.format)}`);
  for (const k of ['companies', 'names', 'roots', 'cas'] as const) if (!Array.isArray(d[k])) p.push(`${k}: expected an array`);
  if (typeof d.version !== 'string') p.push('version: expected a string');
  if (p.length) return p;
  const nNames = d.names!.length;
  const nCompanies = d.companies!.length;
  const nRoots = d.roots!.length;
  const nCas = d.cas!.length;
  const idx = (v: unknown, n: number, min = 0): boolean => Number.isInteger(v) && (v as number) >= min && (v as number) < n;
  d.companies!.forEach((c, i) => {
    if (!Array.isArray(c) || typeof c[0] !== 'string' || typeof c[1] !== 'string' || (c[2] !== null && typeof c[2] !== 'string') || typeof c[3] !== 'string') p.push(`companies[${i}]: expected [id, name, country|null, brand]`);
  });
  d.names!.forEach((n, i) => {
    if (typeof n !== 'string' && !(Array.isArray(n) && n.every((x) => Array.isArray(x) && x.length === 2 && x.every((s) => typeof s === 'string')))) p.push(`names[${i}]: expected a string or [attribute, value] pairs`);
  });
  d.roots!.forEach((r, i) => {
    if (!Array.isArray(r) || !idx(r[0], nNames) || !idx(r[1], nCas, -1) || !idx(r[2], nCompanies)) p.push(`roots[${i}]: expected [name, cert|-1, owner] within the tables`);
  });
  d.cas!.forEach((c, i) => {
    const ok =
      Array.isArray(c) && c.length === 9 && typeof c[0] === 'string' && typeof c[1] === 'string' && idx(c[2], nNames) && idx(c[3], nCas, -1) &&
      idx(c[4], nRoots) && idx(c[5], nCompanies) && (c[6] === 0 || c[6] === 1) && Number.isInteger(c[7]) && Number.isInteger(c[8]);
    if (!ok) p.push(`cas[${i}]: expected [sha256, ski, name, issuer|-1, root, brand, tls, notBefore, notAfter] within the tables`);
  });
  return p.slice(0, 20);
}

/**
 * Read an index file; a broken one throws CcadbIndexError naming the file and the fault. The
 * shipped index is checked by the test suite, not at every load (a few ms saved per run).
 */
export function loadCcadbIndex(file = DEFAULT_CCADB_INDEX): CcadbIndex {
  const data = readJson(file);
  const problems = file === DEFAULT_CCADB_INDEX ? [] : indexProblems(data);
  if (problems.length) throw new CcadbIndexError(problems.map((x) => `${file}: ${x}`).join('\n'));
  return new CcadbIndex(data as CcadbIndexFile);
}

/**
 * The shipped index, parsed on first use: its version is read from the head of the file (the
 * serializer writes it in the first lines), so a run that never meets a certificate costs nothing.
 */
export function lazyCcadbIndex(file = DEFAULT_CCADB_INDEX): { version: string; get: () => CcadbIndex } {
  let head = '';
  try {
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(4096);
      head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new CcadbIndexError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const version = /"version": "([0-9a-f]{12})"/.exec(head)?.[1];
  let ix: CcadbIndex | undefined;
  if (!version) {
    ix = loadCcadbIndex(file);
    return { version: ix.version, get: () => ix! };
  }
  return { version, get: () => (ix ??= loadCcadbIndex(file)) };
}
