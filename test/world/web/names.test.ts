// A world CA copies a real CA's subject attribute by attribute, and a client reads back the same
// name: the attributes CCADB subjects use (C, ST, L, O, OU, organizationIdentifier, serialNumber,
// emailAddress, DC, street, postalCode, houseIdentifier, OIDs), long values, text beyond ASCII.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nameRecord } from '../../../src/x509.js';
import { CertAuthorities } from '../../../src/world/web/certs.js';
import { encodeName } from '../../../src/world/web/names.js';

const SUBJECTS: Record<string, string>[] = [
  { C: 'US', ST: 'Texas', L: 'Houston', O: 'SSL Corp', CN: 'SSL.com SSL Enterprise Intermediate CA RSA R1' },
  { C: 'HU', L: 'Budapest', O: 'Microsec Ltd.', organizationIdentifier: 'VATHU-23584497', CN: 'e-Szigno Qualified TLS CA 2018' },
  { C: 'CN', O: '泰尔认证中心有限公司', CN: 'CTTL Global TLS CA' },
  { C: 'HU', L: 'Budapest', O: 'NetLock Kft.', OU: 'Tanúsítványkiadók (Certification Services)', CN: 'NetLock Arany (Class Gold) Főtanúsítvány' },
  { C: 'ES', L: 'Madrid (see current address at www.camerfirma.com/address)', serialNumber: 'A82743287', O: 'AC Camerfirma S.A.', CN: 'Camerfirma Corporate Server II - 2015' },
  { DC: 'com', emailAddress: 'ca@example.com', O: 'A & B <Trust> Co.', CN: 'x'.repeat(180) },
  { C: 'IN', ST: 'TELANGANA', O: 'INSTITUTE FOR DEVELOPMENT AND RESEARCH IN BANKING TECHNOLOGY', OU: 'CERTIFYING AUTHORITY', street: 'CASTLE HILLS, ROAD NO. 1', postalCode: '500057', houseIdentifier: '10-3-311', CN: 'IDRBT CA SPL 2022-1' },
  { '1.3.6.1.4.1.52266.1': 'a custom attribute', O: 'Custom', CN: 'Custom CA' },
];

describe('world CA names', () => {
  it('read back exactly as given (Node as the scanner sees them), in order', async () => {
    const cas = await CertAuthorities.build({ world: 1, cas: SUBJECTS.map((subject, i) => ({ id: `ca${i}`, subject })) });
    const roots = cas.rootsPem.split(/(?<=-----END CERTIFICATE-----\r?\n)/).filter((p) => p.trim() !== '');
    expect(roots).toHaveLength(SUBJECTS.length);
    roots.forEach((pem, i) => {
      const x = new X509Certificate(pem);
      expect(nameRecord(x.toLegacyObject().subject)).toEqual(SUBJECTS[i]);
      expect(x.subject.split('\n').map((l) => l.split('=')[0])).toEqual(Object.keys(SUBJECTS[i]!));
      expect(x.verify(x.publicKey)).toBe(true);
    });
  });

  it('use PrintableString where it fits, IA5String for e-mail and DC, UTF8String otherwise', () => {
    const der = encodeName({ C: 'US', O: 'A & B', emailAddress: 'a@b.c', CN: 'é' });
    const hex = der.toString('hex');
    expect(hex).toContain('1302' + Buffer.from('US').toString('hex'));
    expect(hex).toContain('0c05' + Buffer.from('A & B').toString('hex'));
    expect(hex).toContain('1605' + Buffer.from('a@b.c').toString('hex'));
    expect(hex).toContain('0c02c3a9');
  });
});
