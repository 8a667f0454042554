// Key identifiers read from DER: the values OpenSSL prints, and nothing thrown whatever bytes a
// server sends (truncated, bit-flipped, absurd lengths).
import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyIds, nameRecord } from '../src/x509.js';
import { CertAuthorities } from '../src/world/web/certs.js';
import { runs, SEED } from './fuzz/budget.js';
import { EC_PEM } from './collect/certs.js';

const EC_DER = new X509Certificate(EC_PEM).raw;

describe('nameRecord', () => {
  it('keeps attributes as Node names them, joins repeated ones, ignores what is not text', () => {
    expect(nameRecord({ C: 'US', OU: ['VeriSign Trust Network', '(c) 2006 VeriSign, Inc.'], O: 'VeriSign, Inc.', x: 5 })).toEqual({ C: 'US', OU: 'VeriSign Trust Network, (c) 2006 VeriSign, Inc.', O: 'VeriSign, Inc.' });
    expect(nameRecord(null)).toEqual({});
    expect(nameRecord({ CN: 'x'.repeat(5000) }).CN).toHaveLength(2048);
  });
});

describe('keyIds', () => {
  it('reads SKI and AKI as OpenSSL prints them', () => {
    expect(keyIds(EC_DER)).toEqual({ ski: '4d58bd1d72c3a79c3e87169046e3046d8f367c95', aki: '4d58bd1d72c3a79c3e87169046e3046d8f367c95' });
  });

  it("a world leaf's AKI is its CA's SKI, and a CA can carry a given SKI", async () => {
    const ski = '0123456789abcdef0123456789abcdef01234567';
    const cas = await CertAuthorities.build({ world: 1, cas: [{ id: 'r', subject: { CN: 'R' } }, { id: 'i', issuer: 'r', subject: { CN: 'I' }, ski }] });
    const [leaf, int] = (cas.issueLeaf(['a.test'], 'i')).certPem.split(/(?<=-----END CERTIFICATE-----\r?\n)/);
    expect(keyIds(new X509Certificate(leaf!).raw)).toEqual({ aki: ski });
    const root = keyIds(new X509Certificate(cas.rootsPem).raw);
    expect(keyIds(new X509Certificate(int!).raw)).toEqual({ ski, aki: root.ski });
  });

  it('says nothing for a certificate without the extensions, and never throws on damaged bytes', () => {
    expect(keyIds(Buffer.alloc(0))).toEqual({});
    expect(keyIds(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]))).toEqual({});
    for (let n = 0; n < EC_DER.length; n += 7) expect(() => keyIds(EC_DER.subarray(0, n))).not.toThrow();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: EC_DER.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 64 }), (at, byte, tail) => {
        const damaged = Buffer.concat([EC_DER.subarray(0, at), Buffer.from([byte]), EC_DER.subarray(at + 1), tail]);
        const ids = keyIds(damaged);
        for (const v of Object.values(ids)) expect(v).toMatch(/^[0-9a-f]{2,128}$/);
      }),
      { numRuns: runs(300), seed: SEED },
    );
  });
});
