// How a certificate's names and key identifiers are recorded (CertInfo in types.ts), shared by
// the collector, which records them from scanned servers, and the CCADB index, which is keyed by
// them. Key identifiers (RFC 5280 section 4.2.1.1-2): the Subject Key Identifier, and the
// Authority Key Identifier naming the key that signed the certificate; a leaf's AKI is the SKI of
// the CA that issued it. Node exposes neither, so the DER is walked here. Certificates come from
// scanned servers: every read is bounds-checked and anything odd yields "no identifier".

const MAX_NAME_ATTRIBUTES = 50;
const MAX_STRING = 2048;

/**
 * A subject or issuer as recorded, from Node's object form (getPeerCertificate, toLegacyObject):
 * repeated attributes (several OU), which Node gives as arrays, are joined with ", ".
 */
export function nameRecord(obj: unknown): Record<string, string> {
  const clip = (s: string): string => (s.length > MAX_STRING ? s.slice(0, MAX_STRING) : s);
  const out: Record<string, string> = {};
  if (!obj || typeof obj !== 'object') return out;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>).slice(0, MAX_NAME_ATTRIBUTES)) {
    if (typeof v === 'string') out[k] = clip(v);
    else if (Array.isArray(v)) out[k] = clip(v.map(String).join(', '));
  }
  return out;
}

export interface KeyIds {
  /** Subject Key Identifier, lowercase hex. */
  ski?: string;
  /** keyIdentifier of the Authority Key Identifier, lowercase hex. */
  aki?: string;
}

/** Longest identifier kept: RFC 5280 suggests 20 bytes; a hostile one is cut off here. */
const MAX_ID_BYTES = 64;

interface Tlv {
  tag: number;
  /** First content byte. */
  start: number;
  /** One past the last content byte. */
  end: number;
}

/** The element at `pos`, its content inside [pos, limit), or null. Definite lengths only (DER). */
function tlv(buf: Uint8Array, pos: number, limit: number): Tlv | null {
  if (pos + 2 > limit) return null;
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) return null; // high tag numbers never occur in the parts we read
  let len = buf[pos + 1]!;
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + len;
  return end > limit ? null : { tag, start, end };
}

/** The children of a constructed element, in order (at most `max`). */
function children(buf: Uint8Array, parent: Tlv, max = 64): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.start; p < parent.end && out.length < max; ) {
    const c = tlv(buf, p, parent.end);
    if (!c) break;
    out.push(c);
    p = c.end;
  }
  return out;
}

const hex = (buf: Uint8Array, t: Tlv): string | undefined =>
  t.end > t.start ? Buffer.from(buf.subarray(t.start, Math.min(t.end, t.start + MAX_ID_BYTES))).toString('hex') : undefined;

// DER of the extension OIDs: 2.5.29.14 subjectKeyIdentifier, 2.5.29.35 authorityKeyIdentifier.
const OID_SKI = '551d0e';
const OID_AKI = '551d23';

/** SKI and AKI of a DER certificate; absent when the certificate has none or is malformed. */
export function keyIds(der: Uint8Array): KeyIds {
  const out: KeyIds = {};
  const cert = tlv(der, 0, der.length);
  if (!cert || cert.tag !== 0x30) return out;
  const tbs = tlv(der, cert.start, cert.end);
  if (!tbs || tbs.tag !== 0x30) return out;
  // Extensions are the [3] EXPLICIT element at the end of the TBSCertificate.
  const ext = children(der, tbs, 12).find((c) => c.tag === 0xa3);
  const list = ext && tlv(der, ext.start, ext.end);
  if (!list || list.tag !== 0x30) return out;
  for (const e of children(der, list, 256)) {
    const parts = children(der, e, 3);
    const id = parts[0];
    const value = parts[parts.length - 1];
    if (!id || id.tag !== 0x06 || !value || value.tag !== 0x04) continue;
    const oid = Buffer.from(der.subarray(id.start, id.end)).toString('hex');
    if (oid === OID_SKI) {
      const inner = tlv(der, value.start, value.end);
      if (inner && inner.tag === 0x04) out.ski = hex(der, inner);
    } else if (oid === OID_AKI) {
      const seq = tlv(der, value.start, value.end);
      // keyIdentifier is [0] IMPLICIT OCTET STRING (primitive context tag 0).
      const keyId = seq && seq.tag === 0x30 ? children(der, seq, 3).find((c) => c.tag === 0x80) : undefined;
      if (keyId) out.aki = hex(der, keyId);
    }
  }
  if (out.ski === undefined) delete out.ski;
  if (out.aki === undefined) delete out.aki;
  return out;
}
