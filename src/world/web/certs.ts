// The world's certificate hierarchy: roots self-signed, intermediates signed by their issuer,
// leaves issued on demand (one shared ECDSA P-256 key) with SANs from the site's tls.names.
// forge encodes only RSA public keys, so a leaf's TBSCertificate gets its EC key info and the
// signature algorithm spliced in before it is signed (RFC 5280 section 4.1, RFC 5758 section 3.2).
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import type { World, WorldCa } from '../types.js';
import { leafKey, worldKey, type LeafKey, type WorldKey } from './keys.js';

const DAY_MS = 86_400_000;

interface BuiltCa {
  ca: WorldCa;
  key: WorldKey;
  cert: forge.pki.Certificate;
  pem: string;
  /** Subject key identifier, for children's authorityKeyIdentifier. */
  ski: string;
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

function validity(cert: forge.pki.Certificate, expired: boolean, now = Date.now()): void {
  cert.validity.notBefore = new Date(expired ? now - 400 * DAY_MS : now - DAY_MS);
  cert.validity.notAfter = new Date(expired ? now - 30 * DAY_MS : now + 90 * DAY_MS);
}

export class CertAuthorities {
  private readonly built = new Map<string, Promise<BuiltCa>>();
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

  /** A leaf for `names` issued by CA `caId`, or self-signed (no caId, or the self-signed variant). */
  async issueLeaf(names: string[], caId: string | undefined, variant: LeafVariant = 'normal'): Promise<LeafCert> {
    const issuer = caId === undefined || variant === 'self-signed' ? undefined : await this.ca(caId);
    const cert = forge.pki.createCertificate();
    cert.serialNumber = serial();
    cert.publicKey = PLACEHOLDER_KEY;
    validity(cert, variant === 'expired');
    const subject = [{ shortName: 'CN', value: names[0] ?? 'localhost' }];
    cert.setSubject(subject);
    cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
      ...(issuer ? [{ name: 'authorityKeyIdentifier', keyIdentifier: issuer.ski }] : []),
    ]);
    const der = signLeaf(cert, this.leafKey, issuer?.key);
    // The issuing CA and its parents are sent when they are intermediates; a root never is.
    const sent = issuer ? await this.chain(issuer.ca.id) : [];
    return { certPem: forge.pem.encode({ type: 'CERTIFICATE', body: der }) + sent.join(''), keyPem: this.leafKey.pem };
  }
}

const { asn1 } = forge;
// Stands in for the leaf's key while forge builds the TBSCertificate; replaced before signing.
const PLACEHOLDER_KEY = forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('3'), new forge.jsbn.BigInteger('3'));
const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

/** AlgorithmIdentifier: RSA's carries NULL parameters, ECDSA's none (RFC 5758 section 3.2). */
function algorithm(oid: string): forge.asn1.Asn1 {
  const id = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes());
  const params = oid === ECDSA_SHA256 ? [] : [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')];
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [id, ...params]);
}

/**
 * DER of `cert` with the leaf's EC key, signed by the issuer's RSA key (sha256WithRSAEncryption)
 * or, self-signed, by the leaf key itself (ecdsa-with-SHA256).
 */
function signLeaf(cert: forge.pki.Certificate, leaf: LeafKey, issuerKey: WorldKey | undefined): string {
  const oid = issuerKey ? forge.pki.oids.sha256WithRSAEncryption! : ECDSA_SHA256;
  cert.siginfo.algorithmOid = oid;
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  // [version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, extensions]
  fields[2] = algorithm(oid);
  fields[6] = asn1.fromDer(leaf.spki.toString('binary'));
  const tbsDer = asn1.toDer(tbs).getBytes();
  let signature: string;
  if (issuerKey) {
    const md = forge.md.sha256.create();
    md.update(tbsDer);
    signature = issuerKey.signer.sign(md);
  } else {
    signature = leaf.sign(Buffer.from(tbsDer, 'binary')).toString('binary');
  }
  const bits = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(0) + signature);
  return asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [tbs, algorithm(oid), bits])).getBytes();
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
  return { ca, key, cert, pem: forge.pki.certificateToPem(cert), ski: cert.generateSubjectKeyIdentifier().getBytes() };
}
