// Test certificates: a root CA, leaves it signs (valid, expired, for other names) and a
// self-signed one. RSA keys come from node:crypto (fast) and are made once per test file.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

const { pki } = forge;

function rsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const priv = pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: priv, publicKey: pki.setRsaPublicKey(priv.n, priv.e), pem };
}

export interface Issued {
  certPem: string;
  keyPem: string;
}

export interface TestPki {
  caPem: string;
  caSubject: Record<string, string>;
  leaf(names: string[], opts?: { notBefore?: Date; notAfter?: Date; cn?: string }): Issued;
  selfSigned(names: string[]): Issued;
}

let serial = 1;

function build(
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  publicKey: forge.pki.PublicKey,
  signer: forge.pki.rsa.PrivateKey,
  opts: { ca: boolean; names?: string[]; notBefore?: Date; notAfter?: Date },
): string {
  const cert = pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = (0x10000 + serial++).toString(16);
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 30 * 86_400_000);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  const ext: object[] = [{ name: 'basicConstraints', cA: opts.ca, critical: true }];
  if (opts.ca) ext.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  else ext.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true }, { name: 'extKeyUsage', serverAuth: true });
  if (opts.names) ext.push({ name: 'subjectAltName', altNames: opts.names.map((n) => (/^[\d.]+$/.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) });
  cert.setExtensions(ext);
  cert.sign(signer, forge.md.sha256.create());
  return pki.certificateToPem(cert);
}

/** One CA key and one leaf key for the whole file: key generation is the slow part. */
export function makePki(caName = 'Test Root CA'): TestPki {
  const caKeys = rsaKeys();
  const leafKeys = rsaKeys();
  const caSubject = { CN: caName, O: 'Whoserves Test', C: 'US' };
  const caAttrs = [
    { shortName: 'CN', value: caName },
    { shortName: 'O', value: 'Whoserves Test' },
    { shortName: 'C', value: 'US' },
  ];
  const caPem = build(caAttrs, caAttrs, caKeys.publicKey, caKeys.privateKey, { ca: true, notAfter: new Date(Date.now() + 365 * 86_400_000) });
  return {
    caPem,
    caSubject,
    leaf(names, opts = {}) {
      const subject = [{ shortName: 'CN', value: opts.cn ?? names[0] ?? 'leaf' }, { shortName: 'O', value: 'Leaf Org' }];
      return { certPem: build(subject, caAttrs, leafKeys.publicKey, caKeys.privateKey, { ca: false, names, ...opts }), keyPem: leafKeys.pem };
    },
    selfSigned(names) {
      const subject = [{ shortName: 'CN', value: names[0] ?? 'self' }];
      return { certPem: build(subject, subject, leafKeys.publicKey, leafKeys.privateKey, { ca: false, names }), keyPem: leafKeys.pem };
    },
  };
}

/**
 * A real self-signed P-256 certificate, made by OpenSSL:
 * openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -subj "/CN=ec.test/O=Test EC"
 * `openssl x509 -noout -ext subjectKeyIdentifier,authorityKeyIdentifier` prints both as
 * 4D:58:BD:1D:72:C3:A7:9C:3E:87:16:90:46:E3:04:6D:8F:36:7C:95.
 */
export const EC_PEM = `-----BEGIN CERTIFICATE-----
MIIBsTCCAVegAwIBAgIUdHiAFY/Asdu6KohReoGBz8/QjJMwCgYIKoZIzj0EAwIw
JDEQMA4GA1UEAwwHZWMudGVzdDEQMA4GA1UECgwHVGVzdCBFQzAeFw0yNjExMjMx
MTQ3NTVaFw0zNjExMjAxMTQ3NTVaMCQxEDAOBgNVBAMMB2VjLnRlc3QxEDAOBgNV
BAoMB1Rlc3QgRUMwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAS6CNolaMM5D+eh
DR1WZ0/kVodDPtTiNyxUBb/OcinsZdtxdiKJWf/ppi9I+X5FOx+R1OXU/7CPMQQL
XJ435fVOo2cwZTAdBgNVHQ4EFgQUTVi9HXLDp5w+hxaQRuMEbY82fJUwHwYDVR0j
BBgwFoAUTVi9HXLDp5w+hxaQRuMEbY82fJUwDwYDVR0TAQH/BAUwAwEB/zASBgNV
HREECzAJggdlYy50ZXN0MAoGCCqGSM49BAMCA0gAMEUCICA0Sk8v7KJApjW7CUAR
LkRxA091Nsp8yxBvhpJo1ZIXAiEAp6bnDnb/plEsXDEyvbrhUvjgUPyIPWzQWLYO
QsvVFfo=
-----END CERTIFICATE-----
`;
