// DNS messages on the wire: building queries and decoding answers. dns-packet throws on
// garbage (and on some well-formed but odd input); everything is caught here, the boundary.
import { decode, encode, RECURSION_DESIRED, type Answer, type DecodedPacket } from 'dns-packet';

/** Our EDNS0 UDP payload size: the DNS Flag Day 2020 value, safe from IP fragmentation. */
export const EDNS_UDP_SIZE = 1232;

export const QUERY_TYPES = ['A', 'AAAA', 'CNAME', 'NS', 'MX', 'TXT', 'SOA', 'CAA', 'SRV'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

const TYPE_CODES: Record<QueryType, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28, SRV: 33, CAA: 257 };
const FLAG_RD = 0x0100;
const TYPE_OPT = 41;

/**
 * A query with RD and an EDNS0 OPT record, byte for byte what dns-packet's encode() gives
 * (a test checks), written directly: encode() was the client's largest CPU cost. `name` is
 * an ASCII name already checked by queryName(); dns-packet is the fallback for anything else.
 */
export function encodeQuery(id: number, name: string, type: QueryType): Buffer {
  if (!/^[\x21-\x7e]{1,253}$/.test(name) || name.includes('\\')) return encodeWithLibrary(id, name, type);
  const n = name.length;
  const b = Buffer.allocUnsafe(12 + n + 2 + 4 + 11);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(FLAG_RD, 2);
  b.writeUInt16BE(1, 4); // QDCOUNT
  b.writeUInt32BE(0, 6); // ANCOUNT, NSCOUNT
  b.writeUInt16BE(1, 10); // ARCOUNT: the OPT record
  // The name's bytes one place on, then each dot becomes the length of the label after it.
  b.write(name, 13, 'latin1');
  let lengthAt = 12;
  for (let i = 0; i <= n; i++) {
    if (i < n && name.charCodeAt(i) !== 46) continue;
    const l = 13 + i - lengthAt - 1;
    if (l === 0 || l > 63) return encodeWithLibrary(id, name, type);
    b[lengthAt] = l;
    lengthAt = 13 + i;
  }
  let at = 13 + n;
  b[at++] = 0;
  b.writeUInt16BE(TYPE_CODES[type], at);
  b.writeUInt16BE(1, at + 2); // IN
  at += 4;
  b[at] = 0; // OPT owner: the root
  b.writeUInt16BE(TYPE_OPT, at + 1);
  b.writeUInt16BE(EDNS_UDP_SIZE, at + 3); // the OPT "class" is our UDP payload size
  b.writeUInt32BE(0, at + 5); // extended rcode, version 0, no DO bit
  b.writeUInt16BE(0, at + 9); // no options
  return b;
}

export function encodeWithLibrary(id: number, name: string, type: QueryType): Buffer {
  return encode({
    type: 'query',
    id,
    flags: RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}

export type Decoded =
  | { ok: true; packet: DecodedPacket }
  /** Undecodable; `id` is the header's id when there are at least two bytes. */
  | { ok: false; id: number | undefined };

/** Decodes a response. Never throws. */
export function decodeMessage(buf: Buffer): Decoded {
  const id = buf.length >= 2 ? buf.readUInt16BE(0) : undefined;
  if (buf.length < 12) return { ok: false, id };
  try {
    const packet = decode(buf);
    // Touch what the resolver will read, so lazy oddities surface here and not later.
    if (!Array.isArray(packet.questions) || !Array.isArray(packet.answers)) return { ok: false, id };
    for (const a of [...packet.answers, ...(packet.authorities ?? [])]) if (typeof a.name !== 'string' || typeof a.type !== 'string') return { ok: false, id };
    return { ok: true, packet };
  } catch {
    return { ok: false, id };
  }
}

/** Names as we compare and report them: lowercase, no trailing dot. */
export function normalName(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** The data of a name- or address-valued record (A, AAAA, CNAME, NS, PTR), else ''. */
export function stringData(a: Answer): string {
  return 'data' in a && typeof a.data === 'string' ? a.data : '';
}

export type { Answer, DecodedPacket };
