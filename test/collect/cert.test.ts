// certInfo's key type comes from the detail object (no second parse); it must name the same
// key as a full X509 parse does, for RSA and EC.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certInfo } from '../../src/collect/cert.js';
import { makePki } from './certs.js';

// openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -subj "/CN=ec.test/O=Test EC"
const EC_PEM = `-----BEGIN CERTIFICATE-----
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

const fromX509 = (x: X509Certificate): string => {
  const d = x.publicKey.asymmetricKeyDetails;
  return d?.modulusLength ? `${x.publicKey.asymmetricKeyType}-${d.modulusLength}` : `${x.publicKey.asymmetricKeyType}-${d?.namedCurve}`;
};

describe('certInfo keyType', () => {
  it('names an RSA key by its size', () => {
    const x = new X509Certificate(makePki('Key Type Root').leaf(['k.test']).certPem);
    const info = certInfo(x.toLegacyObject());
    expect(info.keyType).toBe('rsa-2048');
    expect(info.keyType).toBe(fromX509(x));
  });
  it('names an EC key by its curve', () => {
    const x = new X509Certificate(EC_PEM);
    const info = certInfo(x.toLegacyObject());
    expect(info.keyType).toBe('ec-prime256v1');
    expect(info.keyType).toBe(fromX509(x));
    expect(info.san).toEqual(['ec.test']);
  });
});
