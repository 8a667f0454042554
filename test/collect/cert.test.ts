// certInfo's key type comes from the detail object (no second parse); it must name the same
// key as a full X509 parse does, for RSA and EC.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certInfo } from '../../src/collect/cert.js';
import { EC_PEM, makePki } from './certs.js';


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
