// Hosting from the network: the AS number's rules first, then the AS's organisation name; the
// company's home country as the attribution's country, the AS's registration country and the
// name rule in the evidence; a carrier said to be one.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { emptyObservation, type AsnInfo, type Observation } from '../../src/types.js';

const db = loadVendorDb();

function site(info: AsnInfo, domain = 'example.com'): Observation {
  const o = emptyObservation(domain, { line: 1 });
  o.dns.hosts = { [domain]: { roles: ['apex'], cname: [], a: ['192.0.2.10'], aaaa: [] } };
  o.addresses = { '192.0.2.10': info };
  return o;
}

const hosting = (o: Observation) => classify(o, db).services.hosting;

describe('hosting attributed by the organisation of the address’s AS', () => {
  it('an AS no number rule names is attributed by its organisation: HQ country, both countries in the evidence', () => {
    const [a, ...rest] = hosting(site({ asn: 4_200_000_001, asName: 'Hangzhou Alibaba Advertising Co.,Ltd.', country: 'SG', source: 'cymru' }));
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ company: 'alibaba', country: 'CN', vendor: 'alibaba-cloud' });
    expect(a!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(a!.evidence).toContain('AS4200000001 Hangzhou Alibaba Advertising Co.,Ltd. registered in SG');
    expect(a!.evidence.some((e) => e.includes('organisation "Hangzhou Alibaba Advertising Co.,Ltd." is Alibaba Cloud') && e.includes('based in CN'))).toBe(true);
  });

  it('works the same on the embedded database’s answers (no registration country) and Cymru’s AS names', () => {
    expect(hosting(site({ asn: 4_200_000_002, asName: 'Amazon Data Services Ireland Ltd', source: 'db' }))[0]).toMatchObject({ company: 'amazon', country: 'US' });
    expect(hosting(site({ asn: 4_200_000_003, asName: 'TENCENT-NET-AP Shenzhen Tencent Computer Systems Company Limited', country: 'CN', source: 'cymru' }))[0]).toMatchObject({ company: 'tencent' });
  });

  it('the AS number’s rule wins over the name: an exact list is what the company publishes', () => {
    const out = hosting(site({ asn: 16509, asName: 'Hangzhou Alibaba Advertising Co.,Ltd.', source: 'cymru' }));
    expect(out.map((a) => a.company)).toEqual(['amazon']);
    expect(out[0]!.evidence.join(' ')).not.toContain('organisation');
  });

  it('a carrier is attributed as the network, and the evidence says the host may be its customer', () => {
    for (const info of [
      { asn: 4134, asName: 'CHINANET-BACKBONE No.31,Jin-rong Street', country: 'CN', source: 'cymru' as const },
      { asn: 4_200_000_004, asName: 'CHINANET Guangdong province network', source: 'db' as const },
    ]) {
      const [a] = hosting(site(info));
      expect(a).toMatchObject({ company: 'china-telecom', country: 'CN' });
      expect(a!.evidence.some((e) => e.includes('is a carrier network') && e.includes('customers'))).toBe(true);
    }
    const [hetzner] = hosting(site({ asn: 4_200_000_005, asName: 'Hetzner Online GmbH', source: 'db' }));
    expect(hetzner!.company).toBe('hetzner');
    expect(hetzner!.evidence.join(' ')).not.toContain('carrier');
  });

  it('a brand inside another word, or another company’s name, attributes nobody', () => {
    for (const asName of ['Canaveral Port Authority', 'THE AMERICAN ASSOCIATION OF MOTOR VEHICLE ADMINISTRATORS', 'AMAZON TELECOM LTDA', 'Strato Labs Inc']) {
      const out = hosting(site({ asn: 4_200_000_006, asName, source: 'db' }));
      expect(out.map((a) => a.vendor)).toEqual([null]);
      expect(out[0]!.vendorName).toBe(`AS4200000006 ${asName}`);
    }
  });

  it('a CDN’s network found by name is its CDN and, the origin hidden, weakly its host', () => {
    const r = classify(site({ asn: 4_200_000_007, asName: 'Cloudflare London, LLC', source: 'db' }), db);
    expect(r.services.cdn.map((a) => a.company)).toEqual(['cloudflare']);
    expect(r.services.hosting.map((a) => [a.company, a.confidence])).toEqual([['cloudflare', 0.55]]);
  });

  it('self-hosted name servers are attributed to the network their addresses live in, by name too', () => {
    const o = emptyObservation('example.ru', { line: 1 });
    o.dns.ns = ['ns1.example.ru'];
    o.dns.hosts = { 'ns1.example.ru': { roles: ['ns'], cname: [], a: ['192.0.2.53'], aaaa: [] } };
    o.addresses = { '192.0.2.53': { asn: 4_200_000_008, asName: 'JSC Selectel', source: 'db' } };
    const [a] = classify(o, db).services.dns;
    expect(a).toMatchObject({ company: 'selectel', selfHosted: true });
  });
});
