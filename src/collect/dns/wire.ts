// DNS messages on the wire: building queries and decoding answers. dns-packet throws on
// garbage (and on some well-formed but odd input); everything is caught here, the boundary.
import { decode, encode, RECURSION_DESIRED, type Answer, type DecodedPacket } from 'dns-packet';

/** Our EDNS0 UDP payload size: the DNS Flag Day 2020 value, safe from IP fragmentation. */
export const EDNS_UDP_SIZE = 1232;

export const QUERY_TYPES = ['A', 'AAAA', 'CNAME', 'NS', 'MX', 'TXT', 'SOA', 'CAA', 'SRV'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

export function encodeQuery(id: number, name: string, type: QueryType): Buffer {
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
