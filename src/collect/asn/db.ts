// The embedded, offline IP → ASN database: the @ip-location-db/asn npm package (RouteViews,
// the five RIRs and DB-IP's IP to ASN Lite; CC BY 4.0, https://github.com/sapics/ip-location-db,
// attribution to https://db-ip.com). Its numeric CSVs (`start,end,asn,"org"`, inclusive ranges,
// IPv6 as 128-bit decimal) are compiled once into a RangeTable and cached on disk, so later
// runs only read one ~12 MB file.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { RangeBuilder, RangeTable } from './ranges.js';

const PACKAGE = '@ip-location-db/asn';

export interface DbInfo {
  dir: string;
  version: string;
  /** YYYY-MM-DD the data was published, from the package version (major.minor.YYYYMMDDHH). */
  date: string | undefined;
}

export function packageInfo(): DbInfo {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve(`${PACKAGE}/package.json`);
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version?: string };
  const version = String(pkg.version ?? '0.0.0');
  return { dir: path.dirname(pkgFile), version, date: versionDate(version) };
}

/** "2.3.2026061719" → "2026-06-17". */
export function versionDate(version: string): string | undefined {
  const m = /^\d+\.\d+\.(\d{4})(\d{2})(\d{2})\d{0,2}$/.exec(version);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'whoserves');
}

export interface LoadedDb {
  table: RangeTable;
  info: DbInfo;
  /** Whether the disk cache was used (false: compiled from the CSVs this time). */
  cached: boolean;
  ms: number;
}

/** Loads the compiled table from the cache, compiling and caching it first when needed. */
export function loadDb(cacheDir: string | false = defaultCacheDir()): LoadedDb {
  const t0 = performance.now();
  const info = packageInfo();
  const cacheFile = cacheDir ? path.join(cacheDir, `asn-${info.version}.bin`) : undefined;
  if (cacheFile) {
    try {
      const table = RangeTable.fromBytes(readFileSync(cacheFile));
      if (table) return { table, info, cached: true, ms: performance.now() - t0 };
    } catch {
      // no cache yet or unreadable: compile below
    }
  }
  const table = compileDb(info.dir);
  if (cacheFile && cacheDir) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, table.bytes());
      renameSync(tmp, cacheFile); // atomic: a concurrent reader never sees half a file
    } catch {
      // a read-only home still works, only slower on each run
    }
  }
  return { table, info, cached: false, ms: performance.now() - t0 };
}

export function compileDb(dir: string): RangeTable {
  const b = new RangeBuilder();
  // Each AS has one organisation name in this package (checked: 91k ASNs, no conflict), so
  // the name is decoded once per AS, not once per range.
  const nameOf = new Map<number, number>();
  const name = (asn: number, bytes: Buffer, from: number, to: number): number => {
    let id = nameOf.get(asn);
    if (id === undefined) {
      id = b.nameId(unquote(bytes.toString('utf8', from, to)));
      nameOf.set(asn, id);
    }
    return id;
  };
  eachRow(readFileSync(path.join(dir, 'asn-ipv4-num.csv')), (buf, f) => {
    const asn = num(buf, f[4]!, f[5]!);
    b.addV4(num(buf, f[0]!, f[1]!), num(buf, f[2]!, f[3]!), asn, name(asn, buf, f[6]!, f[7]!));
  });
  eachRow(readFileSync(path.join(dir, 'asn-ipv6-num.csv')), (buf, f) => {
    const asn = num(buf, f[4]!, f[5]!);
    const start = BigInt(buf.toString('latin1', f[0]!, f[1]!));
    const end = BigInt(buf.toString('latin1', f[2]!, f[3]!));
    b.addV6(start, end, asn, name(asn, buf, f[6]!, f[7]!));
  });
  return b.build();
}

/**
 * Calls `row` with the byte offsets [from, to) of the four fields of each well-formed line
 * (three decimal numbers, then the rest of the line as the name); other lines are skipped.
 * Works on bytes: splitting 30 MB into strings first costs seconds.
 */
function eachRow(buf: Buffer, row: (buf: Buffer, fields: number[]) => void): void {
  const f = [0, 0, 0, 0, 0, 0, 0, 0];
  let at = 0;
  while (at < buf.length) {
    let nl = buf.indexOf(10, at);
    if (nl < 0) nl = buf.length;
    let end = nl;
    if (end > at && buf[end - 1] === 13) end--;
    let p = at;
    let ok = true;
    for (let k = 0; k < 3 && ok; k++) {
      const from = p;
      while (p < end && buf[p]! >= 48 && buf[p]! <= 57) p++;
      if (p === from || p - from > 39 || buf[p] !== 44) ok = false;
      f[k * 2] = from;
      f[k * 2 + 1] = p;
      p++;
    }
    if (ok) {
      f[6] = p;
      f[7] = end;
      row(buf, f);
    }
    at = nl + 1;
  }
}

function num(buf: Buffer, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (buf[i]! - 48);
  return v;
}

/** `"LLC ""SPUTNIK"""` → `LLC "SPUTNIK"`; an unquoted name as it is. */
function unquote(s: string): string {
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1).replaceAll('""', '"');
  return s;
}
