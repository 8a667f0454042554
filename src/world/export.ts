// Exports a world's zones as RFC 1035 zone files, so real authoritative servers (NSD, Knot) can
// serve the same data the in-process world answers: every record absolute, the zone's SOA (or the
// one RecordStore synthesizes), apex NS (synthesized with loopback glue when the world has none),
// plus an asn.cymru.com zone holding exactly the TXT answers CymruTable gives for the world's addresses.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CYMRU_ZONE, CymruTable } from './dns/cymru.js';
import type { World } from './types.js';
import { DEFAULT_TTL, parseRecord, RecordStore, type ZoneRecord } from './zone.js';

export interface ExportedZone {
  /** Zone name, lowercase, no trailing dot ('' for the root). */
  zone: string;
  /** File name inside the export directory. */
  file: string;
}

export interface ExportOptions {
  /** Address of the synthesized `ns.<zone>` glue when a zone has no apex NS. */
  glueAddress?: string;
}

/** The TTL the world's resolver gives Cymru TXT answers (src/world/dns/answer.ts). */
const CYMRU_TTL = 14400;

/** Writes DIR/<zone>.zone for each zone, DIR/asn.cymru.com.zone and DIR/zones.list; returns the zones. */
export function exportZones(world: World, dir: string, opts: ExportOptions = {}): ExportedZone[] {
  const glue = opts.glueAddress ?? '127.0.0.1';
  // RecordStore validates the world and gives each zone's SOA exactly as the server uses it.
  const store = RecordStore.fromWorld(world);
  const cymru = CymruTable.fromWorld(world);
  mkdirSync(dir, { recursive: true });
  const out: ExportedZone[] = [];
  const addresses = new Set<string>();
  for (const [key, lines] of Object.entries(world.zones ?? {})) {
    const info = store.zoneOf(key.toLowerCase().replace(/\.$/, ''));
    if (!info) continue;
    const zone = info.name;
    const records = zoneRecords(lines, zone);
    for (const r of records) if (r.type === 'A' || r.type === 'AAAA') addresses.add(r.data);
    const body = records.filter((r) => r.type !== 'SOA' || r.name !== zone);
    const extra: ZoneRecord[] = [];
    if (info.ns.length === 0) {
      const ns = zone ? `ns.${zone}` : 'ns';
      extra.push({ name: zone, type: 'NS', ttl: DEFAULT_TTL, class: 'IN', data: ns });
      // Glue only where the name is free: a world record at ns.<zone> stays as it is.
      if (!records.some((r) => r.name === ns)) extra.push({ name: ns, type: 'A', ttl: DEFAULT_TTL, class: 'IN', data: glue });
    }
    out.push(writeZone(dir, zone, [info.soa, ...extra, ...body]));
  }
  if (!store.zones.has(CYMRU_ZONE) && !store.zones.has('cymru.com')) out.push(writeZone(dir, CYMRU_ZONE, cymruRecords(cymru, addresses, world, glue)));
  writeFileSync(join(dir, 'zones.list'), out.map((z) => `${z.zone === '' ? '.' : z.zone} ${z.file}\n`).join(''));
  return out;
}

/** Parses a zone's record strings as RecordStore does (blank owner = previous owner). */
export function zoneRecords(lines: readonly string[], zone: string): ZoneRecord[] {
  const out: ZoneRecord[] = [];
  let previous: string | undefined;
  for (const line of lines) {
    const r = parseRecord(line, zone, previous);
    previous = r.name;
    out.push(r);
  }
  return out;
}

function writeZone(dir: string, zone: string, records: ZoneRecord[]): ExportedZone {
  const file = `${zone === '' ? 'root' : zone}.zone`;
  const text = [`$ORIGIN ${abs(zone)}`, `$TTL ${DEFAULT_TTL}`, ...records.map(formatRecord)].join('\n') + '\n';
  writeFileSync(join(dir, file), text);
  return { zone, file };
}

/** The Cymru TXT answers for every address of the world, and for every AS that owns one. */
function cymruRecords(cymru: CymruTable, addresses: Set<string>, world: World, glue: string): ZoneRecord[] {
  const soa: ZoneRecord = {
    name: CYMRU_ZONE,
    type: 'SOA',
    ttl: 900,
    class: 'IN',
    data: { mname: `ns.${CYMRU_ZONE}`, rname: 'hostmaster.world.invalid', serial: 1, refresh: 7200, retry: 3600, expire: 1209600, minimum: 900 },
  };
  const records: ZoneRecord[] = [
    soa,
    { name: CYMRU_ZONE, type: 'NS', ttl: 900, class: 'IN', data: `ns.${CYMRU_ZONE}` },
    { name: `ns.${CYMRU_ZONE}`, type: 'A', ttl: 900, class: 'IN', data: glue },
  ];
  const txt = (name: string) => {
    const a = cymru.answer(name);
    if (a.kind === 'txt') records.push({ name, type: 'TXT', ttl: CYMRU_TTL, class: 'IN', data: [Buffer.from(a.text, 'latin1')] });
  };
  for (const ip of [...addresses].sort()) txt(`${reversed(ip)}.${ip.includes(':') ? 'origin6' : 'origin'}.${CYMRU_ZONE}`);
  const asns = new Set((world.asns ?? []).map((a) => a.asn));
  for (const n of [...asns].sort((a, b) => a - b)) txt(`as${n}.${CYMRU_ZONE}`);
  return records;
}

/** "1.2.3.4" → "4.3.2.1"; an IPv6 address → its 32 nibbles reversed, dot-separated. */
export function reversed(ip: string): string {
  if (!ip.includes(':')) return ip.split('.').reverse().join('.');
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = ip.includes('::') ? groups(tail) : [];
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return all
    .map((g) => g.padStart(4, '0'))
    .join('')
    .split('')
    .reverse()
    .join('.');
}

function abs(name: string): string {
  return `${name}.`;
}

/** A character-string in quotes: `"` and `\` escaped, bytes outside printable ASCII as \DDD. */
function quote(bytes: Buffer): string {
  let s = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) s += `\\${String(b).padStart(3, '0')}`;
    else s += String.fromCharCode(b);
  }
  return `${s}"`;
}

/** Text (not bytes) in quotes: non-ASCII stays as UTF-8, which the zone parser reads back as text. */
function quoteText(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\x00-\x1f\x7f]/g, (c) => `\\${String(c.charCodeAt(0)).padStart(3, '0')}`)}"`;
}

/** One record in presentation format, every name absolute. */
export function formatRecord(r: ZoneRecord): string {
  const head = `${abs(r.name)} ${r.ttl} IN ${r.type}`;
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return `${head} ${r.data}`;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return `${head} ${abs(r.data)}`;
    case 'MX':
      return `${head} ${r.data.preference} ${abs(r.data.exchange)}`;
    case 'TXT':
      return `${head} ${r.data.map(quote).join(' ')}`;
    case 'SOA': {
      const d = r.data;
      return `${head} ${abs(d.mname)} ${abs(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    }
    case 'CAA':
      return `${head} ${r.data.flags} ${r.data.tag} ${quoteText(r.data.value)}`;
    case 'SRV':
      return `${head} ${r.data.priority} ${r.data.weight} ${r.data.port} ${abs(r.data.target)}`;
  }
}
