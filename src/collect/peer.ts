// A TLS peer's chain without getPeerCertificate(true), which builds every certificate's detail
// object (modulus hex, three fingerprints) and looks the root up in the trust store: ~0.9 ms a
// connection, 20 % of a scan's CPU. Here the peer's X509Certificate objects are read with the
// cheap getters, put in the order Node's detail object has, and the root Node would append is
// found in a TrustIndex built once per set of trusted roots. The output is exactly
// chainOf(socket.getPeerCertificate(true)); where that cannot be guaranteed (see `exact` and
// `fieldsOf`) the old code computes it.
//
// Node's order (src/crypto/crypto_common.cc, GetPeerCert, v20): the leaf, then repeatedly the
// first remaining sent certificate that X509_check_issued() the current one; then, while the last
// is not self-issued, its issuer from the context's X509_STORE (SSL_CTX_get_issuer).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import type { CertInfo } from '../types.js';
import { certInfo, certInfoWith, chainOf, keyTypeOfX509, MAX_CHAIN } from './cert.js';

/** A leaf's names as tls.checkServerIdentity reads them. */
export interface PeerIdentity {
  subject: Record<string, string | string[]>;
  subjectaltname?: string;
}

export interface PeerChain {
  chain: CertInfo[];
  /** Undefined when the peer sent no certificate. */
  identity?: PeerIdentity;
}

export interface TrustIndex {
  /**
   * False when the lookup here may pick another root than OpenSSL's store would: extra roots
   * from the system store (--use-openssl-ca), an unreadable NODE_EXTRA_CA_CERTS, or a root whose
   * key usage forbids signing certificates. Callers then use the old path.
   */
  exact: boolean;
  /** Roots by a coarse form of their subject; candidates are confirmed with checkIssued. */
  byName: Map<string, TrustedRoot[]>;
}

interface TrustedRoot {
  x: X509Certificate;
  notBefore: number;
  notAfter: number;
}

/** Bounds on what a peer makes us walk (the peer's list is parsed by OpenSSL already). */
// OpenSSL accepts a certificate list of up to 100 KB: a few hundred small certificates.
const MAX_SENT = 512;
const INFO_CACHE = 512;

/**
 * Coarse name key: letters and digits only, lower case, escapes dropped. Coarser than OpenSSL's
 * canonical form (X509_NAME_cmp), so the root it would match is always among the candidates.
 */
function nameKey(printed: string): string {
  return printed.replace(/\\[0-9A-F]{2}/g, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

const indexes = new Map<string, TrustIndex>();

/** The index of tls.rootCertificates plus `ca` (PEM), built on first use and cached per CA list. */
export function trustIndex(ca: string[] = []): TrustIndex {
  const key = ca.join('\n');
  let index = indexes.get(key);
  if (!index) {
    if (indexes.size >= 8) indexes.clear();
    index = buildIndex([...tls.rootCertificates, ...extraCerts(), ...ca]);
    indexes.set(key, index);
  }
  return index;
}

/**
 * NODE_EXTRA_CA_CERTS: Node added this file to its default store at start-up (Debian-style images
 * set it to the system bundle). Read again here; unreadable means the store has what we cannot know.
 */
function extraCerts(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return [readFileSync(file, 'latin1')];
  } catch {
    return ['unreadable'];
  }
}

function buildIndex(pems: string[]): TrustIndex {
  const byName = new Map<string, TrustedRoot[]>();
  const seen = new Set<string>();
  let exact = !pems.includes('unreadable') && !/--use-(openssl|system)-ca/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);
  for (const pem of pems) {
    // A PEM string may hold several certificates (a --ca-file bundle).
    for (const one of pem.match(/-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g) ?? []) {
      let x: X509Certificate;
      try {
        x = new X509Certificate(one);
      } catch {
        continue; // Node's context skips what it cannot parse too
      }
      if (seen.has(x.fingerprint256)) continue; // the store ignores duplicates
      seen.add(x.fingerprint256);
      // The store's issuer check does not look at key usage, checkIssued does: equal only when the
      // certificate may sign itself. A non-self-issued store entry fails this as well (conservative).
      if (!x.checkIssued(x)) exact = false;
      const k = nameKey(x.subject);
      const root = { x, notBefore: Date.parse(x.validFrom), notAfter: Date.parse(x.validTo) };
      const group = byName.get(k);
      if (!group) byName.set(k, [root]);
      else group.push(root); // kept in the order Node adds them to its store
    }
  }
  return { exact, byName };
}

/**
 * X509_STORE_CTX_get1_issuer: among the trusted certificates named as the issuer and accepted by
 * the issuer check, the first currently valid one, else the one expiring last. Same-named roots
 * (a world's "DigiCert Global Root CA" beside the real one) are told apart by the check (the
 * authority key identifier); if two still remain, both valid, the store's order would decide:
 * that corner takes the one listed first, as a stable sort of the store would (Node adds the
 * bundled roots, then NODE_EXTRA_CA_CERTS, then `ca`). It needs two valid same-named roots with
 * the same key: the system bundle's re-issued "Firmaprofesional CIF A62634068" root is one.
 */
function storeIssuer(roots: TrustIndex, cert: X509Certificate): X509Certificate | undefined {
  const group = roots.byName.get(nameKey(cert.issuer));
  if (!group) return undefined;
  const ok = group.filter((r) => cert.checkIssued(r.x));
  if (ok.length <= 1) return ok[0]?.x;
  const now = Date.now();
  const valid = ok.find((r) => r.notBefore <= now && now <= r.notAfter);
  if (valid) return valid.x;
  let best = ok[0]!;
  for (const r of ok) if (r.notAfter > best.notAfter) best = r;
  return best.x;
}

/** Where the old path is exact and this one cannot be: the detail object, chain and identity. */
function oldPath(socket: tls.TLSSocket): PeerChain {
  const peer = socket.getPeerCertificate(true);
  if (!peer || !('raw' in peer)) return { chain: [] };
  return { chain: chainOf(peer), identity: { subject: peer.subject as unknown as PeerIdentity['subject'], ...(peer.subjectaltname !== undefined ? { subjectaltname: peer.subjectaltname } : {}) } };
}

/**
 * The peer's chain, identical to chainOf(socket.getPeerCertificate(true)), and the leaf's names
 * for nameMismatch. Consumes the socket's peer certificates (getPeerX509Certificate is single-use):
 * call it once, instead of getPeerCertificate.
 */
export function readPeerChain(socket: tls.TLSSocket, roots: TrustIndex): PeerChain {
  if (!roots.exact) return oldPath(socket);
  const leaf = socket.getPeerX509Certificate();
  if (!leaf) return { chain: [] };
  const sent: X509Certificate[] = [];
  for (let x: X509Certificate | undefined = leaf.issuerCertificate; x && sent.length < MAX_SENT; x = x.issuerCertificate) sent.push(x);

  // Node's detail chain: issuers among the sent certificates, then from the trust store.
  const ordered: X509Certificate[] = [leaf];
  let last = leaf;
  while (ordered.length <= MAX_CHAIN) {
    const i = sent.findIndex((ca) => last.checkIssued(ca));
    if (i < 0) break;
    last = sent.splice(i, 1)[0]!;
    ordered.push(last);
  }
  while (ordered.length <= MAX_CHAIN && !last.checkIssued(last)) {
    const root = storeIssuer(roots, last);
    if (!root) break;
    ordered.push(root);
    last = root;
  }

  // chainOf's walk: stop at a repeat (a self-issued certificate sent twice) or MAX_CHAIN.
  const chain: CertInfo[] = [];
  const seen = new Set<string>();
  let identity: PeerIdentity | undefined;
  for (const x of ordered) {
    if (chain.length >= MAX_CHAIN) break;
    const { info, subject } = infoOf(x);
    if (x === leaf) identity = { subject, ...(x.subjectAltName !== undefined ? { subjectaltname: x.subjectAltName } : {}) };
    if (seen.has(info.fingerprint256)) break;
    seen.add(info.fingerprint256);
    chain.push(info);
  }
  return identity ? { chain, identity } : { chain };
}

/** Certificates read through the fast path and through the detail object (for tests and benches). */
export const peerStats = { fast: 0, legacy: 0 };

// Intermediates and roots recur across sites: their CertInfo is kept by fingerprint.
const infos = new Map<string, { info: CertInfo; subject: PeerIdentity['subject'] }>();

function infoOf(x: X509Certificate): { info: CertInfo; subject: PeerIdentity['subject'] } {
  const fp = x.fingerprint256;
  const hit = infos.get(fp);
  if (hit) return hit;
  const made = fieldsOf(x);
  if (infos.size >= INFO_CACHE) infos.clear();
  infos.set(fp, made);
  return made;
}

/**
 * One certificate's CertInfo from the cheap getters. The names are the printed (RFC 2253-escaped,
 * one attribute a line) subject and issuer, unescaped; when a name holds anything that printing
 * and Node's detail object treat differently (not UTF-8, unusual string types, a count mismatch)
 * the detail object of that one certificate (toLegacyObject, the same C++ code) is used instead.
 */
function fieldsOf(x: X509Certificate): { info: CertInfo; subject: PeerIdentity['subject'] } {
  const subject = parseName(x.subject);
  const issuer = parseName(x.issuer);
  const counts = nameFieldsExact(x.raw);
  if (subject && issuer && counts && counts.subject === countOf(subject) && counts.issuer === countOf(issuer)) {
    const fields = {
      subject: subject as unknown as tls.Certificate,
      issuer: issuer as unknown as tls.Certificate,
      valid_from: x.validFrom,
      valid_to: x.validTo,
      serialNumber: x.serialNumber,
      fingerprint256: x.fingerprint256,
      ...(x.subjectAltName !== undefined ? { subjectaltname: x.subjectAltName } : {}),
    };
    peerStats.fast++;
    return { info: certInfoWith(fields, keyTypeOfX509(x)), subject };
  }
  peerStats.legacy++;
  const legacy = x.toLegacyObject();
  return { info: certInfo(legacy), subject: (legacy.subject ?? {}) as unknown as PeerIdentity['subject'] };
}

function countOf(name: PeerIdentity['subject']): number {
  let n = 0;
  for (const v of Object.values(name)) n += Array.isArray(v) ? v.length : 1;
  return n;
}

/**
 * "C=US\nO=DigiCert Inc\nCN=a \+ b" → { C: 'US', O: 'DigiCert Inc', CN: 'a + b' } with repeated
 * attributes as arrays, like Node's detail object. Undefined when the text is not what
 * X509_NAME_print_ex(ESC_2253 | ESC_CTRL | UTF8_CONVERT | SEP_MULTILINE | FN_SN) writes.
 */
export function parseName(text: string): PeerIdentity['subject'] | undefined {
  const out = Object.create(null) as PeerIdentity['subject'];
  if (text === '') return out;
  if (text.includes('\uFFFD')) return undefined; // invalid UTF-8: the detail object drops the whole name
  // Multi-valued RDNs are joined by " + "; a "+" in a value is always escaped.
  for (const ava of text.split(/\n| \+ /)) {
    const eq = ava.indexOf('=');
    if (eq <= 0) return undefined;
    const key = ava.slice(0, eq);
    // Numeric OIDs: the detail object names them its own way; leave them to it.
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(key)) return undefined;
    const value = unescapeValue(ava.slice(eq + 1));
    if (value === undefined) return undefined;
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}

/** RFC 2253 escapes as OpenSSL writes them: \, \+ \" \\ \< \> \; \# and "\ ", control bytes as \XX. */
function unescapeValue(s: string): string | undefined {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = s[i + 1];
    if (next === undefined) return undefined;
    if (/[0-9A-F]/.test(next)) {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      const code = parseInt(hex, 16);
      // Only control characters are written as hex (no ESC_MSB): anything else is not ours.
      if (code >= 0x20 && code !== 0x7f) return undefined;
      out += String.fromCharCode(code);
      i += 2;
    } else if (',+"\\<>;# '.includes(next)) {
      out += next;
      i += 1;
    } else {
      return undefined;
    }
  }
  return out;
}

/**
 * The error code tls.checkServerIdentity gives for this host and leaf ('ERR_TLS_CERT_ALTNAME_INVALID'),
 * or undefined when the name matches. It is Node's own check, given the same subject and SANs.
 */
export function nameMismatch(host: string, leaf: PeerIdentity): string | undefined {
  const err = tls.checkServerIdentity(host, leaf as unknown as tls.PeerCertificate);
  return err ? ((err as NodeJS.ErrnoException).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID') : undefined;
}

/**
 * The number of attributes in the issuer and subject names of a DER certificate, or undefined
 * when a value is of a type where the printed name and the detail object may differ: only
 * UTF8String (valid UTF-8) and ASCII PrintableString / IA5String are taken. Bounded by the DER.
 */
export function nameFieldsExact(der: Buffer): { issuer: number; subject: number } | undefined {
  try {
    const cert = tlv(der, 0);
    const tbs = tlv(der, cert.start);
    let p = tbs.start;
    let t = tlv(der, p);
    if (t.tag === 0xa0) t = tlv(der, (p = t.end)); // version
    t = tlv(der, (p = t.end)); // signature algorithm (t was the serial)
    const issuerTlv = tlv(der, t.end);
    const validity = tlv(der, issuerTlv.end);
    const subjectTlv = tlv(der, validity.end);
    const issuer = countName(der, issuerTlv);
    const subject = countName(der, subjectTlv);
    return issuer === undefined || subject === undefined ? undefined : { issuer, subject };
  } catch {
    return undefined;
  }
}

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function tlv(b: Buffer, at: number): Tlv {
  if (at + 2 > b.length) throw new RangeError('short');
  const tag = b[at]!;
  let len = b[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3 || start + n > b.length) throw new RangeError('length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  if (start + len > b.length) throw new RangeError('overrun');
  return { tag, start, end: start + len };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function countName(b: Buffer, name: Tlv): number | undefined {
  if (name.tag !== 0x30) return undefined;
  let n = 0;
  for (let p = name.start; p < name.end; ) {
    const set = tlv(b, p);
    if (set.tag !== 0x31) return undefined;
    for (let q = set.start; q < set.end; ) {
      const ava = tlv(b, q);
      if (ava.tag !== 0x30) return undefined;
      const oid = tlv(b, ava.start);
      const value = tlv(b, oid.end);
      const bytes = b.subarray(value.start, value.end);
      if (value.tag === 0x0c) {
        try {
          utf8.decode(bytes);
        } catch {
          return undefined;
        }
      } else if (value.tag === 0x13 || value.tag === 0x16) {
        if (bytes.some((c) => c >= 0x80)) return undefined;
      } else {
        return undefined;
      }
      n++;
      q = ava.end;
    }
    p = set.end;
  }
  return n;
}
