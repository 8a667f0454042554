// A response as the resolver reads it: header facts, the question, and the answer and authority
// records already normalised (owner and name-valued data lowercase, no trailing dot). The common
// packet is decoded here in one pass; anything this decoder does not take exactly as dns-packet
// would (another record type or class, EDNS options, a record whose data length disagrees with
// its content, anything out of bounds) goes to dns-packet, so both paths give the same records,
// the same rejections and the same errors (test/fuzz/dns.test.ts compares them). Never throws.
import dnsPacket from 'dns-packet';
import { decodeMessage, normalName, type Answer, type DecodedPacket } from './wire.js';

/** Records kept from one answer section: a hostile server cannot make us hold more. */
export const MAX_RECORDS = 256;

export interface Reply {
  id: number;
  /** QR set. */
  response: boolean;
  tc: boolean;
  /** dns-packet's name for the header rcode ("NOERROR", "NXDOMAIN", "SERVFAIL", "RCODE_11"...). */
  rcode: string;
  qdcount: number;
  /** The first question, its name normalised; '' and '' when there is none. */
  qname: string;
  qtype: string;
  /** Normalised records, at most `max` of each section; undefined: read them with recordsOf(). */
  answers?: Answer[];
  authorities?: Answer[];
  /** The library's decoding, when this decoder stepped aside. */
  packet?: DecodedPacket;
}

export type ReplyDecoded = { ok: true; reply: Reply } | { ok: false; id: number | undefined };

/** The records of a usable answer, normalised; throws (a plain Error) when one is unusable. */
export function recordsOf(r: Reply, max: number): { answers: Answer[]; authorities: Answer[] } {
  if (r.answers && r.authorities) return { answers: r.answers, authorities: r.authorities };
  const p = r.packet!;
  return { answers: (p.answers ?? []).slice(0, max).map(normalRecord), authorities: (p.authorities ?? []).slice(0, max).map(normalRecord) };
}

/** Lowercases owner names and name-valued data, so callers compare names directly. */
export function normalRecord(a: Answer): Answer {
  const r = { ...a, name: normalName(a.name) } as Answer;
  switch (r.type) {
    case 'CNAME':
    case 'NS':
    case 'PTR':
    case 'DNAME':
      return { ...r, data: normalName(r.data) };
    case 'MX':
      return { ...r, data: { ...r.data, exchange: normalName(r.data.exchange) } };
    case 'SOA':
      return { ...r, data: { ...r.data, mname: normalName(r.data.mname), rname: normalName(r.data.rname) } };
    case 'SRV':
      return { ...r, data: { ...r.data, target: normalName(r.data.target) } };
    default:
      return r;
  }
}

export function decodeReply(buf: Buffer, max: number): ReplyDecoded {
  const fast = fastDecode(buf, max);
  return fast ? { ok: true, reply: fast } : decodeReplyWithLibrary(buf);
}

/** The same through dns-packet alone (what decodeReply falls back to; tests compare the two). */
export function decodeReplyWithLibrary(buf: Buffer): ReplyDecoded {
  const d = decodeMessage(buf);
  if (!d.ok) return d;
  const p = d.packet;
  const q = p.questions?.[0];
  return {
    ok: true,
    reply: {
      id: p.id ?? 0,
      response: p.type === 'response',
      tc: Boolean((p as { flag_tc?: boolean }).flag_tc),
      rcode: (p as { rcode?: string }).rcode ?? 'NOERROR',
      qdcount: p.questions?.length ?? 0,
      qname: q ? normalName(q.name) : '',
      qtype: q ? q.type : '',
      packet: p,
    },
  };
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];
const QTYPES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 39: 'DNAME', 257: 'CAA' };
const TYPE_OPT = 41;
const { aaaa } = dnsPacket as unknown as { aaaa: { decode(buf: Buffer, offset: number): string } };

/** Thrown inside fastDecode only: "not mine, ask dns-packet". */
const ASIDE = Symbol('aside');

/**
 * One pass over a packet dns-packet would decode without surprises; undefined otherwise.
 * Names are decoded exactly as dns-packet's name.decode does (UTF-8 labels joined with dots,
 * compression pointers only backwards, at most 254 bytes), then normalised. One cursor serves
 * every call (decoding is synchronous), so a packet costs no closures.
 */
function fastDecode(buf: Buffer, max: number): Reply | undefined {
  if (buf.length < 12) return undefined;
  const c = cursor;
  c.buf = buf;
  c.len = buf.length;
  c.at = 12;
  c.raw12 = undefined;
  try {
    const id = c.u16(0);
    const flags = c.u16(2);
    const qd = c.u16(4);
    const an = c.u16(6);
    const ns = c.u16(8);
    const ar = c.u16(10);
    const rc = flags & 0xf;
    if (rc >= RCODES.length) return undefined;
    let qname = '';
    let qtype = '';
    for (let i = 0; i < qd; i++) {
      const n = c.name(false);
      const t = QTYPES[c.u16(c.at)];
      if (t === undefined || c.u16(c.at + 2) !== 1) return undefined;
      c.at += 4;
      if (i === 0) {
        qname = c.norm(n);
        qtype = t;
      }
    }
    const answers: Answer[] = [];
    const authorities: Answer[] = [];
    c.section(an, answers, max, false);
    c.section(ns, authorities, max, false);
    c.section(ar, undefined, max, true);
    return { id, response: (flags & 0x8000) !== 0, tc: (flags & 0x0200) !== 0, rcode: RCODES[rc]!, qdcount: qd, qname, qtype, answers, authorities };
  } catch {
    // ASIDE, or anything unforeseen: dns-packet decides.
    return undefined;
  } finally {
    c.buf = EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);

class Cursor {
  buf: Buffer = EMPTY;
  len = 0;
  at = 0;
  /** The name at offset 12 (the question's), which most owner names point to: decoded once. */
  raw12: string | undefined;
  total12 = 0;
  norm12 = '';

  u16(o: number): number {
    if (o + 2 > this.len) throw ASIDE;
    return (this.buf[o]! << 8) | this.buf[o + 1]!;
  }

  u32(o: number): number {
    if (o + 4 > this.len) throw ASIDE;
    return this.buf.readUInt32BE(o);
  }

  norm(raw: string): string {
    return raw === this.raw12 ? this.norm12 : normalName(raw);
  }

  /** dns-packet's name.decode: the name at `at`, moving `at` past it. */
  name(mail: boolean): string {
    const buf = this.buf;
    const len = this.len;
    const start = this.at;
    let offset = start;
    let oldOffset = offset;
    let total = 0;
    let consumed = 0;
    let jumped = false;
    let out = '';
    let labels = 0;
    for (;;) {
      if (jumped && offset === 12 && this.raw12 !== undefined && !mail) {
        // The rest is the question's name, decoded under the very same rules (pointers below 12).
        total += this.total12;
        if (total > 254) throw ASIDE;
        const raw12 = this.raw12;
        out = labels === 0 ? raw12 : raw12 === '.' ? out : `${out}.${raw12}`;
        labels++;
        break;
      }
      if (offset >= len) throw ASIDE;
      const l = buf[offset++]!;
      if (!jumped) consumed++;
      if (l === 0) break;
      if ((l & 0xc0) === 0) {
        if (offset + l > len) throw ASIDE;
        total += l + 1;
        if (total > 254) throw ASIDE;
        let label = buf.toString('utf8', offset, offset + l);
        if (mail && label.includes('.')) label = label.replace(/\./g, '\\.');
        out = labels++ === 0 ? label : `${out}.${label}`;
        offset += l;
        if (!jumped) consumed += l;
      } else if ((l & 0xc0) === 0xc0) {
        if (offset + 1 > len) throw ASIDE;
        const jump = ((l << 8) | buf[offset]!) - 0xc000;
        if (jump >= oldOffset) throw ASIDE;
        offset = jump;
        oldOffset = jump;
        if (!jumped) consumed++;
        jumped = true;
      } else throw ASIDE;
    }
    const raw = labels === 0 ? '.' : out;
    if (start === 12 && !mail) {
      this.raw12 = raw;
      this.total12 = total;
      this.norm12 = normalName(raw);
    }
    this.at = start + consumed;
    return raw;
  }

  /** `count` records; the first `max` kept normalised in `keep` (none for the additional section). */
  section(count: number, keep: Answer[] | undefined, max: number, additional: boolean): void {
    const buf = this.buf;
    for (let i = 0; i < count; i++) {
      const owner = this.name(false);
      const at = this.at;
      const type = this.u16(at);
      if (type === TYPE_OPT) {
        // EDNS: only in the additional section, owner the root, and no options (their
        // decoding has cases of its own): anything else is dns-packet's.
        if (!additional || owner !== '.' || this.u16(at + 8) !== 0) throw ASIDE;
        this.at = at + 10;
        continue;
      }
      const t = QTYPES[type];
      const klass = this.u16(at + 2);
      if (t === undefined || (klass & 0x7fff) !== 1) throw ASIDE;
      const ttl = this.u32(at + 4);
      const rdlen = this.u16(at + 8);
      const start = at + 10;
      const end = start + rdlen;
      if (end > this.len) throw ASIDE;
      this.at = start;
      let data: unknown;
      switch (t) {
        case 'A':
          if (rdlen !== 4) throw ASIDE;
          data = `${buf[start]}.${buf[start + 1]}.${buf[start + 2]}.${buf[start + 3]}`;
          this.at = end;
          break;
        case 'AAAA':
          if (rdlen !== 16) throw ASIDE;
          data = aaaa.decode(buf, start - 2);
          this.at = end;
          break;
        case 'NS':
        case 'CNAME':
        case 'PTR':
        case 'DNAME':
          data = this.norm(this.name(false));
          break;
        case 'MX': {
          const preference = this.u16(start);
          this.at = start + 2;
          data = { preference, exchange: this.norm(this.name(false)) };
          break;
        }
        case 'SRV': {
          const priority = this.u16(start);
          const weight = this.u16(start + 2);
          const port = this.u16(start + 4);
          this.at = start + 6;
          data = { priority, weight, port, target: this.norm(this.name(false)) };
          break;
        }
        case 'SOA': {
          const mname = this.norm(this.name(false));
          const rname = normalName(this.name(true));
          const o = this.at;
          data = { mname, rname, serial: this.u32(o), refresh: this.u32(o + 4), retry: this.u32(o + 8), expire: this.u32(o + 12), minimum: this.u32(o + 16) };
          this.at = o + 20;
          break;
        }
        case 'TXT': {
          const chunks: Buffer[] = [];
          let o = start;
          while (o < end) {
            const l = buf[o++]!;
            if (o + l > end) throw ASIDE;
            chunks.push(buf.subarray(o, o + l));
            o += l;
          }
          data = chunks;
          this.at = end;
          break;
        }
        case 'CAA': {
          if (rdlen < 2) throw ASIDE;
          const flags = buf[start]!;
          const tl = buf[start + 1]!;
          if (2 + tl > rdlen) throw ASIDE;
          const tag = buf.toString('utf8', start + 2, start + 2 + tl);
          data = { flags, tag, value: buf.toString('utf8', start + 2 + tl, end), issuerCritical: (flags & 0x80) !== 0 };
          this.at = end;
          break;
        }
      }
      // dns-packet reads names and fixed fields whatever the data length says: a disagreement is its case.
      if (this.at !== end) throw ASIDE;
      if (keep && keep.length < max) keep.push({ name: this.norm(owner), type: t, ttl, class: 'IN', flush: (klass & 0x8000) !== 0, data } as Answer);
    }
  }
}

const cursor = new Cursor();
