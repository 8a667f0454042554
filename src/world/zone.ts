// A world's zones: zone-file presentation strings (RFC 1035 §5.1) compiled into a record store
// the DNS server answers from. One string is one record: `owner [ttl] [class] type rdata`.
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { WorldError } from './errors.js';
import type { World } from './types.js';

export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'NS', 'MX', 'TXT', 'SOA', 'CAA', 'SRV', 'PTR'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** A record in dns-packet's answer shape, so the server encodes it as is. Names lowercase, no trailing dot. */
export type ZoneRecord =
  | { name: string; type: 'A' | 'AAAA' | 'CNAME' | 'NS' | 'PTR'; ttl: number; class: 'IN'; data: string }
  | { name: string; type: 'MX'; ttl: number; class: 'IN'; data: { preference: number; exchange: string } }
  // Buffers, not strings: dns-packet's TXT encoder replaces strings by Buffers in place.
  | { name: string; type: 'TXT'; ttl: number; class: 'IN'; data: Buffer[] }
  | { name: string; type: 'SOA'; ttl: number; class: 'IN'; data: SoaData }
  | { name: string; type: 'CAA'; ttl: number; class: 'IN'; data: { flags: number; tag: string; value: string } }
  | {
      name: string;
      type: 'SRV';
      ttl: number;
      class: 'IN';
      data: { priority: number; weight: number; port: number; target: string };
    };

export interface CnameRecord {
  name: string;
  type: 'CNAME';
  ttl: number;
  class: 'IN';
  data: string;
}

export const DEFAULT_TTL = 3600;
const MAX_TTL = 2 ** 31 - 1;

class RecordSyntaxError extends Error {}

// ------------------------------------------------------------------ tokenizer

interface Token {
  /** The token as text (escapes decoded). */
  text: string;
  /** The same as bytes, one char per byte: literal text as UTF-8, `\DDD` as that byte. */
  bin: string;
  quoted: boolean;
}

/** Splits one record into tokens: quotes, `\X` and `\DDD` escapes, `;` comments, parentheses ignored. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 10 || c === 40 || c === 41) {
      i++;
      continue;
    }
    if (c === 59) break; // ;
    const quoted = c === 34;
    if (quoted) i++;
    let text = '';
    let bin = '';
    let closed = !quoted;
    let run = i; // start of a run of plain characters, copied with one slice
    while (i < n) {
      const d = line.charCodeAt(i);
      if (quoted ? d === 34 : d === 32 || d === 9 || d === 40 || d === 41 || d === 59 || d === 34) break;
      if (d === 92) {
        const plain = line.slice(run, i);
        text += plain;
        bin += asBytes(plain);
        const digits = line.slice(i + 1, i + 4);
        if (/^[0-9]{3}$/.test(digits)) {
          const code = Number(digits);
          if (code > 255) throw new RecordSyntaxError(`bad escape \\${digits}`);
          text += String.fromCharCode(code);
          bin += String.fromCharCode(code);
          i += 4;
        } else if (i + 1 < n) {
          const e = line[i + 1]!;
          text += e;
          bin += asBytes(e);
          i += 2;
        } else throw new RecordSyntaxError('dangling backslash');
        run = i;
        continue;
      }
      i++;
    }
    const plain = line.slice(run, i);
    text += plain;
    bin += asBytes(plain);
    if (quoted) {
      if (i >= n) throw new RecordSyntaxError('unterminated quoted string');
      closed = true;
      i++;
    }
    if (!closed) throw new RecordSyntaxError('unterminated quoted string');
    tokens.push({ text, bin, quoted });
  }
  return tokens;
}

/** Text as one char per UTF-8 byte. */
function asBytes(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

// ------------------------------------------------------------------ names

/** Lowercase ASCII (punycode) form of a name, no trailing dot; throws on an invalid one. */
export function canonicalName(name: string): string {
  let n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (/[^\x00-\x7f]/.test(n)) {
    const ascii = domainToASCII(n);
    if (!ascii) throw new RecordSyntaxError(`bad name ${JSON.stringify(name)}`);
    n = ascii;
  }
  n = n.toLowerCase();
  if (n.length > 253) throw new RecordSyntaxError(`name too long: ${name}`);
  // Labels of 1..63 characters (checked without split(): this runs for every record).
  let start = 0;
  for (let i = 0; i <= n.length; i++) {
    if (i === n.length || n.charCodeAt(i) === 46) {
      const len = i - start;
      if (n.length > 0 && (len === 0 || len > 63)) throw new RecordSyntaxError(`bad name ${JSON.stringify(name)}`);
      start = i + 1;
    }
  }
  return n;
}

/** Absolute form of a name as written in zone `origin`: `@`, relative or absolute (trailing dot). */
function absolute(name: string, origin: string): string {
  if (name === '@') return origin;
  if (name === '.') return '';
  if (name.endsWith('.')) return canonicalName(name);
  const rel = canonicalName(name);
  return origin === '' ? rel : `${rel}.${origin}`;
}

function isUnder(name: string, zone: string): boolean {
  return zone === '' || name === zone || name.endsWith(`.${zone}`);
}

// ------------------------------------------------------------------ records

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A TTL as BIND writes it: `3600`, `1h`, `1h30m`; undefined when the token is no TTL. */
function parseTtl(s: string): number | undefined {
  if (/^[0-9]+$/.test(s)) return Math.min(Number(s), MAX_TTL);
  if (!/^([0-9]+[smhdw])+$/i.test(s)) return undefined;
  let total = 0;
  for (const m of s.toLowerCase().matchAll(/([0-9]+)([smhdw])/g)) total += Number(m[1]) * TTL_UNITS[m[2]!]!;
  return Math.min(total, MAX_TTL);
}

function uint(s: string | undefined, max: number, what: string): number {
  if (s === undefined || !/^[0-9]+$/.test(s) || Number(s) > max) throw new RecordSyntaxError(`bad ${what}: ${s ?? 'missing'}`);
  return Number(s);
}

/** A character-string is at most 255 bytes on the wire: longer ones are split, as most tools do. */
function txtChunks(strings: string[]): Buffer[] {
  const out: Buffer[] = [];
  for (const s of strings) {
    if (s.length <= 255) {
      out.push(Buffer.from(s, 'latin1'));
      continue;
    }
    for (let i = 0; i < s.length; i += 255) out.push(Buffer.from(s.slice(i, i + 255), 'latin1'));
  }
  return out;
}

/**
 * Parses one presentation-format record of `zone`. `previousOwner` is used when the string starts
 * with blank space (the zone-file convention for "same owner as before").
 */
export function parseRecord(line: string, zone: string, previousOwner?: string): ZoneRecord {
  const tokens = tokenize(line);
  const first = line.charCodeAt(0);
  const blankOwner = first === 32 || first === 9;
  let pos = 0;
  let owner: string;
  if (blankOwner) {
    if (previousOwner === undefined) throw new RecordSyntaxError('no owner name');
    owner = previousOwner;
  } else {
    const t = tokens[pos++];
    if (!t) throw new RecordSyntaxError('empty record');
    owner = absolute(t.text, zone);
  }
  let ttl: number | undefined;
  let type: string | undefined;
  // [ttl] [class] or [class] [ttl], then the type.
  for (let k = 0; k < 3 && pos < tokens.length; k++) {
    const text = tokens[pos]!.text;
    const up = text.toUpperCase();
    if (ttl === undefined && parseTtl(text) !== undefined) {
      ttl = parseTtl(text);
      pos++;
    } else if (up === 'IN') {
      pos++;
    } else if (up === 'CH' || up === 'HS' || up === 'CS') {
      throw new RecordSyntaxError(`class ${up} is not supported (only IN)`);
    } else {
      type = up;
      pos++;
      break;
    }
  }
  if (type === undefined) throw new RecordSyntaxError('no record type');
  if (!(RECORD_TYPES as readonly string[]).includes(type)) throw new RecordSyntaxError(`unsupported record type ${type}`);
  const rd = tokens.slice(pos);
  const words = rd.map((t) => t.text);
  const t = ttl ?? DEFAULT_TTL;
  const one = (what: string): string => {
    if (words.length !== 1) throw new RecordSyntaxError(`${type} needs ${what}`);
    return words[0]!;
  };
  switch (type as RecordType) {
    case 'A': {
      const ip = one('one IPv4 address');
      if (!isIPv4(ip)) throw new RecordSyntaxError(`bad IPv4 address ${ip}`);
      return { name: owner, type: 'A', ttl: t, class: 'IN', data: ip };
    }
    case 'AAAA': {
      const ip = one('one IPv6 address');
      if (!isIPv6(ip)) throw new RecordSyntaxError(`bad IPv6 address ${ip}`);
      return { name: owner, type: 'AAAA', ttl: t, class: 'IN', data: ip.toLowerCase() };
    }
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { name: owner, type: type as 'CNAME' | 'NS' | 'PTR', ttl: t, class: 'IN', data: absolute(one('one target name'), zone) };
    case 'MX': {
      if (words.length !== 2) throw new RecordSyntaxError('MX needs a preference and a host');
      return {
        name: owner,
        ttl: t,
        class: 'IN',
        type: 'MX',
        data: { preference: uint(words[0], 65535, 'MX preference'), exchange: absolute(words[1]!, zone) },
      };
    }
    case 'TXT': {
      if (words.length === 0) throw new RecordSyntaxError('TXT needs at least one string');
      return { name: owner, type: 'TXT', ttl: t, class: 'IN', data: txtChunks(rd.map((t) => t.bin)) };
    }
    case 'SOA': {
      if (words.length !== 7) throw new RecordSyntaxError('SOA needs mname rname serial refresh retry expire minimum');
      const num = (i: number, what: string) => uint(words[i], 2 ** 32 - 1, `SOA ${what}`);
      return {
        name: owner,
        ttl: t,
        class: 'IN',
        type: 'SOA',
        data: {
          mname: absolute(words[0]!, zone),
          rname: absolute(words[1]!, zone),
          serial: num(2, 'serial'),
          refresh: num(3, 'refresh'),
          retry: num(4, 'retry'),
          expire: num(5, 'expire'),
          minimum: num(6, 'minimum'),
        },
      };
    }
    case 'CAA': {
      if (words.length !== 3) throw new RecordSyntaxError('CAA needs flags, a tag and a value');
      const tag = words[1]!.toLowerCase();
      if (!/^[a-z0-9]{1,15}$/.test(tag)) throw new RecordSyntaxError(`bad CAA tag ${words[1]}`);
      return { name: owner, type: 'CAA', ttl: t, class: 'IN', data: { flags: uint(words[0], 255, 'CAA flags'), tag, value: words[2]! } };
    }
    case 'SRV': {
      if (words.length !== 4) throw new RecordSyntaxError('SRV needs priority, weight, port and target');
      return {
        name: owner,
        ttl: t,
        class: 'IN',
        type: 'SRV',
        data: {
          priority: uint(words[0], 65535, 'SRV priority'),
          weight: uint(words[1], 65535, 'SRV weight'),
          port: uint(words[2], 65535, 'SRV port'),
          target: absolute(words[3]!, zone),
        },
      };
    }
  }
}

// ------------------------------------------------------------------ the store

export interface ZoneInfo {
  name: string;
  /** The zone's SOA, synthesized when the world gives none (negative answers need one). */
  soa: ZoneRecord & { type: 'SOA' };
  ns: string[];
}

export type Lookup =
  /** The name has records of that type (or a wildcard does). */
  | { kind: 'records'; zone: ZoneInfo; records: ZoneRecord[] }
  /** The name is an alias; the caller follows it. */
  | { kind: 'cname'; zone: ZoneInfo; record: CnameRecord }
  /** The name exists (or is an empty non-terminal) but has no such records. */
  | { kind: 'nodata'; zone: ZoneInfo }
  | { kind: 'nxdomain'; zone: ZoneInfo }
  /** No zone of the world covers the name. */
  | { kind: 'nozone' };

export class RecordStore {
  readonly zones = new Map<string, ZoneInfo>();
  /** name → type → records. */
  private readonly names = new Map<string, Map<string, ZoneRecord[]>>();
  /** Names that exist without records of their own (parents of records, RFC 8020 "empty non-terminals"). */
  private readonly ents = new Set<string>();
  private hasWildcards = false;

  static fromWorld(world: World, file = '<world>'): RecordStore {
    const store = new RecordStore();
    const zones = world.zones ?? {};
    if (typeof zones !== 'object' || zones === null || Array.isArray(zones))
      throw new WorldError(file, 'zones', 'must be an object of zone name → records');
    for (const [key, records] of Object.entries(zones)) {
      let zone: string;
      try {
        zone = canonicalName(key);
      } catch (e) {
        throw new WorldError(file, `zones.${key}`, (e as Error).message);
      }
      if (store.zones.has(zone)) throw new WorldError(file, `zones.${key}`, `zone ${zone} is given twice`);
      if (!Array.isArray(records)) throw new WorldError(file, `zones.${key}`, 'must be an array of record strings');
      const parsed: ZoneRecord[] = [];
      let previous: string | undefined;
      for (let i = 0; i < records.length; i++) {
        const line = records[i];
        try {
          if (typeof line !== 'string') throw new RecordSyntaxError('must be a string');
          const r = parseRecord(line, zone, previous);
          if (!isUnder(r.name, zone)) throw new RecordSyntaxError(`${r.name} is outside the zone ${zone || '.'}`);
          previous = r.name;
          parsed.push(r);
        } catch (e) {
          if (e instanceof RecordSyntaxError) throw new WorldError(file, `zones.${key}[${i}]`, e.message);
          throw e;
        }
      }
      store.addZone(zone, parsed, file, key);
    }
    return store;
  }

  private addZone(zone: string, records: ZoneRecord[], file: string, key: string): void {
    let soa: (ZoneRecord & { type: 'SOA' }) | undefined;
    const ns: string[] = [];
    records.forEach((r, i) => {
      if (r.type === 'SOA' && r.name === zone) soa = r;
      if (r.type === 'NS' && r.name === zone) ns.push(r.data);
      this.add(r, zone, file, `zones.${key}[${i}]`);
    });
    soa ??= {
      name: zone,
      type: 'SOA',
      ttl: DEFAULT_TTL,
      class: 'IN',
      data: {
        mname: ns[0] ?? (zone ? `ns1.${zone}` : 'ns1'),
        rname: zone ? `hostmaster.${zone}` : 'hostmaster',
        serial: 1,
        refresh: 7200,
        retry: 3600,
        expire: 1209600,
        minimum: 300,
      },
    };
    this.zones.set(zone, { name: zone, soa, ns });
    if (!this.names.has(zone)) this.ents.add(zone);
  }

  private add(r: ZoneRecord, zone: string, file: string, field: string): void {
    let types = this.names.get(r.name);
    if (!types) {
      types = new Map();
      this.names.set(r.name, types);
      // Parents up to the zone apex exist too (empty non-terminals).
      let n = r.name;
      while (n !== zone) {
        const dot = n.indexOf('.');
        if (dot < 0) break;
        n = n.slice(dot + 1);
        if (this.ents.has(n)) break;
        this.ents.add(n);
      }
    }
    if (r.name.startsWith('*.')) this.hasWildcards = true;
    const list = types.get(r.type);
    if (list) list.push(r);
    else types.set(r.type, [r]);
    const cnames = types.get('CNAME');
    if (cnames && (types.size > 1 || cnames.length > 1))
      throw new WorldError(file, field, `${r.name} has a CNAME and other records (RFC 1034 §3.6.2)`);
  }

  /** The zone a name falls under: the longest zone name that is the name or a parent of it. */
  zoneOf(name: string): ZoneInfo | undefined {
    let n = name;
    for (;;) {
      const z = this.zones.get(n);
      if (z) return z;
      if (n === '') return undefined;
      const dot = n.indexOf('.');
      n = dot < 0 ? '' : n.slice(dot + 1);
    }
  }

  /** True when the name has records or is a parent of a name that has. */
  exists(name: string): boolean {
    return this.names.has(name) || this.ents.has(name);
  }

  /** Every record at a name (for ANY), wildcards not expanded. */
  all(name: string): ZoneRecord[] {
    const types = this.names.get(canonicalKey(name));
    return types ? [...types.values()].flat() : [];
  }

  /** Looks a name (any case, trailing dot or not) up as an authoritative server would. */
  lookup(qname: string, type: string): Lookup {
    const name = canonicalKey(qname);
    const zone = this.zoneOf(name);
    if (!zone) return { kind: 'nozone' };
    // Every zone has an SOA at its apex, as a real server (and an exported zone file) does, even
    // when the world gave none: the synthesized one answers SOA queries too, not only negatives.
    if (name === zone.name && type.toUpperCase() === 'SOA' && !this.names.get(name)?.get('SOA')?.length) {
      return { kind: 'records', zone, records: [zone.soa] };
    }
    let types = this.names.get(name);
    let synthesized = false;
    if (!types && !this.ents.has(name) && this.hasWildcards) {
      types = this.wildcard(name, zone.name);
      synthesized = types !== undefined;
    }
    if (!types) return { kind: this.ents.has(name) ? 'nodata' : 'nxdomain', zone };
    const want = type.toUpperCase();
    const records = types.get(want);
    if (records && records.length > 0) {
      return { kind: 'records', zone, records: synthesized ? records.map((r) => ({ ...r, name })) : records };
    }
    const cname = types.get('CNAME')?.[0];
    if (cname && cname.type === 'CNAME') {
      const record: CnameRecord = { name: synthesized ? name : cname.name, type: 'CNAME', ttl: cname.ttl, class: 'IN', data: cname.data };
      return { kind: 'cname', zone, record };
    }
    return { kind: 'nodata', zone };
  }

  /** RFC 4592: the wildcard at the closest encloser of a name that does not exist. */
  private wildcard(name: string, zone: string): Map<string, ZoneRecord[]> | undefined {
    let n = name;
    while (n !== zone) {
      const dot = n.indexOf('.');
      if (dot < 0) return undefined;
      n = n.slice(dot + 1);
      if (this.exists(n) || n === zone) return this.names.get(`*.${n}`);
    }
    return undefined;
  }

  /** Number of distinct owner names (for diagnostics). */
  get size(): number {
    return this.names.size;
  }
}

/** Fast path for names already lowercase ASCII; falls back to full canonicalisation. */
function canonicalKey(name: string): string {
  let n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (/[A-Z]|[^\x00-\x7f]/.test(n)) {
    try {
      n = canonicalName(n);
    } catch {
      n = n.toLowerCase();
    }
  }
  return n;
}
