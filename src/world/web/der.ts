// A small DER encoder (X.690) for the world's leaf certificates: only the types a TBSCertificate
// needs. Encoding a leaf directly is ~10x cheaper than building it with node-forge's object model.
import { isIP } from 'node:net';

/** Largest element we encode (a 4-byte length); hostile names are long, never this long. */
const MAX_LEN = 0xffff_ffff;

function header(tag: number, len: number): Buffer {
  if (len > MAX_LEN) throw new RangeError(`DER element too long (${len} bytes)`);
  if (len < 0x80) return Buffer.from([tag, len]);
  const bytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
}

/** Tag-length-value of already-encoded contents. */
export function tlv(tag: number, ...body: Buffer[]): Buffer {
  const len = body.reduce((n, b) => n + b.length, 0);
  const h = header(tag, len);
  return Buffer.concat([h, ...body], h.length + len);
}

export const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
export const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
/** [n] EXPLICIT (constructed, context-specific). */
export const explicit = (n: number, ...items: Buffer[]): Buffer => tlv(0xa0 | n, ...items);
/** [n] IMPLICIT of a primitive type (context-specific). */
export const implicit = (n: number, body: Buffer): Buffer => tlv(0x80 | n, body);
export const octetString = (b: Buffer): Buffer => tlv(0x04, b);
export const bitString = (b: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.from([unusedBits]), b);
export const NULL = Buffer.from([0x05, 0x00]);
export const TRUE = Buffer.from([0x01, 0x01, 0xff]);

/** Non-negative INTEGER from big-endian bytes, minimally encoded (X.690 8.3.2). */
export function uint(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const body = bytes.subarray(i);
  return (body[0] ?? 0) & 0x80 ? tlv(0x02, Buffer.from([0]), body) : tlv(0x02, body.length ? body : Buffer.from([0]));
}

export function smallInt(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > 0x7f) throw new RangeError(`smallInt ${n}`);
  return Buffer.from([0x02, 0x01, n]);
}

/** OBJECT IDENTIFIER from dotted text (X.690 8.19). */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [];
  const push = (v: number): void => {
    const groups = [v & 0x7f];
    for (let n = Math.floor(v / 128); n > 0; n = Math.floor(n / 128)) groups.unshift((n & 0x7f) | 0x80);
    out.push(...groups);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Buffer.from(out));
}

/** ASCII is a PrintableString, as forge wrote world names (control bytes too); beyond ASCII, a UTF8String. */
export function directoryString(value: string): Buffer {
  return /[^\x00-\x7f]/.test(value) ? tlv(0x0c, Buffer.from(value, 'utf8')) : tlv(0x13, Buffer.from(value, 'latin1'));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** UTCTime for 1950-2049, GeneralizedTime otherwise (RFC 5280 section 4.1.2.5); whole seconds. */
export function time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const rest = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  return y >= 1950 && y < 2050 ? tlv(0x17, Buffer.from(pad(y % 100) + rest, 'latin1')) : tlv(0x18, Buffer.from(pad(y, 4) + rest, 'latin1'));
}

/** Address bytes of an IPv4 or IPv6 literal (a zone id is dropped), or undefined if `s` is neither. */
export function ipBytes(s: string): Buffer | undefined {
  const kind = isIP(s);
  if (kind === 4) return Buffer.from(s.split('.').map(Number));
  if (kind !== 6) return undefined;
  let text = s.replace(/%.*$/, '');
  const tail: number[] = [];
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    tail.push(...v4.slice(1).map(Number));
    text = text.slice(0, v4.index) + '0:0'; // two placeholder groups, replaced below
  }
  const [head = '', rest] = text.split('::') as [string, string | undefined];
  const groups = (g: string): number[] => (g === '' ? [] : g.split(':').map((h) => parseInt(h, 16)));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  words.forEach((w, i) => out.writeUInt16BE(w & 0xffff, i * 2));
  if (tail.length) Buffer.from(tail).copy(out, 12);
  return out;
}
