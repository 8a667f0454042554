// A user-supplied IP → ASN database (--asn-db FILE), newer than the embedded one. One entry a
// line, `#` comments and an optional header line; CSV or TSV, detected per line:
//   prefix,asn,name,country            8.8.8.0/24,15169,GOOGLE,US   (ASN may be written AS15169)
//   start,end,asn,name                 ip-location-db's format, addresses as text or numbers
//   start<TAB>end<TAB>asn<TAB>cc<TAB>name   iptoasn.com's ip2asn TSV (ASN 0 = not routed: skipped)
// A line that is none of these is an error naming FILE:LINE, so a wrong file is not silently half-read.
import { InputError } from '../../errors.js';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { AsnInfo } from '../../types.js';
import { splitLine } from './csv.js';
import { ipv4ToInt, ipv6ToBigInt, parseCidr, PrefixTable } from './ip.js';
import { RangeBuilder, type RangeTable } from './ranges.js';

export class AsnFileError extends InputError {
  override name = 'AsnFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super('ASN_FILE', `${file}:${line}: ${reason}`);
  }
}

interface Entry {
  asn: number;
  name: string;
  country: string;
}

/** Longest line accepted; AS names are short, a huge line means a wrong file. */
const MAX_LINE = 4096;
const MAX_U32 = 0xffffffff;

export class FileAsnTable {
  private constructor(
    private readonly prefixes: PrefixTable<Entry>,
    private readonly ranges: RangeTable,
    readonly entries: number,
  ) {}

  static load(file: string): FileAsnTable {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new AsnFileError(file, 0, `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return FileAsnTable.parse(text, file);
  }

  static parse(text: string, file: string): FileAsnTable {
    const prefixes = new PrefixTable<Entry>();
    const ranges = new RangeBuilder();
    let entries = 0;
    let sawData = false;
    const lines = text.split('\n');
    lines.forEach((raw, i) => {
      const lineNo = i + 1;
      const line = raw.replace(/\r$/, '').replace(/^\uFEFF/, '');
      if (line.trim() === '' || line.trimStart().startsWith('#')) return;
      const fail = (reason: string): never => {
        throw new AsnFileError(file, lineNo, reason);
      };
      if (line.length > MAX_LINE) fail(`line longer than ${MAX_LINE} characters`);
      const f = splitLine(line).map((s) => s.trim());
      const first = f[0] ?? '';
      const isData = first.includes('/') ? parseCidr(first) !== undefined : isAddress(first);
      if (!sawData && !isData && /[a-z]/i.test(first) && !isIP(first)) {
        sawData = true; // a header line such as "prefix,asn,name,country"
        return;
      }
      sawData = true;
      if (f.length < 3) fail(`expected prefix,asn,name,country or start,end,asn,name; got ${f.length} field(s)`);
      if (first.includes('/')) {
        const cidr = parseCidr(first) ?? fail(`bad prefix ${JSON.stringify(first.slice(0, 60))}`);
        const asn = parseAsn(f[1]!) ?? fail(`bad AS number ${JSON.stringify(f[1]!.slice(0, 30))}`);
        prefixes.add(cidr, { asn, name: f[2] ?? '', country: country(f[3]) });
        entries++;
        return;
      }
      const tsv = line.includes('\t') && f.length >= 5;
      const start = address(first) ?? fail(`bad address or prefix ${JSON.stringify(first.slice(0, 60))}`);
      const end = address(f[1]!) ?? fail(`bad range end ${JSON.stringify(f[1]!.slice(0, 60))}`);
      const asn = parseAsn(f[2]!) ?? fail(`bad AS number ${JSON.stringify(f[2]!.slice(0, 30))}`);
      const numeric = isNumeric(first) && isNumeric(f[1]!);
      const s = BigInt(start);
      const e = BigInt(end);
      // Text addresses say their family; numbers are IPv4 when they fit 32 bits.
      const v4 = numeric ? e <= BigInt(MAX_U32) : ipv4ToInt(first) !== undefined;
      if (!numeric && v4 !== (ipv4ToInt(f[1]!) !== undefined)) fail('range mixes IPv4 and IPv6');
      if (e < s) fail('range end before its start');
      if (asn === 0 && tsv) return; // iptoasn: "Not routed"
      const name = tsv ? (f[4] ?? '') : (f[3] ?? '');
      const key = `${name}\t${tsv ? country(f[3]) : ''}`;
      if (v4) ranges.addV4(Number(s), Number(e), asn, key);
      else ranges.addV6(s, e, asn, key);
      entries++;
    });
    if (entries === 0) throw new AsnFileError(file, lines.length, 'no entries');
    return new FileAsnTable(prefixes, ranges.build(), entries);
  }

  lookup(ip: string): Omit<AsnInfo, 'source'> | undefined {
    const p = this.prefixes.lookup(ip);
    if (p) {
      const info: Omit<AsnInfo, 'source'> = { asn: p.value.asn, prefix: p.cidr.text };
      if (p.value.name) info.asName = p.value.name;
      if (p.value.country) info.country = p.value.country;
      return info;
    }
    const r = this.ranges.lookup(ip);
    if (!r) return undefined;
    const [name = '', cc = ''] = r.name.split('\t');
    const info: Omit<AsnInfo, 'source'> = { asn: r.asn, prefix: r.prefix };
    if (name) info.asName = name;
    if (cc) info.country = cc;
    return info;
  }
}

function isNumeric(s: string): boolean {
  return /^\d{1,39}$/.test(s);
}

function isAddress(s: string): boolean {
  return address(s) !== undefined;
}

/** An address as text (IPv4 → number, IPv6 → bigint) or as a decimal number. */
function address(s: string): number | bigint | undefined {
  const v4 = ipv4ToInt(s);
  if (v4 !== undefined) return v4;
  const v6 = ipv6ToBigInt(s);
  if (v6 !== undefined) return v6;
  if (!isNumeric(s)) return undefined;
  const n = BigInt(s);
  if (n >= 1n << 128n) return undefined;
  return n <= BigInt(MAX_U32) ? Number(n) : n;
}

function parseAsn(s: string): number | undefined {
  const m = /^(?:AS)?(\d{1,10})$/i.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n <= MAX_U32 ? n : undefined;
}

function country(s: string | undefined): string {
  return s && /^[A-Za-z]{2}$/.test(s) ? s.toUpperCase() : '';
}
