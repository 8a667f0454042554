// The certificate column with the shipped CCADB index and vendor database: the issuing CA found
// by the leaf's AKI, by its issuer name, by (O, CN) loosely, else by the name rules; the brand
// named, the root's owner carried; evidence saying which. Real CAs from the snapshot (their SKIs
// and names as CCADB has them).
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { emptyObservation, type Attribution, type CertInfo, type Observation } from '../../src/types.js';
import { loadVendorDb } from '../../src/vendors/load.js';

const db = loadVendorDb();
const noCcadb = loadVendorDb({ ccadb: false });

function cert(issuer: Record<string, string>, extra: Partial<CertInfo> = {}): CertInfo {
  return { subject: { CN: 'www.example.cn' }, issuer, san: ['www.example.cn'], validFrom: '2026-03-01T00:00:00.000Z', validTo: '2026-06-01T00:00:00.000Z', serial: '01', fingerprint256: 'AA:BB', ...extra };
}

function site(...chains: CertInfo[][]): Observation {
  const o = emptyObservation('example.cn', { line: 1 });
  o.tls = chains.map((chain) => ({ host: 'www.example.cn', address: '127.0.0.1', port: 443, authorized: true, chain }));
  return o;
}

const certificate = (o: Observation, d = db): Attribution[] => classify(o, d).services.certificate;

const R10 = { C: 'US', O: "Let's Encrypt", CN: 'R10' };
const R10_SKI = 'bbbcc347a5e4bca9c6c3a4720c108da235e1c8e8';
const TRUSTASIA_2025 = { C: 'CN', O: 'TrustAsia Technologies, Inc.', CN: 'TrustAsia DV TLS RSA CA 2025' };
const TRUSTASIA_2025_SKI = 'b41228a5b4c01d9f2971693cd911964a756950c0';
const DIGICERT = { company: 'digicert', companyName: 'DigiCert, Inc.', country: 'US' };

describe('certificate classification with the CCADB index', () => {
  it("names the brand and the root's owner from the leaf's AKI", () => {
    const [a, ...rest] = certificate(site([cert(TRUSTASIA_2025, { aki: TRUSTASIA_2025_SKI })]));
    expect(rest).toEqual([]);
    expect([a!.vendor, a!.company, a!.country, a!.root]).toEqual(['trustasia', 'trustasia', 'CN', DIGICERT]);
    expect(a!.evidence.find((e) => e.startsWith('AKI'))).toMatch(/^AKI b41228a5b4c01d9f2971693cd911964a756950c0 = SKI of CCADB CA sha256 A2BDAA59BF9E[0-9A-F]{52}$/);
    expect(a!.evidence.find((e) => e.startsWith('root'))).toBe('root /C=US/O=DigiCert Inc/OU=www.digicert.com/CN=DigiCert Global Root G2 (CCADB): DigiCert, Inc. (US)');
  });

  it('the AKI wins over the name: a leaf naming one CA but signed by another is classified by its key', () => {
    const [a] = certificate(site([cert(TRUSTASIA_2025, { aki: R10_SKI })]));
    expect([a!.vendor, a!.root?.company]).toEqual(['lets-encrypt', 'isrg']);
  });

  it('without an AKI, the exact issuer name; then (O, CN) with case, spacing and punctuation aside', () => {
    const [byName] = certificate(site([cert(TRUSTASIA_2025)]));
    expect([byName!.vendor, byName!.root, byName!.confidence]).toEqual(['trustasia', DIGICERT, 0.95]);
    expect(byName!.evidence.some((e) => e.startsWith('issuer name = CCADB CA sha256 A2BDAA59BF9E'))).toBe(true);
    const [loose] = certificate(site([cert({ O: 'TRUSTASIA TECHNOLOGIES INC', CN: 'TrustAsia  DV TLS RSA CA-2025' })]));
    expect([loose!.vendor, loose!.root, loose!.confidence]).toEqual(['trustasia', DIGICERT, 0.9]);
    expect(loose!.evidence.some((e) => e.startsWith('issuer O and CN ≈ CCADB CA sha256'))).toBe(true);
  });

  it('an unknown AKI falls through to the name', () => {
    const [a] = certificate(site([cert(R10, { aki: '00'.repeat(20) })]));
    expect([a!.vendor, a!.root?.company]).toEqual(['lets-encrypt', 'isrg']);
    expect(a!.evidence.some((e) => e.startsWith('issuer name ='))).toBe(true);
  });

  it('names CA companies the vendor database has no rule for, with their country', () => {
    const [a] = certificate(site([cert({ C: 'HU', L: 'Budapest', O: 'Microsec Ltd.', organizationIdentifier: 'VATHU-23584497', CN: 'e-Szigno Class3 SSL CA 2017' })]));
    expect([a!.vendor, a!.vendorName, a!.company, a!.companyName, a!.country, a!.root?.company]).toEqual(['microsec', 'e-Szigno', 'microsec', 'Microsec Ltd.', 'HU', 'microsec']);
  });

  it('keeps brand-to-owner history: GeoTrust and RapidSSL are DigiCert brands', () => {
    const [geo] = certificate(site([cert({ C: 'US', O: 'DigiCert Inc', OU: 'www.digicert.com', CN: 'GeoTrust CN RSA CA G1' })]));
    expect([geo!.vendor, geo!.company, geo!.root?.company]).toEqual(['geotrust', 'digicert', 'digicert']);
    const [rapid] = certificate(site([cert({ C: 'US', O: 'DigiCert Inc', OU: 'www.digicert.com', CN: 'RapidSSL TLS RSA CA G1' })]));
    expect([rapid!.vendor, rapid!.company]).toEqual(['rapidssl', 'digicert']);
  });

  it('the intermediate the server sent decides among CA certificates sharing a key', () => {
    // Two CCADB certificates carry this SKI (re-issued); the one served is named in the evidence.
    const ski = '0b8b89724591a9c5720a8afd149b94f2c485191d';
    const ids = db.ccadb!.bySubjectKeyId(ski).map((i) => db.ccadb!.ca(i));
    expect(ids.length).toBeGreaterThan(1);
    for (const served of ids) {
      const fp = served.sha256.replace(/(..)(?!$)/g, '$1:');
      const [a] = certificate(site([cert(served.subject, { aki: ski }), cert({}, { subject: served.subject, fingerprint256: fp })]));
      expect(a!.evidence.find((e) => e.startsWith('AKI'))).toBe(`AKI ${ski} = SKI of CCADB CA sha256 ${served.sha256}`);
    }
  });

  it('a cross-signed intermediate chains to the root its served copy names as issuer', () => {
    // MULTICERT SSL CA 005: one key, two certificates, under MULTICERT's own root and under Camerfirma's.
    const ski = '25a00132aaca77a37abee78a3a448b19b54d482d';
    const subject = { C: 'PT', O: 'MULTICERT - Serviços de Certificação Electrónica S.A.', OU: 'Certification Authority', CN: 'MULTICERT SSL Certification Authority 005' };
    const via = (issuer: Record<string, string>) =>
      certificate(site([cert(subject, { aki: ski }), cert(issuer, { subject, fingerprint256: '00:11' })]))[0]!.root?.company;
    expect(via({ C: 'PT', O: 'MULTICERT - Serviços de Certificação Electrónica S.A.', CN: 'MULTICERT Root Certification Authority 01' })).toBe('multicert');
    expect(via({ C: 'EU', L: 'Madrid (see current address at www.camerfirma.com/address)', serialNumber: 'A82743287', O: 'AC Camerfirma S.A.', CN: 'Global Chambersign Root - 2008' })).toBe('camerfirma');
  });

  it('two chains to different roots stay two attributions', () => {
    const ta2024 = { C: 'CN', O: 'TrustAsia Technologies, Inc.', CN: 'TrustAsia DV TLS RSA CA 2024' };
    const list = certificate(site([cert(TRUSTASIA_2025)], [cert(ta2024)]));
    expect(list.map((a) => [a.vendor, a.root?.company])).toEqual([['trustasia', 'digicert'], ['trustasia', 'trustasia']]);
  });

  it('a private or unknown CA stays vendor null with the issuer O (or CN), as before', () => {
    const [a] = certificate(site([cert({ O: 'Hikvision Internal', CN: 'Hik Issuing CA 3' }, { aki: '12'.repeat(20) })]));
    expect([a!.vendor, a!.vendorName, a!.company, a!.root]).toEqual([null, 'Hikvision Internal', null, undefined]);
  });

  it('without the index, the name rules answer as before (no root owner)', () => {
    const [a] = certificate(site([cert(TRUSTASIA_2025, { aki: TRUSTASIA_2025_SKI })]), noCcadb);
    expect([a!.vendor, a!.root]).toEqual(['trustasia', undefined]);
    expect(a!.evidence).toEqual(['issuer /C=CN/O=TrustAsia Technologies, Inc./CN=TrustAsia DV TLS RSA CA 2025']);
  });
});
