// IP ranges → (ASN, name) in sorted typed arrays, binary-searched. Compact enough to hold the
// whole embedded database (~500k ranges) in ~12 MB and to be saved to / mapped from one file.
// IPv4 keys are uint32; IPv6 keys are four uint32 words, most significant first.
import { bigIntToIpv6, intToIpv4, ipv4ToInt, ipv6ToBigInt } from './ip.js';

export interface RangeHit {
  asn: number;
  name: string;
  /** The largest CIDR block holding the address inside its range. */
  prefix: string;
}

const MAGIC = 0x4e534157; // "WASN"
const FORMAT = 1;
const U32 = 0x1_0000_0000n;

/** Accumulates ranges in any order into growable typed arrays; `build()` sorts them. */
export class RangeBuilder {
  /** start, end, asn, name per IPv4 range. */
  private v4: Uint32Array = new Uint32Array(4 * 1024);
  /** start (4 words), end (4 words), asn, name per IPv6 range. */
  private v6: Uint32Array = new Uint32Array(10 * 256);
  private n4 = 0;
  private n6 = 0;
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();

  /** The id of a name in the table's name list (each distinct name stored once). */
  nameId(n: string): number {
    let i = this.nameIndex.get(n);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(n);
      this.nameIndex.set(n, i);
    }
    return i;
  }

  addV4(start: number, end: number, asn: number, name: string | number): void {
    if ((this.n4 + 1) * 4 > this.v4.length) this.v4 = grow(this.v4);
    const at = this.n4++ * 4;
    this.v4[at] = start;
    this.v4[at + 1] = end;
    this.v4[at + 2] = asn;
    this.v4[at + 3] = typeof name === 'number' ? name : this.nameId(name);
  }

  addV6(start: bigint, end: bigint, asn: number, name: string | number): void {
    if ((this.n6 + 1) * 10 > this.v6.length) this.v6 = grow(this.v6);
    const at = this.n6++ * 10;
    words(start, this.v6, at);
    words(end, this.v6, at + 4);
    this.v6[at + 8] = asn;
    this.v6[at + 9] = typeof name === 'number' ? name : this.nameId(name);
  }

  get size(): number {
    return this.n4 + this.n6;
  }

  build(): RangeTable {
    const v4 = this.v4;
    const v6 = this.v6;
    const o4 = order(this.n4, (a, b) => v4[a * 4]! - v4[b * 4]!);
    const o6 = order(this.n6, (a, b) => cmp4(v6, a * 10, v6.subarray(b * 10, b * 10 + 4)));
    const t = RangeTable.allocate(this.n4, this.n6, this.names);
    o4.forEach((src, i) => {
      t.v4Start[i] = v4[src * 4]!;
      t.v4End[i] = v4[src * 4 + 1]!;
      t.v4Asn[i] = v4[src * 4 + 2]!;
      t.v4Name[i] = v4[src * 4 + 3]!;
    });
    o6.forEach((src, i) => {
      t.v6Start.set(v6.subarray(src * 10, src * 10 + 4), i * 4);
      t.v6End.set(v6.subarray(src * 10 + 4, src * 10 + 8), i * 4);
      t.v6Asn[i] = v6[src * 10 + 8]!;
      t.v6Name[i] = v6[src * 10 + 9]!;
    });
    return t;
  }
}

function grow(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Indices 0..n-1 in the order `cmp` gives; the identity (no sort) when already in order. */
function order(n: number, cmp: (a: number, b: number) => number): Uint32Array {
  const idx = new Uint32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    idx[i] = i;
    if (i > 0 && sorted && cmp(i - 1, i) > 0) sorted = false;
  }
  if (!sorted) idx.sort(cmp);
  return idx;
}

/** A 128-bit value as four uint32 words, most significant first. */
export function words(v: bigint, into: Uint32Array, at: number): void {
  into[at] = Number(BigInt.asUintN(32, v >> 96n));
  into[at + 1] = Number(BigInt.asUintN(32, v >> 64n));
  into[at + 2] = Number(BigInt.asUintN(32, v >> 32n));
  into[at + 3] = Number(BigInt.asUintN(32, v));
}

export class RangeTable {
  private readonly decoded = new Map<number, string>();
  private static readonly utf8 = new TextDecoder();

  private constructor(
    readonly v4Start: Uint32Array,
    readonly v4End: Uint32Array,
    readonly v4Asn: Uint32Array,
    readonly v4Name: Uint32Array,
    readonly v6Start: Uint32Array,
    readonly v6End: Uint32Array,
    readonly v6Asn: Uint32Array,
    readonly v6Name: Uint32Array,
    /** Offsets into nameBytes, one more than there are names. */
    private readonly nameOffsets: Uint32Array,
    private readonly nameBytes: Uint8Array,
    /** The serialized form when the table was loaded from or laid out in one buffer. */
    private readonly buffer: Uint8Array,
  ) {}

  get v4Count(): number {
    return this.v4Start.length;
  }
  get v6Count(): number {
    return this.v6Asn.length;
  }

  /** Lays out an empty table of the given sizes in one buffer (the file format, header included). */
  static allocate(n4: number, n6: number, names: string[]): RangeTable {
    const enc = new TextEncoder();
    const encoded = names.map((n) => enc.encode(n));
    const nameLen = encoded.reduce((s, b) => s + b.length, 0);
    const header = 6;
    const words = header + 4 * n4 + 10 * n6 + names.length + 1;
    const buf = new Uint8Array(words * 4 + nameLen);
    const h = new Uint32Array(buf.buffer, 0, header);
    h.set([MAGIC, FORMAT, n4, n6, names.length, nameLen]);
    const t = RangeTable.view(buf);
    let off = 0;
    encoded.forEach((b, i) => {
      t.nameOffsets[i] = off;
      t.nameBytes.set(b, off);
      off += b.length;
    });
    t.nameOffsets[names.length] = off;
    return t;
  }

  /** The table over a serialized buffer (no copy when aligned); undefined when not one of ours. */
  static fromBytes(bytes: Uint8Array): RangeTable | undefined {
    if (bytes.length < 24) return undefined;
    const buf = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
    const h = new Uint32Array(buf.buffer, buf.byteOffset, 6);
    // A foreign byte order reads the magic reversed: rebuild rather than misread.
    if (h[0] !== MAGIC || h[1] !== FORMAT) return undefined;
    const [n4, n6, nn, nameLen] = [h[2]!, h[3]!, h[4]!, h[5]!];
    if (buf.length !== (6 + 4 * n4 + 10 * n6 + nn + 1) * 4 + nameLen) return undefined;
    return RangeTable.view(buf);
  }

  private static view(buf: Uint8Array): RangeTable {
    const h = new Uint32Array(buf.buffer, buf.byteOffset, 6);
    const [n4, n6, nn] = [h[2]!, h[3]!, h[4]!];
    let at = buf.byteOffset + 24;
    const take = (n: number): Uint32Array => {
      const a = new Uint32Array(buf.buffer, at, n);
      at += n * 4;
      return a;
    };
    const v4Start = take(n4);
    const v4End = take(n4);
    const v4Asn = take(n4);
    const v4Name = take(n4);
    const v6Start = take(4 * n6);
    const v6End = take(4 * n6);
    const v6Asn = take(n6);
    const v6Name = take(n6);
    const nameOffsets = take(nn + 1);
    const nameBytes = new Uint8Array(buf.buffer, at, buf.byteOffset + buf.length - at);
    return new RangeTable(v4Start, v4End, v4Asn, v4Name, v6Start, v6End, v6Asn, v6Name, nameOffsets, nameBytes, buf);
  }

  /** The serialized form, to be written to disk. */
  bytes(): Uint8Array {
    return this.buffer;
  }

  /** The name with this id (the v4Name / v6Name arrays hold ids). */
  nameOf(i: number): string {
    let s = this.decoded.get(i);
    if (s === undefined) {
      s = RangeTable.utf8.decode(this.nameBytes.subarray(this.nameOffsets[i]!, this.nameOffsets[i + 1]!));
      this.decoded.set(i, s);
    }
    return s;
  }

  lookup(ip: string): RangeHit | undefined {
    const v4 = ipv4ToInt(ip);
    if (v4 !== undefined) return this.lookupV4(v4);
    const v6 = ipv6ToBigInt(ip);
    if (v6 === undefined) return undefined;
    const key = new Uint32Array(4);
    words(v6, key, 0);
    return this.lookupV6(key, v6);
  }

  lookupV4(ip: number): RangeHit | undefined {
    const starts = this.v4Start;
    // The last range starting at or below the address.
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= ip) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || this.v4End[found]! < ip) return undefined;
    const s = starts[found]!;
    const e = this.v4End[found]!;
    return { asn: this.v4Asn[found]!, name: this.nameOf(this.v4Name[found]!), prefix: v4Block(ip, s, e) };
  }

  private lookupV6(key: Uint32Array, ip: bigint): RangeHit | undefined {
    let lo = 0;
    let hi = this.v6Count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp4(this.v6Start, mid * 4, key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || cmp4(this.v6End, found * 4, key) < 0) return undefined;
    const s = big4(this.v6Start, found * 4);
    const e = big4(this.v6End, found * 4);
    return { asn: this.v6Asn[found]!, name: this.nameOf(this.v6Name[found]!), prefix: v6Block(ip, s, e) };
  }
}

function cmp4(arr: Uint32Array, at: number, key: Uint32Array): number {
  for (let k = 0; k < 4; k++) {
    const d = arr[at + k]! - key[k]!;
    if (d !== 0) return d;
  }
  return 0;
}

function big4(arr: Uint32Array, at: number): bigint {
  let v = 0n;
  for (let k = 0; k < 4; k++) v = v * U32 + BigInt(arr[at + k]!);
  return v;
}

/** The largest CIDR block containing ip that lies within [start, end]. */
function v4Block(ip: number, start: number, end: number): string {
  const size = end - start + 1;
  // Most ranges are exactly one CIDR block.
  const bits = Math.log2(size);
  if (Number.isInteger(bits) && start % size === 0) return `${intToIpv4(start)}/${32 - bits}`;
  for (let len = 32 - Math.floor(bits); len <= 32; len++) {
    const block = 2 ** (32 - len);
    const net = Math.floor(ip / block) * block;
    if (net >= start && net + block - 1 <= end) return `${intToIpv4(net)}/${len}`;
  }
  return `${intToIpv4(ip)}/32`; // unreachable: a /32 always fits
}

function v6Block(ip: bigint, start: bigint, end: bigint): string {
  const size = end - start + 1n;
  const bits = size.toString(2).length - 1; // floor(log2(size))
  if ((size & (size - 1n)) === 0n && start % size === 0n) return `${bigIntToIpv6(start)}/${128 - bits}`;
  for (let len = 128 - bits; len <= 128; len++) {
    const block = 1n << BigInt(128 - len);
    const net = (ip / block) * block;
    if (net >= start && net + block - 1n <= end) return `${bigIntToIpv6(net)}/${len}`;
  }
  return `${bigIntToIpv6(ip)}/128`;
}
