// IP → ASN through Team Cymru's DNS interface (https://www.team-cymru.com/ip-asn-mapping):
//   <reversed IPv4>.origin.asn.cymru.com TXT  "16509 | 127.16.0.0/16 | US | arin | 2020-01-01"
//   <nibbles>.origin6.asn.cymru.com      TXT  (same, IPv6 prefix)
//   AS16509.asn.cymru.com                TXT  "16509 | US | arin | 2020-01-01 | AMAZON-02, US"
// Answers are cached for the run per prefix (one query covers its neighbours) and per ASN.
import type { AsnInfo } from '../../types.js';
import { ipv4ToInt, ipv6ToBigInt, parseCidr, PrefixTable } from './ip.js';

/** The one thing this source needs from a resolver; NXDOMAIN may reject or resolve to []. */
export interface TxtLookup {
  txt(name: string): Promise<string[]>;
}

interface Origin {
  asn: number;
  prefix: string;
  country?: string;
}

interface AsName {
  name: string;
  country?: string;
}

/** Bound on per-address entries, so a hostile scan cannot grow the cache without limit. */
const MAX_CACHED_ADDRESSES = 100_000;

export function originName(ip: string): string | undefined {
  const v4 = ipv4ToInt(ip);
  if (v4 !== undefined) return `${ip.split('.').reverse().join('.')}.origin.asn.cymru.com`;
  const v6 = ipv6ToBigInt(ip);
  if (v6 === undefined) return undefined;
  const hex = v6.toString(16).padStart(32, '0');
  return `${[...hex].reverse().join('.')}.origin6.asn.cymru.com`;
}

/** "16509 14618 | 127.16.0.0/16 | US | arin | 2020-01-01" → the first origin AS and its prefix. */
export function parseOrigin(text: string): Origin | undefined {
  const f = text.split('|').map((s) => s.trim());
  const asn = Number(f[0]?.split(/\s+/)[0]);
  const cidr = f[1] ? parseCidr(f[1]) : undefined;
  if (!Number.isInteger(asn) || asn < 0 || asn > 4294967295 || !cidr || f[0] === '') return undefined;
  const o: Origin = { asn, prefix: cidr.text };
  if (f[2] && /^[A-Za-z]{2}$/.test(f[2])) o.country = f[2].toUpperCase();
  return o;
}

/** "16509 | US | arin | 2020-01-01 | AMAZON-02, US" → name "AMAZON-02" (the ", CC" suffix dropped). */
export function parseAsName(text: string): AsName | undefined {
  const f = text.split('|').map((s) => s.trim());
  if (f.length < 5) return undefined;
  const cc = f[1] && /^[A-Za-z]{2}$/.test(f[1]) ? f[1].toUpperCase() : undefined;
  let name = f.slice(4).join('|').trim();
  const suffix = /,\s*([A-Za-z]{2})$/.exec(name);
  if (suffix && (!cc || suffix[1]!.toUpperCase() === cc)) name = name.slice(0, suffix.index).trim();
  if (!name) return undefined;
  return cc ? { name, country: cc } : { name };
}

export class CymruSource {
  readonly kind = 'cymru' as const;
  /** The data is live: dated the day the run started. */
  readonly date = new Date().toISOString().slice(0, 10);
  private readonly prefixes = new PrefixTable<Origin>();
  private readonly addresses = new Map<string, Promise<AsnInfo>>();
  private readonly names = new Map<number, Promise<AsName | undefined>>();
  /** DNS questions asked (for tests and the run's statistics). */
  queries = 0;

  constructor(private readonly dns: TxtLookup) {}

  lookup(ip: string): Promise<AsnInfo> {
    let p = this.addresses.get(ip);
    if (!p) {
      if (this.addresses.size >= MAX_CACHED_ADDRESSES) this.addresses.clear();
      p = this.resolve(ip);
      this.addresses.set(ip, p);
    }
    return p;
  }

  private async resolve(ip: string): Promise<AsnInfo> {
    const unknown: AsnInfo = { asn: null, source: 'cymru', date: this.date };
    const qname = originName(ip);
    if (!qname) return unknown;
    let origin = this.prefixes.lookup(ip)?.value;
    if (!origin) {
      const texts = await this.txt(qname);
      if (texts === undefined) {
        this.addresses.delete(ip); // a failure (not a negative answer): let a later lookup retry
        return unknown;
      }
      // Several origins: the most specific prefix holding the address wins.
      let best: { o: Origin; length: number } | undefined;
      for (const t of texts) {
        const o = parseOrigin(t);
        const cidr = o ? parseCidr(o.prefix) : undefined;
        if (o && cidr && (!best || cidr.length > best.length)) best = { o, length: cidr.length };
      }
      if (!best) return unknown;
      origin = best.o;
      // Reused for the address's /24 (/48) within the prefix, not the whole prefix: a more
      // specific prefix of another AS inside a big one would otherwise be missed. Longer
      // more-specifics than that are filtered on the Internet, so this is nearly always right.
      const v4 = ipv4ToInt(ip) !== undefined;
      const length = Math.max(best.length, v4 ? 24 : 48);
      const block = parseCidr(`${ip}/${length}`);
      if (block) this.prefixes.add(block, origin);
    }
    const info: AsnInfo = { asn: origin.asn, prefix: origin.prefix, source: 'cymru', date: this.date };
    const name = await this.asName(origin.asn);
    if (name) info.asName = name.name;
    const country = name?.country ?? origin.country;
    if (country) info.country = country;
    return info;
  }

  private asName(asn: number): Promise<AsName | undefined> {
    let p = this.names.get(asn);
    if (!p) {
      p = this.txt(`AS${asn}.asn.cymru.com`).then((texts) => {
        if (texts === undefined) this.names.delete(asn);
        for (const t of texts ?? []) {
          const n = parseAsName(t);
          if (n) return n;
        }
        return undefined;
      });
      this.names.set(asn, p);
    }
    return p;
  }

  /** TXT strings, [] for a negative answer, undefined for a failure; never rejects. */
  private async txt(name: string): Promise<string[] | undefined> {
    this.queries++;
    try {
      const r = await this.dns.txt(name);
      return Array.isArray(r) ? r.filter((s) => typeof s === 'string') : [];
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      return code === 'DNS_NXDOMAIN' ? [] : undefined;
    }
  }
}
