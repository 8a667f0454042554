// The world's certificate hierarchy: roots self-signed, intermediates signed by their issuer,
// leaves issued on demand (one shared ECDSA P-256 key) with SANs from the site's tls.names.
// CAs (a handful) are built with node-forge. Leaves (one per site, thousands) are DER-encoded
// directly (der.ts) from parts cached per CA and per process, and signed natively on the libuv pool.
import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { domainToASCII } from 'node:url';
import forge from 'node-forge';
import type { World, WorldCa } from '../types.js';
import { bitString, directoryString, explicit, implicit, ipBytes, NULL, octetString, oid, seq, set, smallInt, time, TRUE, uint } from './der.js';
import { leafKey, worldKey, type LeafKey, type WorldKey } from './keys.js';

const DAY_MS = 86_400_000;

interface BuiltCa {
  ca: WorldCa;
  key: WorldKey;
  cert: forge.pki.Certificate;
  pem: string;
  /** Subject key identifier, for children's authorityKeyIdentifier. */
  ski: string;
  skiDer: Buffer;
  /** Subject Name, DER: the issuer field of the leaves this CA issues. */
  nameDer: Buffer;
}

export type LeafVariant = 'normal' | 'expired' | 'self-signed';

export interface LeafCert {
  /** Leaf followed by the intermediates up to (not including) the root. */
  certPem: string;
  keyPem: string;
}

const SHORT_NAMES = new Set(['CN', 'C', 'L', 'ST', 'O', 'OU', 'E']);

/** World subject {"CN": "R3", "O": "..."} → forge attributes; long names and OIDs are accepted too. */
export function subjectAttrs(subject: Record<string, string>): forge.pki.CertificateField[] {
  const attrs: forge.pki.CertificateField[] = [];
  for (const [k, value] of Object.entries(subject)) {
    // forge writes a value's chars as bytes (PrintableString by default): anything beyond ASCII
    // (a Chinese CA name, a bidi override) must be a UTF8String, which forge encodes itself.
    // (@types/node-forge types valueTagClass as a Class; forge compares it with asn1.Type.)
    const tag = /[^\x20-\x7e]/.test(value) ? { valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class } : {};
    if (SHORT_NAMES.has(k)) attrs.push({ shortName: k, value, ...tag });
    else if (/^\d+(\.\d+)+$/.test(k)) attrs.push({ type: k, value, ...tag });
    else if (forge.pki.oids[k]) attrs.push({ name: k, value, ...tag });
    // Anything else has no OID we could encode; it is left out rather than breaking the world.
  }
  return attrs;
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive INTEGER
  return b.toString('hex');
}

export class CertAuthorities {
  private readonly built = new Map<string, Promise<BuiltCa>>();
  private readonly sent = new Map<string, Promise<string>>();
  private readonly slots: Map<string, { ca: WorldCa; slot: number }>;

  private constructor(
    cas: WorldCa[],
    private readonly leafKey: LeafKey,
    private readonly roots: BuiltCa[],
  ) {
    this.slots = new Map(cas.map((ca, i) => [ca.id, { ca, slot: i + 1 }]));
  }

  /**
   * Builds the root certificates (clients need them up front); intermediates are built on first
   * use. Key generation for all of them starts now, leaf and roots first (the libuv pool is FIFO),
   * so startup waits for few keys, whatever the size of the world.
   */
  static async build(world: World): Promise<CertAuthorities> {
    const cas = world.cas ?? [];
    const rootIdx = cas.flatMap((c, i) => (c.issuer === undefined ? [i] : []));
    const leaf0 = leafKey();
    const rootKeys = rootIdx.map((i) => worldKey(i + 1));
    cas.forEach((c, i) => c.issuer !== undefined && worldKey(i + 1).catch(() => undefined));
    const [leaf, ...keys] = await Promise.all([leaf0, ...rootKeys]);
    const roots = rootIdx.map((i, k) => makeCa(cas[i]!, keys[k]!, undefined));
    const self = new CertAuthorities(cas, leaf, roots);
    for (const r of roots) self.built.set(r.ca.id, Promise.resolve(r));
    return self;
  }

  /** PEM of every root CA: what a client of this world trusts. */
  get rootsPem(): string {
    return this.roots.map((b) => b.pem).join('');
  }

  /** The built CA `id` (validateWorld guarantees it exists and its issuers do not loop). */
  private ca(id: string, depth = 0): Promise<BuiltCa> {
    let p = this.built.get(id);
    if (!p) {
      const entry = this.slots.get(id);
      if (!entry || depth > 32) return Promise.reject(new Error(`unknown CA "${id}"`));
      const { ca, slot } = entry;
      p = Promise.all([worldKey(slot), ca.issuer === undefined ? undefined : this.ca(ca.issuer, depth + 1)]).then(([key, parent]) =>
        makeCa(ca, key, parent),
      );
      this.built.set(id, p);
    }
    return p;
  }

  /** Intermediates from CA `id` up to, not including, the root. */
  private async chain(id: string): Promise<string[]> {
    const out: string[] = [];
    for (let cur: BuiltCa | undefined = await this.ca(id); cur.ca.issuer !== undefined && out.length < 32; cur = await this.ca(cur.ca.issuer)) {
      out.push(cur.pem);
    }
    return out;
  }

  /** PEM of the intermediates sent with a leaf of CA `id`, built once per CA. */
  private sentPem(id: string): Promise<string> {
    let p = this.sent.get(id);
    if (!p) {
      p = this.chain(id).then((pems) => pems.join(''));
      this.sent.set(id, p);
    }
    return p;
  }

  /** A leaf for `names` issued by CA `caId`, or self-signed (no caId, or the self-signed variant). */
  async issueLeaf(names: string[], caId: string | undefined, variant: LeafVariant = 'normal'): Promise<LeafCert> {
    const issuer = caId === undefined || variant === 'self-signed' ? undefined : await this.ca(caId);
    const now = Date.now();
    const expired = variant === 'expired';
    const tbs = leafTbs({
      serial: Buffer.from(serial(), 'hex'),
      notBefore: new Date(expired ? now - 400 * DAY_MS : now - DAY_MS),
      notAfter: new Date(expired ? now - 30 * DAY_MS : now + 90 * DAY_MS),
      names,
      spki: this.leafKey.spki,
      issuer: issuer && { name: issuer.nameDer, ski: issuer.skiDer },
    });
    const alg = issuer ? SHA256_RSA : ECDSA_SHA256;
    // RSA (~1 ms) is signed on the libuv pool, keeping the world's event loop free; ECDSA (~0.05 ms)
    // costs less than the hand-off, so it is signed in place.
    const signature = issuer ? await signAsync(tbs, issuer.key.key) : this.leafKey.sign(tbs);
    const der = seq(tbs, alg, bitString(signature));
    // The issuing CA and its parents are sent when they are intermediates; a root never is.
    const sent = issuer ? await this.sentPem(issuer.ca.id) : '';
    return { certPem: pem(der) + sent, keyPem: this.leafKey.pem };
  }
}

/** AlgorithmIdentifiers: RSA's carries NULL parameters, ECDSA's none (RFC 5758 section 3.2). */
const SHA256_RSA = seq(oid('1.2.840.113549.1.1.11'), NULL);
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const OID_CN = oid('2.5.4.3');
const VERSION_3 = explicit(0, smallInt(2));
/** The extensions every leaf carries the same (RFC 5280 section 4.2.1): basicConstraints cA false,
 * keyUsage digitalSignature (critical), extKeyUsage serverAuth. */
const FIXED_EXTENSIONS = [
  extension('2.5.29.19', seq()),
  extension('2.5.29.15', bitString(Buffer.from([0x80]), 7), true),
  extension('2.5.29.37', seq(oid('1.3.6.1.5.5.7.3.1'))),
];

function extension(id: string, value: Buffer, critical = false): Buffer {
  return critical ? seq(oid(id), TRUE, octetString(value)) : seq(oid(id), octetString(value));
}

/** A SAN dNSName is an IA5String: a name beyond ASCII goes in as its A-label when it has one. */
function dnsName(name: string): Buffer {
  if (/^[\x00-\x7f]*$/.test(name)) return implicit(2, Buffer.from(name, 'latin1'));
  return implicit(2, Buffer.from(domainToASCII(name) || name, 'utf8'));
}

export interface LeafTbsInput {
  /** Serial number, big-endian, non-negative. */
  serial: Buffer;
  notBefore: Date;
  notAfter: Date;
  /** SAN entries (IP literals become iPAddress); names[0] is the subject CN. */
  names: string[];
  /** SubjectPublicKeyInfo DER of the leaf key. */
  spki: Buffer;
  /** Issuing CA: its subject Name DER and key identifier; none for a self-signed leaf. */
  issuer?: { name: Buffer; ski: Buffer } | undefined;
}

/** DER TBSCertificate of a world leaf (RFC 5280 section 4.1), signed by an RSA CA or self-signed with ECDSA. */
export function leafTbs(i: LeafTbsInput): Buffer {
  const subject = seq(set(seq(OID_CN, directoryString(i.names[0] ?? 'localhost'))));
  const san = seq(...i.names.map((n) => {
    const ip = ipBytes(n);
    return ip ? implicit(7, ip) : dnsName(n);
  }));
  const extensions = [...FIXED_EXTENSIONS, extension('2.5.29.17', san)];
  if (i.issuer) extensions.push(extension('2.5.29.35', seq(implicit(0, i.issuer.ski))));
  return seq(
    VERSION_3,
    uint(i.serial),
    i.issuer ? SHA256_RSA : ECDSA_SHA256,
    i.issuer ? i.issuer.name : subject,
    seq(time(i.notBefore), time(i.notAfter)),
    subject,
    i.spki,
    explicit(3, seq(...extensions)),
  );
}

/** sha256 signature (PKCS#1 v1.5 for an RSA key) made on the libuv pool. */
function signAsync(data: Buffer, key: KeyObject): Promise<Buffer> {
  return new Promise((resolve, reject) => sign('sha256', data, key, (err, sig) => (err ? reject(err) : resolve(sig))));
}

/** PEM as forge writes it (CRLF line ends), so leaf and intermediates look alike. */
function pem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}(?=.)/g, '$&\r\n');
  return `-----BEGIN CERTIFICATE-----\r\n${b64}\r\n-----END CERTIFICATE-----\r\n`;
}

function makeCa(ca: WorldCa, key: WorldKey, parent: BuiltCa | undefined): BuiltCa {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = serial();
  cert.publicKey = key.publicKey;
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 3650 * DAY_MS);
  cert.setSubject(subjectAttrs(ca.subject));
  cert.setIssuer(parent ? parent.cert.subject.attributes : subjectAttrs(ca.subject));
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    ...(parent ? [{ name: 'authorityKeyIdentifier', keyIdentifier: parent.ski }] : []),
  ]);
  cert.sign((parent ?? { key }).key.signer, forge.md.sha256.create());
  const ski = cert.generateSubjectKeyIdentifier().getBytes();
  const nameDer = Buffer.from(forge.asn1.toDer(forge.pki.distinguishedNameToAsn1(cert.subject)).getBytes(), 'binary');
  return { ca, key, cert, pem: forge.pki.certificateToPem(cert), ski, skiDer: Buffer.from(ski, 'binary'), nameDer };
}
