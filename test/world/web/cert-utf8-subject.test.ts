// Regression (hostile strings, issue 8): a CA subject beyond ASCII (a Chinese CA's name, a bidi
// override) was written by forge as PrintableString bytes, so the certificate PEM was corrupt and
// every TLS handshake of the site failed. Such values are now UTF8Strings.
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { CertAuthorities } from '../../../src/world/web/certs.js';

describe('cert utf8 subject', () => {
  it('issues a usable certificate under a CA whose subject is not ASCII', async () => {
    const O = '沃通电子认证服务有限公司 \u202eevil\u001b[31m';
    const cas = await CertAuthorities.build({ world: 1, cas: [{ id: 'wotrus', subject: { CN: 'WoTrus DV Server CA', O, C: 'CN' } }] });
    const leaf = cas.issueLeaf(['a.test'], 'wotrus');
    expect(() => createSecureContext({ key: leaf.keyPem, cert: leaf.certPem })).not.toThrow();
    const issuer = new X509Certificate(leaf.certPem).issuer;
    expect(issuer).toContain('沃通电子认证服务有限公司');
    expect(issuer).toContain('CN=WoTrus DV Server CA');
  }, 30_000);
});
