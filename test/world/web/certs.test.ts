// Leaves carry the shared ECDSA P-256 key spliced into forge's TBSCertificate: they must parse,
// verify under their issuer (ECDSA) or themselves (self-signed), and keep their names.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CertAuthorities } from '../../../src/world/web/certs.js';

const pems = (text: string): X509Certificate[] =>
  text.split(/(?<=-----END CERTIFICATE-----\r?\n)/).filter((p) => p.trim() !== '').map((p) => new X509Certificate(p));

describe('world leaf certificates', () => {
  it('are ECDSA P-256, signed by the intermediate, which is sent with them', async () => {
    const cas = await CertAuthorities.build({
      world: 1,
      cas: [{ id: 'root', subject: { CN: 'Test Root', O: 'Test' } }, { id: 'int', issuer: 'root', subject: { CN: 'Test Int' } }],
      zones: {},
      sites: {},
    });
    const leaf = cas.issueLeaf(['a.test', '127.0.0.9'], 'int');
    const [cert, int, ...rest] = pems(leaf.certPem);
    expect(rest).toEqual([]);
    expect(cert!.publicKey.asymmetricKeyType).toBe('ec');
    expect(cert!.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(cert!.verify(int!.publicKey)).toBe(true);
    expect(cert!.checkIssued(int!)).toBe(true);
    expect(cert!.subjectAltName).toBe('DNS:a.test, IP Address:127.0.0.9');
    expect(cert!.issuer).toBe('CN=Test Int');
    const root = new X509Certificate(cas.rootsPem);
    expect(int!.verify(root.publicKey)).toBe(true);
    expect(leaf.keyPem).toContain('BEGIN PRIVATE KEY');
  });

  it('self-signed leaves verify under their own key (ecdsa-with-SHA256)', async () => {
    const cas = await CertAuthorities.build({ world: 1, cas: [], zones: {}, sites: {} });
    const [cert, ...rest] = pems((cas.issueLeaf(['self.test'], undefined, 'self-signed')).certPem);
    expect(rest).toEqual([]);
    expect(cert!.verify(cert!.publicKey)).toBe(true);
    expect(cert!.subject).toBe('CN=self.test');
    expect(cert!.issuer).toBe('CN=self.test');
  });
});
