// Leaves are DER-encoded directly (der.ts) instead of through node-forge's certificate model.
// Differential test: the previous forge path, kept here only, rebuilds each leaf's
// TBSCertificate from the new leaf's serial and validity; the bytes must be identical, and the
// certificates parsed by node:crypto must agree. Names forge could not encode (beyond Latin-1)
// are checked against expectations instead. Last, a real TLS client is authorized by the study world.
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import forge from 'node-forge';
import { afterAll, describe, expect, it } from 'vitest';
import { CertAuthorities, type LeafVariant } from '../../../src/world/web/certs.js';
import { leafKey, worldKey, type LeafKey } from '../../../src/world/web/keys.js';
import { keyIds } from '../../../src/x509.js';
import { loadWorld } from '../../../src/world/load.js';
import { startWorld, type RunningWorld } from '../../../src/world/start.js';
import { tlsHandshake } from './client.js';
import { isIP } from 'node:net';

const DAY_MS = 86_400_000;
const { asn1 } = forge;

const pems = (text: string): string[] => text.split(/(?<=-----END CERTIFICATE-----\r?\n)/).filter((p) => p.trim() !== '');

// ---- the previous implementation (certs.ts before der.ts), with serial and clock injected ----
const PLACEHOLDER_KEY = forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('3'), new forge.jsbn.BigInteger('3'));
const ECDSA_SHA256 = '1.2.840.10045.4.3.2';
function algorithm(oid: string): forge.asn1.Asn1 {
  const id = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes());
  const params = oid === ECDSA_SHA256 ? [] : [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')];
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [id, ...params]);
}
interface OldIssuer {
  /** The CA's subject Name (DER), its key identifier and its signer (ECDSA P-256 since CAs are). */
  nameDer: Buffer;
  ski: Buffer;
  sign(data: Buffer): Buffer;
}
function oldLeaf(names: string[], issuer: OldIssuer | undefined, leaf: LeafKey, serialHex: string, now: number, expired: boolean): { tbs: Buffer; pem: string } {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = serialHex;
  cert.publicKey = PLACEHOLDER_KEY;
  cert.validity.notBefore = new Date(expired ? now - 400 * DAY_MS : now - DAY_MS);
  cert.validity.notAfter = new Date(expired ? now - 30 * DAY_MS : now + 90 * DAY_MS);
  const subject = [{ shortName: 'CN', value: names[0] ?? 'localhost' }];
  cert.setSubject(subject);
  cert.setIssuer(subject); // an issuer's Name is spliced in below, as the key is
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
    ...(issuer ? [{ name: 'authorityKeyIdentifier', keyIdentifier: issuer.ski.toString('binary') }] : []),
  ]);
  const oid = ECDSA_SHA256;
  cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!; // forge needs one it knows; replaced below
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  fields[2] = algorithm(oid);
  if (issuer) fields[3] = asn1.fromDer(issuer.nameDer.toString('binary'));
  fields[6] = asn1.fromDer(leaf.spki.toString('binary'));
  const tbsDer = asn1.toDer(tbs).getBytes();
  const signature = (issuer ?? leaf).sign(Buffer.from(tbsDer, 'binary')).toString('binary');
  const bits = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(0) + signature);
  const der = asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [tbs, algorithm(oid), bits])).getBytes();
  return { tbs: Buffer.from(tbsDer, 'binary'), pem: forge.pem.encode({ type: 'CERTIFICATE', body: der }) };
}
// ---- end of the previous implementation ----

/** The subject Name (DER) of a DER certificate, read by forge's ASN.1 parser. */
function subjectNameDer(der: Buffer): Buffer {
  const tbs = (asn1.fromDer(der.toString('binary')).value as forge.asn1.Asn1[])[0]!;
  return Buffer.from(asn1.toDer((tbs.value as forge.asn1.Asn1[])[5]!).getBytes(), 'binary');
}

/** TBSCertificate bytes, serial (INTEGER contents, hex) and notBefore of a PEM certificate, parsed by forge. */
function parts(pem: string): { tbs: Buffer; serialHex: string; notBefore: number } {
  const cert = asn1.fromDer(forge.pem.decode(pem)[0]!.body);
  const tbs = (cert.value as forge.asn1.Asn1[])[0]!;
  const f = tbs.value as forge.asn1.Asn1[];
  const serial = f[1]!.value as string;
  const validity = (f[4]!.value as forge.asn1.Asn1[])[0]!;
  const nb = validity.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(validity.value as string) : asn1.generalizedTimeToDate(validity.value as string);
  return { tbs: Buffer.from(asn1.toDer(tbs).getBytes(), 'binary'), serialHex: forge.util.bytesToHex(serial), notBefore: nb.getTime() };
}

const CAS = [
  { id: 'root', subject: { CN: 'Test Root', O: '沃通 \u202eRoot\u001b[31m', C: 'CN' } },
  { id: 'int', issuer: 'root', subject: { C: 'US', O: "Let's Encrypt", CN: 'R3' } },
];
const world = { world: 1 as const, cas: CAS, zones: {}, sites: {} };

const HOSTILE = ['\u001b[31mred\u001b[0m.test', 'a b\tc.test', '*.wild.test', 'x'.repeat(10_240) + '.test', ''];
const ASCII_LISTS: string[][] = [
  ['a.test', 'www.a.test'],
  ['127.0.0.9', '::1', '2001:db8::5', 'fe80::1:2:3:4', '1::', 'ip.test'],
  HOSTILE,
  [],
];

describe('leaf certificates encoded directly (der.ts) against the previous forge path', () => {
  const cases: [string[], string | undefined, LeafVariant][] = [];
  for (const names of ASCII_LISTS) {
    for (const [ca, variant] of [['int', 'normal'], ['root', 'normal'], ['int', 'expired'], ['int', 'self-signed'], [undefined, 'normal']] as const) {
      cases.push([names, ca, variant]);
    }
  }

  it('TBSCertificate bytes are identical and node:crypto reads the same certificate', async () => {
    const cas = await CertAuthorities.build(world);
    const leaf = await leafKey();
    const rootPem = cas.rootsPem;
    const root = new X509Certificate(rootPem);
    for (const [names, caId, variant] of cases) {
      const issued = cas.issueLeaf(names, caId, variant);
      const [leafPem, ...sent] = pems(issued.certPem);
      const selfSigned = caId === undefined || variant === 'self-signed';
      // Intermediates are sent, the root never is.
      expect(sent.length).toBe(caId === 'int' && !selfSigned ? 1 : 0);
      const issuerPem = selfSigned ? undefined : caId === 'int' ? sent[0]! : rootPem;
      const slot = CAS.findIndex((c) => c.id === caId) + 1;
      // The issuer's Name and key identifier as its certificate carries them (forge cannot read an EC certificate).
      const issuerDer = issuerPem ? new X509Certificate(issuerPem).raw : undefined;
      const oldIssuer = issuerDer
        ? { nameDer: subjectNameDer(issuerDer), ski: Buffer.from(keyIds(issuerDer).ski!, 'hex'), sign: worldKey(slot).sign }
        : undefined;

      const p = parts(leafPem!);
      const expired = variant === 'expired';
      const now = p.notBefore + (expired ? 400 : 1) * DAY_MS;
      const old = oldLeaf(names, oldIssuer, leaf, p.serialHex, now, expired);
      expect(p.tbs.equals(old.tbs), `TBS of ${JSON.stringify(names).slice(0, 80)} ${caId} ${variant}`).toBe(true);

      const a = new X509Certificate(leafPem!);
      const b = new X509Certificate(old.pem);
      expect([a.subject, a.issuer, a.subjectAltName, a.keyUsage, a.ca, a.serialNumber]).toEqual([b.subject, b.issuer, b.subjectAltName, b.keyUsage, b.ca, b.serialNumber]);
      expect(Math.abs(Date.parse(a.validFrom) - Date.parse(b.validFrom))).toBeLessThanOrEqual(1000);
      expect(Math.abs(Date.parse(a.validTo) - Date.parse(b.validTo))).toBeLessThanOrEqual(1000);
      expect(a.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // extKeyUsage serverAuth, as node reports it
      expect(a.ca).toBe(false);
      expect(Date.parse(a.validTo) < Date.now()).toBe(expired);
      const issuerCert = issuerPem ? new X509Certificate(issuerPem) : a;
      expect(a.verify(issuerCert.publicKey)).toBe(true);
      // A self-signed leaf lacks keyCertSign, so OpenSSL does not call it its own issuer (nor did it before).
      expect([a.checkIssued(issuerCert), b.verify(issuerCert.publicKey)]).toEqual([!selfSigned, true]);
      if (selfSigned) expect(b.checkIssued(b)).toBe(false);
      if (caId === 'int' && !selfSigned) expect(issuerCert.verify(root.publicKey)).toBe(true);
      expect(() => createSecureContext({ key: issued.keyPem, cert: issued.certPem })).not.toThrow();
    }
  }, 30_000);

  it('an IPv4-mapped IPv6 address (forge threw on it) is its 16 bytes', async () => {
    const cas = await CertAuthorities.build(world);
    const c = new X509Certificate((cas.issueLeaf(['::ffff:10.1.2.3', 'fe80::a%eth0'], 'int')).certPem);
    expect(c.subjectAltName).toBe('IP Address:0:0:0:0:0:FFFF:A01:203, IP Address:FE80:0:0:0:0:0:0:A');
  });

  it('names beyond ASCII: CN is a UTF8String, SAN dNSName the A-label (forge wrote neither correctly)', async () => {
    const cas = await CertAuthorities.build(world);
    const names = ['中文.test', 'bücher.test', 'a\u202eb.test'];
    const [pem, int] = pems((cas.issueLeaf(names, 'int')).certPem);
    const c = new X509Certificate(pem!);
    expect(c.subject).toBe('CN=中文.test');
    expect(c.subjectAltName?.startsWith('DNS:xn--fiq228c.test, DNS:xn--bcher-kva.test, DNS:')).toBe(true);
    expect(c.verify(new X509Certificate(int!).publicKey)).toBe(true);
    // The bidi override has no A-label: it stays, as UTF-8 bytes, and the certificate still parses.
    expect(c.subjectAltName).toContain('b.test');
    // The subject is a real UTF8String (tag 0x0c), not forge's Latin-1 PrintableString.
    const cn = Buffer.from('中文.test', 'utf8');
    expect(c.raw.includes(Buffer.concat([Buffer.from([0x0c, cn.length]), cn]))).toBe(true);
    expect(c.publicKey.asymmetricKeyType).toBe('ec');
  });
});

describe('the study world over real TLS', () => {
  let running: RunningWorld | undefined;
  afterAll(() => running?.close());

  it('authorizes a client trusting only the world roots', async () => {
    const loaded = loadWorld('fixtures/worlds/study-2020.json');
    running = await startWorld(loaded);
    const sites = Object.entries(loaded.world.sites ?? {}).filter(([, s]) => s.tls?.names?.length).slice(0, 6);
    expect(sites.length).toBeGreaterThan(3);
    for (const [host, site] of sites) {
      const r = await tlsHandshake(running.httpsPort, host, running.rootsPem);
      r.socket.destroy();
      expect([host, r.authorized, r.authorizationError]).toEqual([host, true, undefined]);
      expect(r.cert.subject.CN).toBe(site.tls!.names![0]);
    }
    // Generous: each handshake makes the site's certificate on first use, and the machine is shared.
  }, 120_000);
});
