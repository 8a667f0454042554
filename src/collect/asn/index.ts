// IP → ASN behind one interface, three sources: the embedded database (offline, default),
// Team Cymru over DNS (fresh; what runs against a world), or a file the user supplies.
// Every answer is tagged with its source and data date; an unknown address is `asn: null`.
import type { AsnInfo } from '../../types.js';
import { CymruSource, type TxtLookup } from './cymru.js';
import { defaultCacheDir, loadDb, packageInfo } from './db.js';
import { FileAsnTable } from './file.js';
import type { RangeTable } from './ranges.js';

export { AsnFileError } from './file.js';
export type { TxtLookup } from './cymru.js';

export interface AsnSource {
  kind: 'db' | 'cymru' | 'file';
  /** Date of the data (YYYY-MM-DD), when known. */
  date?: string;
  /** Never rejects. */
  lookup(ip: string): Promise<AsnInfo>;
  close?(): Promise<void>;
}

export type AsnSourceOptions =
  /** `cacheDir`: where the compiled database is kept (default ~/.cache/whoserves; false: none). */
  | { kind: 'db'; cacheDir?: string | false }
  | { kind: 'cymru'; resolver: TxtLookup }
  | { kind: 'file'; file: string };

/** Rejects only for a bad --asn-db file (AsnFileError naming FILE:LINE). */
export async function openAsnSource(opts: AsnSourceOptions): Promise<AsnSource> {
  switch (opts.kind) {
    case 'db':
      return dbSource(opts.cacheDir);
    case 'cymru':
      return cymruSource(opts.resolver);
    case 'file':
      return fileSource(opts.file);
  }
}

function dbSource(cacheDir: string | false = defaultCacheDir()): AsnSource {
  const date = packageInfo().date;
  // Loaded on the first lookup, so a scan that never needs an ASN pays nothing.
  let table: RangeTable | undefined;
  let failed = false;
  const unknown = (): AsnInfo => (date ? { asn: null, source: 'db', date } : { asn: null, source: 'db' });
  return {
    kind: 'db',
    ...(date ? { date } : {}),
    lookup: async (ip) => {
      if (!table && !failed) {
        try {
          table = loadDb(cacheDir).table;
        } catch {
          failed = true; // a broken install: every answer unknown rather than a crash per address
        }
      }
      const hit = table?.lookup(ip);
      if (!hit) return unknown();
      const info: AsnInfo = { asn: hit.asn, prefix: hit.prefix, source: 'db' };
      if (hit.name) info.asName = hit.name;
      if (date) info.date = date;
      return info;
    },
  };
}

function cymruSource(resolver: TxtLookup): AsnSource {
  const c = new CymruSource(resolver);
  return { kind: 'cymru', date: c.date, lookup: (ip) => c.lookup(ip) };
}

function fileSource(file: string): AsnSource {
  const t = FileAsnTable.load(file);
  return {
    kind: 'file',
    lookup: async (ip) => {
      const hit = t.lookup(ip);
      return hit ? { ...hit, source: 'file' } : { asn: null, source: 'file' };
    },
  };
}
