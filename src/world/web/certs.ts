// The world's certificate hierarchy: roots self-signed, intermediates signed by their issuer,
// leaves issued on demand (one shared key) with SANs from the site's tls.names.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import type { World, WorldCa } from '../types.js';
import { worldKey, type WorldKey } from './keys.js';

const DAY_MS = 86_400_000;

interface BuiltCa {
  ca: WorldCa;
  key: WorldKey;
  cert: forge.pki.Certificate;
  pem: string;
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
    if (SHORT_NAMES.has(k)) attrs.push({ shortName: k, value });
    else if (/^\d+(\.\d+)+$/.test(k)) attrs.push({ type: k, value });
    else if (forge.pki.oids[k]) attrs.push({ name: k, value });
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
  private constructor(
    private readonly byId: Map<string, BuiltCa>,
    private readonly leafKey: WorldKey,
  ) {}

  /** Builds every CA certificate of the world (few of them; leaves are made lazily). */
  static async build(world: World): Promise<CertAuthorities> {
    const cas = world.cas ?? [];
    const [leafKey, ...keys] = await Promise.all([worldKey(0), ...cas.map((_, i) => worldKey(i + 1))]);
    const byId = new Map<string, BuiltCa>();
    const pending = new Map(cas.map((ca, i) => [ca.id, { ca, key: keys[i]! }]));
    // Issuers first; validateWorld has ruled out cycles and unknown issuers, the bound guards anyway.
    for (let round = 0; pending.size > 0 && round <= cas.length; round++) {
      for (const [id, { ca, key }] of pending) {
        const parent = ca.issuer === undefined ? undefined : byId.get(ca.issuer);
        if (ca.issuer !== undefined && !parent) continue;
        const cert = forge.pki.createCertificate();
        cert.serialNumber = serial();
        cert.publicKey = key.publicKey;
        validity(cert, false);
        cert.validity.notAfter = new Date(Date.now() + 3650 * DAY_MS);
        cert.setSubject(subjectAttrs(ca.subject));
        cert.setIssuer(parent ? parent.cert.subject.attributes : subjectAttrs(ca.subject));
        cert.setExtensions([
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
          { name: 'subjectKeyIdentifier' },
          ...(parent ? [{ name: 'authorityKeyIdentifier', keyIdentifier: parent.cert.generateSubjectKeyIdentifier().getBytes() }] : []),
        ]);
        cert.sign((parent ?? { key }).key.signer, forge.md.sha256.create());
        byId.set(id, { ca, key, cert, pem: forge.pki.certificateToPem(cert) });
        pending.delete(id);
      }
    }
    return new CertAuthorities(byId, leafKey);
  }

  /** PEM of every root CA: what a client of this world trusts. */
  get rootsPem(): string {
    return [...this.byId.values()].filter((b) => b.ca.issuer === undefined).map((b) => b.pem).join('');
  }

  /** Intermediates from the CA `id` up to, not including, the root. */
  private chain(id: string): string[] {
    const out: string[] = [];
    for (let cur = this.byId.get(id); cur && cur.ca.issuer !== undefined; cur = this.byId.get(cur.ca.issuer)) {
      out.push(cur.pem);
      if (out.length > 32) break;
    }
    return out;
  }

  /** A leaf for `names` issued by CA `caId` (or self-signed). */
  issueLeaf(names: string[], caId: string | undefined, variant: LeafVariant = 'normal'): LeafCert {
    const issuer = caId === undefined || variant === 'self-signed' ? undefined : this.byId.get(caId);
    const cert = forge.pki.createCertificate();
    cert.serialNumber = serial();
    cert.publicKey = this.leafKey.publicKey;
    validity(cert, variant === 'expired');
    const subject = [{ shortName: 'CN', value: names[0] ?? 'localhost' }];
    cert.setSubject(subject);
    cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
      ...(issuer ? [{ name: 'authorityKeyIdentifier', keyIdentifier: issuer.cert.generateSubjectKeyIdentifier().getBytes() }] : []),
    ]);
    cert.sign(issuer ? issuer.key.signer : this.leafKey.signer, forge.md.sha256.create());
    // The issuing CA and its parents are sent when they are intermediates; a root never is.
    const sent = issuer ? this.chain(issuer.ca.id) : [];
    return { certPem: forge.pki.certificateToPem(cert) + sent.join(''), keyPem: this.leafKey.pem };
  }
}
