// IP address arithmetic for prefix matching: IPv4 as a uint32, IPv6 as a 128-bit bigint.
// Shared by the ASN sources and the world's Cymru answers.
import { isIPv4, isIPv6 } from 'node:net';

/** IPv4 dotted quad → uint32, or undefined when not one. */
export function ipv4ToInt(ip: string): number | undefined {
  if (!isIPv4(ip)) return undefined;
  let v = 0;
  let part = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      v = v * 256 + part;
      part = 0;
    } else part = part * 10 + (c - 48);
  }
  return v * 256 + part;
}

export function intToIpv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** IPv6 text (with `::` and an embedded IPv4 tail) → 128-bit bigint, or undefined. */
export function ipv6ToBigInt(ip: string): bigint | undefined {
  const zone = ip.indexOf('%');
  const s = zone >= 0 ? ip.slice(0, zone) : ip;
  if (!isIPv6(s)) return undefined;
  const words = ipv6Words(s);
  let v = 0n;
  for (const w of words) v = (v << 16n) | BigInt(w);
  return v;
}

/** The eight 16-bit groups of a valid IPv6 address. */
export function ipv6Words(s: string): number[] {
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) > 0) {
    // Embedded IPv4 tail (::ffff:1.2.3.4): rewrite it as two hex groups.
    const v4 = ipv4ToInt(s.slice(lastColon + 1))!;
    text = `${s.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const dbl = text.indexOf('::');
  if (dbl < 0) return parse(text);
  const left = parse(text.slice(0, dbl));
  const right = parse(text.slice(dbl + 2));
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

export function bigIntToIpv6(v: bigint): string {
  const words: string[] = [];
  for (let i = 7; i >= 0; i--) words.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return words.join(':');
  return `${words.slice(0, best).join(':')}::${words.slice(best + bestLen).join(':')}`;
}

export interface Cidr {
  family: 4 | 6;
  /** Network address (host bits cleared): uint32 for IPv4, bigint for IPv6. */
  network: number | bigint;
  length: number;
  /** Canonical text, e.g. "127.16.0.0/16". */
  text: string;
}

/** Parses "a.b.c.d/n" or "x::/n" (a bare address is a host prefix); undefined when invalid. */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  const addr = slash >= 0 ? s.slice(0, slash) : s;
  const lenText = slash >= 0 ? s.slice(slash + 1) : undefined;
  if (lenText !== undefined && !/^[0-9]{1,3}$/.test(lenText)) return undefined;
  const v4 = ipv4ToInt(addr);
  if (v4 !== undefined) {
    const length = lenText === undefined ? 32 : Number(lenText);
    if (length > 32) return undefined;
    const network = maskV4(v4, length);
    return { family: 4, network, length, text: `${intToIpv4(network)}/${length}` };
  }
  const v6 = ipv6ToBigInt(addr);
  if (v6 === undefined) return undefined;
  const length = lenText === undefined ? 128 : Number(lenText);
  if (length > 128) return undefined;
  const network = maskV6(v6, length);
  return { family: 6, network, length, text: `${bigIntToIpv6(network)}/${length}` };
}

export function maskV4(v: number, length: number): number {
  return length === 0 ? 0 : (v & (0xffffffff << (32 - length))) >>> 0;
}

const ALL128 = (1n << 128n) - 1n;
export function maskV6(v: bigint, length: number): bigint {
  return length === 0 ? 0n : v & (ALL128 ^ ((1n << BigInt(128 - length)) - 1n));
}

/**
 * Longest-prefix match over a set of CIDR prefixes: one hash map per prefix length, probed
 * from the most specific length down. Fine for the few thousand prefixes of a world.
 */
export class PrefixTable<T> {
  private readonly v4 = new Map<number, Map<number, T>>();
  private readonly v6 = new Map<number, Map<bigint, T>>();
  private v4Lengths: number[] = [];
  private v6Lengths: number[] = [];

  add(cidr: Cidr, value: T): void {
    if (cidr.family === 4) {
      let m = this.v4.get(cidr.length);
      if (!m) {
        this.v4.set(cidr.length, (m = new Map()));
        this.v4Lengths = [...this.v4.keys()].sort((a, b) => b - a);
      }
      if (!m.has(cidr.network as number)) m.set(cidr.network as number, value);
    } else {
      let m = this.v6.get(cidr.length);
      if (!m) {
        this.v6.set(cidr.length, (m = new Map()));
        this.v6Lengths = [...this.v6.keys()].sort((a, b) => b - a);
      }
      if (!m.has(cidr.network as bigint)) m.set(cidr.network as bigint, value);
    }
  }

  /** The value of the most specific prefix containing the address, with that prefix. */
  lookup(ip: string): { value: T; cidr: Cidr } | undefined {
    const v4 = ipv4ToInt(ip);
    if (v4 !== undefined) {
      for (const len of this.v4Lengths) {
        const net = maskV4(v4, len);
        const value = this.v4.get(len)!.get(net);
        if (value !== undefined) return { value, cidr: { family: 4, network: net, length: len, text: `${intToIpv4(net)}/${len}` } };
      }
      return undefined;
    }
    const v6 = ipv6ToBigInt(ip);
    if (v6 === undefined) return undefined;
    for (const len of this.v6Lengths) {
      const net = maskV6(v6, len);
      const value = this.v6.get(len)!.get(net);
      if (value !== undefined) return { value, cidr: { family: 6, network: net, length: len, text: `${bigIntToIpv6(net)}/${len}` } };
    }
    return undefined;
  }
}
