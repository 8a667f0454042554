// The world's certificate hierarchy: roots self-signed, intermediates signed by their issuer,
// leaves issued on demand (one shared ECDSA P-256 key) with SANs from the site's tls.names.
// Everything is DER-encoded directly (der.ts, names.ts) and signed natively with P-256 keys:
// CAs are all made when the world starts (hundreds take well under a second), leaves on first
// use, once per CA and names.
import { createHash, randomBytes } from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { World, WorldCa } from '../types.js';
import { bitString, explicit, implicit, ipBytes, octetString, oid, seq, set, smallInt, time, TRUE, uint, directoryString } from './der.js';
import { leafKey, worldKey, type LeafKey, type WorldKey } from './keys.js';
import { encodeName } from './names.js';

const DAY_MS = 86_400_000;

interface BuiltCa {
  ca: WorldCa;
  key: WorldKey;
  pem: string;
  /** Subject key identifier, for children's authorityKeyIdentifier. */
  skiDer: Buffer;
  /** Subject Name, DER: the issuer field of the certificates this CA issues. */
  nameDer: Buffer;
}

export type LeafVariant = 'normal' | 'expired' | 'self-signed';

export interface LeafCert {
  /** Leaf followed by the intermediates up to (not including) the root. */
  certPem: string;
  keyPem: string;
  /** The leaf alone, and the intermediates alone (empty when none are sent). */
  leafPem: string;
  chainPem: string;
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive INTEGER
  return b.toString('hex');
}

export class CertAuthorities {
  private readonly sent = new Map<string, string>();

  private constructor(
    private readonly leafKey: LeafKey,
    private readonly built: Map<string, BuiltCa>,
    private readonly roots: BuiltCa[],
  ) {}

  /**
   * Makes every CA certificate now (keys and certificates, parents first: a few hundred take a
   * fraction of a second). validateWorld guarantees issuers exist and do not loop.
   */
  static async build(world: World): Promise<CertAuthorities> {
    const cas = world.cas ?? [];
    const leaf = await leafKey();
    const keys = cas.map((_, i) => worldKey(i + 1));
    const byId = new Map(cas.map((c, i) => [c.id, i]));
    const built = new Map<string, BuiltCa>();
    const make = (i: number, depth = 0): BuiltCa => {
      const ca = cas[i]!;
      const done = built.get(ca.id);
      if (done) return done;
      if (depth > 32) throw new Error(`CA "${ca.id}": issuer chain too deep`);
      const parent = ca.issuer === undefined ? undefined : make(byId.get(ca.issuer)!, depth + 1);
      const b = makeCa(ca, keys[i]!, parent);
      built.set(ca.id, b);
      return b;
    };
    cas.forEach((_, i) => make(i));
    return new CertAuthorities(leaf, built, cas.filter((c) => c.issuer === undefined).map((c) => built.get(c.id)!));
  }

  /** PEM of every root CA: what a client of this world trusts. */
  get rootsPem(): string {
    return this.roots.map((b) => b.pem).join('');
  }

  private ca(id: string): BuiltCa {
    const b = this.built.get(id);
    if (!b) throw new Error(`unknown CA "${id}"`);
    return b;
  }

  /** PEM of the intermediates sent with a leaf of `caId` in `variant` (empty for none). */
  chainPem(caId: string | undefined, variant: LeafVariant = 'normal'): string {
    return caId === undefined || variant === 'self-signed' ? '' : this.sentPem(caId);
  }

  /** PEM of the intermediates sent with a leaf of CA `id` (up to, not including, the root), made once per CA. */
  private sentPem(id: string): string {
    let pems = this.sent.get(id);
    if (pems === undefined) {
      const out: string[] = [];
      for (let cur = this.ca(id); cur.ca.issuer !== undefined && out.length < 32; cur = this.ca(cur.ca.issuer)) out.push(cur.pem);
      pems = out.join('');
      this.sent.set(id, pems);
    }
    return pems;
  }

  /**
   * A leaf for `names` issued by CA `caId`, or self-signed (no caId, or the self-signed variant).
   * Synchronous: the web server makes a context inside its SNI callback.
   */
  issueLeaf(names: string[], caId: string | undefined, variant: LeafVariant = 'normal'): LeafCert {
    const issuer = caId === undefined || variant === 'self-signed' ? undefined : this.ca(caId);
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
    // ECDSA P-256 (~0.05 ms) costs less than a hand-off to the libuv pool: signed in place.
    const signature = issuer ? issuer.key.sign(tbs) : this.leafKey.sign(tbs);
    const der = seq(tbs, ECDSA_SHA256, bitString(signature));
    // The issuing CA and its parents are sent when they are intermediates; a root never is.
    const sent = issuer ? this.sentPem(issuer.ca.id) : '';
    const leafPem = pem(der);
    return { certPem: leafPem + sent, keyPem: this.leafKey.pem, leafPem, chainPem: sent };
  }
}

/** ecdsa-with-SHA256: no parameters (RFC 5758 section 3.2). */
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

/** DER TBSCertificate of a world leaf (RFC 5280 section 4.1), signed by its CA or self-signed, always ECDSA. */
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
    ECDSA_SHA256,
    i.issuer ? i.issuer.name : subject,
    seq(time(i.notBefore), time(i.notAfter)),
    subject,
    i.spki,
    explicit(3, seq(...extensions)),
  );
}

/** PEM with CRLF line ends (as the world's certificates always had). */
function pem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}(?=.)/g, '$&\r\n');
  return `-----BEGIN CERTIFICATE-----\r\n${b64}\r\n-----END CERTIFICATE-----\r\n`;
}

/** keyCertSign and cRLSign (bits 5, 6) and digitalSignature (bit 0): 0b1000011 in 7 bits. */
const CA_KEY_USAGE = extension('2.5.29.15', bitString(Buffer.from([0x86]), 1), true);
const CA_BASIC_CONSTRAINTS = extension('2.5.29.19', seq(TRUE), true);

/**
 * A CA certificate: the world's subject exactly (names.ts), a world key, and the Subject Key
 * Identifier the world gives (a real CA's, so leaves name it in their AKI) or one from key and name.
 */
function makeCa(ca: WorldCa, key: WorldKey, parent: BuiltCa | undefined): BuiltCa {
  const nameDer = encodeName(ca.subject);
  // CAs share keys (keys.ts): the identifier covers the CA's name too, so each CA has its own.
  const skiDer = ca.ski ? Buffer.from(ca.ski, 'hex') : createHash('sha1').update(key.spki).update(nameDer).digest();
  const now = Date.now();
  const extensions = [CA_BASIC_CONSTRAINTS, CA_KEY_USAGE, extension('2.5.29.14', octetString(skiDer))];
  if (parent) extensions.push(extension('2.5.29.35', seq(implicit(0, parent.skiDer))));
  const tbs = seq(
    VERSION_3,
    uint(Buffer.from(serial(), 'hex')),
    ECDSA_SHA256,
    parent ? parent.nameDer : nameDer,
    seq(time(new Date(now - DAY_MS)), time(new Date(now + 3650 * DAY_MS))),
    nameDer,
    key.spki,
    explicit(3, seq(...extensions)),
  );
  const signature = (parent ?? { key }).key.sign(tbs);
  return { ca, key, pem: pem(seq(tbs, ECDSA_SHA256, bitString(signature))), skiDer, nameDer };
}
