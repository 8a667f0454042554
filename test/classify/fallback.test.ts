// Rules marked `fallback` (a platform's own edge, a cloud's load balancer) yield to any other vendor
// a CNAME, header or cookie rule names in the same category; a network (ASN) never makes them yield.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { emptyObservation, type Observation } from '../../src/types.js';
import { SAMPLE, writeData } from '../vendors/helpers.js';
import type { VendorEntry } from '../../src/vendors/types.js';

const ex = (match: string[], nomatch: string[]) => ({ match, nomatch });
const co = (id: string) => ({ id: `test-${id}`, name: `Test ${id}`, country: 'US' });

const VENDORS: VendorEntry[] = [
  ...SAMPLE,
  {
    id: 'netlify', name: 'Netlify', company: co('netlify'), categories: ['hosting', 'cdn'], source: 'https://docs.netlify.com/',
    rules: [
      { kind: 'header', name: 'x-nf-request-id', category: 'hosting', examples: ex(['x-nf-request-id: 01H'], ['x-request-id: 1']) },
      { kind: 'header', name: 'x-nf-request-id', category: 'cdn', fallback: true, examples: ex(['x-nf-request-id: 01H'], ['x-request-id: 1']) },
    ],
  },
  {
    id: 'edgio', name: 'Edgio', company: co('edgio'), categories: ['cdn'], source: 'https://docs.edg.io/',
    rules: [{ kind: 'header', name: 'server', pattern: '^ECAcc \\(', category: 'cdn', examples: ex(['server: ECAcc (dcd/7D26)'], ['server: nginx']) }],
  },
  {
    id: 'google-cloud', name: 'Google Cloud', company: co('google'), categories: ['hosting'], source: 'https://cloud.google.com/',
    rules: [{ kind: 'header', name: 'via', pattern: '(^|, ?)1\\.1 google(,|$)', category: 'hosting', fallback: true, examples: ex(['via: 1.1 google'], ['via: 1.1 varnish']) }],
  },
  {
    id: 'wix', name: 'Wix', company: co('wix'), categories: ['hosting'], source: 'https://www.wix.com/',
    rules: [{ kind: 'header', name: 'x-wix-request-id', category: 'hosting', examples: ex(['x-wix-request-id: 1'], ['x-request-id: 1']) }],
  },
  {
    id: 'edge-net', name: 'Edge Net', company: co('edge-net'), categories: ['cdn'], source: 'https://edge.example/',
    rules: [{ kind: 'asn', asns: [64999], category: 'cdn', examples: ex(['AS64999'], ['AS64998']) }],
  },
  {
    id: 'heroku', name: 'Heroku', company: co('salesforce'), categories: ['hosting'], source: 'https://devcenter.heroku.com/',
    rules: [{ kind: 'header', name: 'via', pattern: '\\bvegur\\b', category: 'hosting', examples: ex(['via: 1.1 vegur'], ['via: 1.1 varnish']) }],
  },
];
const db = loadVendorDb({ dataDir: writeData({ 'sample.json': VENDORS }) });

/** A site whose www answers with these headers, from an address in `asn`. */
function site(headers: [string, string][], asn = 64500): Observation {
  const o = emptyObservation('example.org', { line: 1 });
  o.dns.hosts = { 'www.example.org': { roles: ['www'], cname: [], a: ['127.16.0.20'], aaaa: [] } };
  o.addresses = { '127.16.0.20': { asn, asName: 'NET', country: 'US', source: 'cymru' } };
  o.http = [{ url: 'https://www.example.org/', finalUrl: 'https://www.example.org/', status: 200, redirects: [], headers, address: '127.16.0.20' }];
  return o;
}
const vendors = (list: { vendor: string | null }[]) => list.map((a) => a.vendor).filter((v) => v !== null);

describe('fallback rules', () => {
  it("name the platform's own edge as the CDN when nothing else fronts it", () => {
    const r = classify(site([['x-nf-request-id', '01H1S4KY3H6QM7BZ0MRJC2C3MQ']]), db);
    expect(vendors(r.services.cdn)).toEqual(['netlify']);
    expect(vendors(r.services.hosting)).toEqual(['netlify']);
  });
  it('yield to another CDN a rule names: a Netlify origin behind Edgio is hosting Netlify, CDN Edgio', () => {
    const r = classify(site([['server', 'ECAcc (dcd/7D26)'], ['x-nf-request-id', '01H1S4KY3H6QM7BZ0MRJC2C3MQ']]), db);
    expect(vendors(r.services.cdn)).toEqual(['edgio']);
    expect(vendors(r.services.hosting)).toEqual(['netlify']);
  });
  it("name Google Cloud from its load balancer's Via, unless the platform running on it is named", () => {
    expect(vendors(classify(site([['via', '1.1 google']]), db).services.hosting)).toEqual(['google-cloud']);
    expect(vendors(classify(site([['via', '1.1 google'], ['x-wix-request-id', '1745469344.30696']]), db).services.hosting)).toEqual(['wix']);
  });
  it('do not yield to a vendor inferred from the network: the load balancer behind a CDN edge stays named', () => {
    const r = classify(site([['via', '1.1 google']], 64999), db);
    expect(vendors(r.services.cdn)).toEqual(['edge-net']);
    expect(vendors(r.services.hosting).sort()).toEqual(['edge-net', 'google-cloud']);
    const heroku = classify(site([['via', '1.1 vegur'], ['via', '1.1 google']], 64999), db);
    expect(vendors(heroku.services.hosting).sort()).toEqual(['edge-net', 'heroku']);
  });
});
