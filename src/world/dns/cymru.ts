// Team Cymru's IP → ASN DNS interface, answered from the world's `asns` table, so the scanner's
// real Cymru code path runs against a world. Formats: https://www.team-cymru.com/ip-asn-mapping
//   <reversed IPv4>.origin.asn.cymru.com  TXT "16509 | 127.16.0.0/16 | US | arin | 2020-01-01"
//   <nibbles>.origin6.asn.cymru.com       TXT (same, IPv6 prefix)
//   AS16509.asn.cymru.com                 TXT "16509 | US | arin | 2020-01-01 | AMAZON-02, US"
import { WorldError } from '../errors.js';
import type { World, WorldAsn } from '../types.js';
import { bigIntToIpv6, intToIpv4, parseCidr, PrefixTable } from '../../collect/asn/ip.js';

export const CYMRU_ZONE = 'asn.cymru.com';

export type CymruAnswer =
  /** Not a Cymru name: the world's zones answer it. */
  | { kind: 'none' }
  | { kind: 'nxdomain' }
  | { kind: 'txt'; text: string };

export class CymruTable {
  private readonly prefixes = new PrefixTable<WorldAsn>();
  private readonly byAsn = new Map<number, WorldAsn>();

  static fromWorld(world: World, file = '<world>'): CymruTable {
    const t = new CymruTable();
    const asns = world.asns ?? [];
    if (!Array.isArray(asns)) throw new WorldError(file, 'asns', 'must be an array');
    asns.forEach((a, i) => {
      if (!a || typeof a !== 'object') throw new WorldError(file, `asns[${i}]`, 'must be an object');
      if (!Number.isInteger(a.asn) || a.asn < 0 || a.asn > 4294967295)
        throw new WorldError(file, `asns[${i}].asn`, 'must be an AS number (0..4294967295)');
      if (typeof a.name !== 'string') throw new WorldError(file, `asns[${i}].name`, 'must be a string');
      if (!Array.isArray(a.prefixes)) throw new WorldError(file, `asns[${i}].prefixes`, 'must be an array of CIDR prefixes');
      a.prefixes.forEach((p, j) => {
        const cidr = typeof p === 'string' ? parseCidr(p) : undefined;
        if (!cidr) throw new WorldError(file, `asns[${i}].prefixes[${j}]`, `bad CIDR prefix ${JSON.stringify(p)}`);
        t.prefixes.add(cidr, a);
      });
      if (!t.byAsn.has(a.asn)) t.byAsn.set(a.asn, a);
    });
    return t;
  }

  /** Answers a TXT question for a name under asn.cymru.com; `name` lowercase, no trailing dot. */
  answer(name: string): CymruAnswer {
    if (name !== CYMRU_ZONE && !name.endsWith(`.${CYMRU_ZONE}`)) return { kind: 'none' };
    const head = name.slice(0, -CYMRU_ZONE.length - 1);
    let ip: string | undefined;
    if (head.endsWith('.origin') || head === 'origin') ip = reversedIpv4(head.slice(0, -'.origin'.length));
    else if (head.endsWith('.origin6') || head === 'origin6') ip = reversedIpv6(head.slice(0, -'.origin6'.length));
    else {
      const m = /^as([0-9]{1,10})$/.exec(head);
      if (!m) return { kind: 'nxdomain' };
      const a = this.byAsn.get(Number(m[1]));
      if (!a) return { kind: 'nxdomain' };
      const cc = a.country ?? '';
      return {
        kind: 'txt',
        text: `${a.asn} | ${cc} | ${registry(a)} | ${allocated(a)} | ${a.name}${cc ? `, ${cc}` : ''}`,
      };
    }
    if (ip === undefined) return { kind: 'nxdomain' };
    const hit = this.prefixes.lookup(ip);
    if (!hit) return { kind: 'nxdomain' };
    const a = hit.value;
    return { kind: 'txt', text: `${a.asn} | ${hit.cidr.text} | ${a.country ?? ''} | ${registry(a)} | ${allocated(a)}` };
  }
}

function registry(a: WorldAsn): string {
  return a.registry ?? 'arin';
}
function allocated(a: WorldAsn): string {
  return a.allocated ?? '2020-01-01';
}

/** "10.0.16.127" → "127.16.0.10"; fewer than four labels are a network (zeros appended). */
function reversedIpv4(labels: string): string | undefined {
  const parts = labels.split('.').reverse();
  if (parts.length < 1 || parts.length > 4) return undefined;
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? '0';
    if (!/^[0-9]{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = v * 256 + Number(p);
  }
  return intToIpv4(v);
}

/** Nibble-reversed IPv6 (as in ip6.arpa), 1 to 32 nibbles, the missing ones zero. */
function reversedIpv6(labels: string): string | undefined {
  const parts = labels.split('.').reverse();
  if (parts.length < 1 || parts.length > 32) return undefined;
  let v = 0n;
  for (let i = 0; i < 32; i++) {
    const p = parts[i] ?? '0';
    if (!/^[0-9a-f]$/.test(p)) return undefined;
    v = (v << 4n) | BigInt(parseInt(p, 16));
  }
  return bigIntToIpv6(v);
}
