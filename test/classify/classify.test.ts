import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { CATEGORIES, emptyObservation, type Observation } from '../../src/types.js';
import { SAMPLE, writeData } from '../vendors/helpers.js';

const db = loadVendorDb({ dataDir: writeData({ 'sample.json': SAMPLE }) });

function obs(domain = 'example.cn'): Observation {
  return emptyObservation(domain, { line: 1 });
}

/** A site fronted by CloudFront: www CNAME to cloudfront.net, edge header, AWS addresses. */
function cloudfrontSite(): Observation {
  const o = obs('hikvision.com');
  o.dns.ns = ['ns2.hikvision.com', 'ns1.hikvision.com'];
  o.dns.mx = [{ preference: 10, exchange: 'mail.hikvision.com' }];
  o.dns.txt = ['MS=ms1234', 'v=spf1 include:spf.protection.outlook.com -all'];
  o.dns.hosts = {
    'hikvision.com': { roles: ['apex'], cname: [], a: ['127.16.0.10'], aaaa: [] },
    'www.hikvision.com': { roles: ['www'], cname: ['d1x.cloudfront.net'], a: ['127.16.0.20', '127.16.0.21'], aaaa: [] },
    'mail.hikvision.com': { roles: ['mx'], cname: [], a: ['127.40.0.5'], aaaa: [] },
    'ns1.hikvision.com': { roles: ['ns'], cname: [], a: ['127.40.0.6'], aaaa: [] },
    'ns2.hikvision.com': { roles: ['ns'], cname: [], a: ['127.50.0.6'], aaaa: [] },
  };
  o.addresses = {
    '127.16.0.10': { asn: 16509, asName: 'AMAZON-02', country: 'US', source: 'cymru' },
    '127.16.0.20': { asn: 16509, asName: 'AMAZON-02', country: 'US', source: 'cymru' },
    '127.16.0.21': { asn: 16509, asName: 'AMAZON-02', country: 'US', source: 'cymru' },
    '127.40.0.5': { asn: 4134, asName: 'CHINANET-BACKBONE', country: 'CN', source: 'cymru' },
    '127.40.0.6': { asn: 4134, asName: 'CHINANET-BACKBONE', country: 'CN', source: 'cymru' },
    '127.50.0.6': { asn: 64500, asName: 'SOMEWHERE-NET', country: 'DE', source: 'cymru' },
  };
  o.tls = [
    {
      host: 'www.hikvision.com', address: '127.16.0.20', port: 443, authorized: true,
      chain: [
        { subject: { CN: 'www.hikvision.com' }, issuer: { C: 'US', O: "Let's Encrypt", CN: 'R3' }, san: [], validFrom: '', validTo: '', serial: '1', fingerprint256: 'a' },
        { subject: { C: 'US', O: "Let's Encrypt", CN: 'R3' }, issuer: { C: 'US', O: 'Internet Security Research Group', CN: 'ISRG Root X1' }, san: [], validFrom: '', validTo: '', serial: '2', fingerprint256: 'b' },
      ],
    },
  ];
  o.http = [
    {
      url: 'https://www.hikvision.com/', finalUrl: 'https://www.hikvision.com/', status: 200, redirects: [],
      headers: [['server', 'CloudFront'], ['x-amz-cf-id', 'abc=='], ['set-cookie', 'sid=1; Path=/']],
      address: '127.16.0.20',
      html: {
        meta: [], scripts: ['https://hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef', '/static/app.js'],
        links: [{ href: 'https://fonts.googleapis.com/css?family=Roboto', rel: 'stylesheet' }],
        iframes: [], images: [], inlineUrls: [], ids: ['hm:0123456789abcdef0123456789abcdef'], forms: [],
      },
    },
  ];
  return o;
}

const ids = (list: { vendor: string | null }[]) => list.map((a) => a.vendor);

describe('classify', () => {
  const r = classify(cloudfrontSite(), db);

  it('has every category and copies domain and input', () => {
    expect(Object.keys(r.services).sort()).toEqual([...CATEGORIES].sort());
    expect(r.domain).toBe('hikvision.com');
    expect(r.input).toEqual({ line: 1 });
    expect(r.status).toBe('ok');
  });

  it('finds CloudFront from the www CNAME and the edge header, with checkable evidence', () => {
    expect(ids(r.services.cdn)).toEqual(['cloudfront']);
    const cf = r.services.cdn[0]!;
    expect(cf).toMatchObject({ vendorName: 'Amazon CloudFront', company: 'amazon', companyName: 'Amazon.com, Inc.', country: 'US', confidence: 0.95 });
    expect(cf.evidence).toEqual(['header x-amz-cf-id', 'www CNAME d1x.cloudfront.net']);
  });

  it('attributes hosting by the ASN of the company addresses', () => {
    expect(ids(r.services.hosting)).toEqual(['aws']);
    expect(r.services.hosting[0]!.evidence).toContain('AS16509 AMAZON-02 for 127.16.0.10');
    expect(r.services.hosting[0]!.evidence).toContain('AS16509 AMAZON-02 for 127.16.0.20');
  });

  it('attributes self-hosted MX and NS to the network of their addresses', () => {
    expect(r.services.email).toEqual([
      expect.objectContaining({ vendor: 'microsoft-365', evidence: ['SPF include:spf.protection.outlook.com'] }),
      {
        vendor: 'china-telecom', vendorName: 'China Telecom (ChinaNet)', company: 'china-telecom', companyName: 'China Telecom Corporation Limited', country: 'CN',
        confidence: 0.7, selfHosted: true,
        evidence: ['AS4134 CHINANET-BACKBONE for 127.40.0.5', 'AS4134 CHINANET-BACKBONE registered in CN', 'MX 10 mail.hikvision.com (self-hosted)'],
      },
    ]);
    expect(r.services.dns.map((a) => [a.vendor, a.vendorName, a.selfHosted])).toEqual([
      ['china-telecom', 'China Telecom (ChinaNet)', true],
      [null, 'AS64500 SOMEWHERE-NET', true],
    ]);
  });

  it('puts Google Fonts in assets only, and Baidu Tongji in analytics', () => {
    expect(r.services.assets.map((a) => [a.vendor, a.company])).toEqual([['google-fonts', 'google']]);
    for (const c of CATEGORIES) if (c !== 'assets') expect(r.services[c].map((a) => a.company)).not.toContain('google');
    expect(ids(r.services.analytics)).toEqual(['baidu-tongji']);
    expect(r.services.analytics[0]!.evidence).toEqual(['id hm:0123456789abcdef0123456789abcdef', 'script https://hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef']);
  });

  it('attributes the certificate issuer and the MS= token', () => {
    expect(r.services.certificate).toEqual([expect.objectContaining({ vendor: 'lets-encrypt', evidence: ["issuer /C=US/O=Let's Encrypt/CN=R3"] })]);
    expect(r.services.saas).toEqual([expect.objectContaining({ vendor: 'microsoft-365', evidence: ['TXT MS=ms1234'] })]);
  });

  it('keeps an unmatched ASN, NS, MX and issuer with what is known', () => {
    const o = obs('example.cn');
    o.dns.ns = ['ns1.unknown-dns.cn'];
    o.dns.mx = [{ preference: 5, exchange: 'mx.unknown-mail.com.cn' }];
    o.dns.hosts = { 'example.cn': { roles: ['apex'], cname: [], a: ['127.9.0.1'], aaaa: [] } };
    o.addresses = { '127.9.0.1': { asn: 4837, asName: 'CHINA169-BACKBONE', country: 'CN', source: 'cymru' } };
    o.tls = [{ host: 'example.cn', address: '127.9.0.1', port: 443, authorized: true, chain: [{ subject: {}, issuer: { C: 'CN', O: 'Some CA', CN: 'Some CA R1' }, san: [], validFrom: '', validTo: '', serial: '1', fingerprint256: 'x' }] }];
    const u = classify(o, db);
    expect(u.services.hosting).toEqual([
      { vendor: null, vendorName: 'AS4837 CHINA169-BACKBONE', company: null, companyName: null, country: null, confidence: 0.6, evidence: ['AS4837 CHINA169-BACKBONE for 127.9.0.1', 'AS4837 CHINA169-BACKBONE registered in CN'] },
    ]);
    expect(u.services.dns.map((a) => [a.vendor, a.vendorName, a.evidence])).toEqual([[null, 'unknown-dns.cn', ['NS ns1.unknown-dns.cn']]]);
    expect(u.services.email.map((a) => [a.vendor, a.vendorName, a.evidence])).toEqual([[null, 'unknown-mail.com.cn', ['MX 5 mx.unknown-mail.com.cn']]]);
    expect(u.services.certificate.map((a) => [a.vendor, a.vendorName, a.evidence])).toEqual([[null, 'Some CA', ['issuer /C=CN/O=Some CA/CN=Some CA R1']]]);
  });

  it('does not take a look-alike CNAME for a vendor', () => {
    const o = obs('example.com');
    o.dns.hosts = { 'www.example.com': { roles: ['www'], cname: ['x.mycloudfront.net', 'cloudfront.net.evil.cn'], a: [], aaaa: [] } };
    expect(classify(o, db).services.cdn).toEqual([]);
  });

  it('never puts a loaded third-party resource in hosting or cdn, and ignores CMS paths on other hosts', () => {
    const extra = structuredClone(SAMPLE);
    extra.push({
      id: 'wordpress', name: 'WordPress', company: { id: 'wordpress', name: 'WordPress Foundation', country: 'US' }, categories: ['cms'], source: 'https://wordpress.org/',
      rules: [{ kind: 'url', pattern: '/wp-content/', category: 'cms', examples: { match: ['https://x.com/wp-content/a.js'], nomatch: ['https://x.com/a.js'] } }],
    });
    // A loaded file proves only an asset: a url rule may not claim cdn (the loader refuses it, test/vendors/load.test.ts).
    extra[0]!.categories = ['cdn', 'assets'];
    extra[0]!.rules.push({ kind: 'url', pattern: '\\.cloudfront\\.net/', category: 'assets', examples: { match: ['https://d1.cloudfront.net/a.js'], nomatch: ['https://a.com/'] } });
    const db2 = loadVendorDb({ dataDir: writeData({ 'x.json': extra }) });
    const o = obs('example.com');
    o.http = [{ url: 'https://example.com/', status: 200, redirects: [], headers: [], html: { meta: [], scripts: ['https://d9.cloudfront.net/lib.js'], links: [], iframes: [], images: [], inlineUrls: ['https://other.example.net/wp-content/x.js', 'https://example.com/wp-content/y.js'], ids: [], forms: [] } }];
    const u = classify(o, db2);
    expect(u.services.cdn).toEqual([]);
    expect(u.services.hosting).toEqual([]);
    expect(ids(u.services.assets)).toEqual(['cloudfront']);
    expect(u.services.cms).toEqual([]);
    o.http[0]!.html!.images = ['/wp-content/uploads/logo.png'];
    expect(classify(o, db2).services.cms.map((a) => [a.vendor, a.evidence])).toEqual([['wordpress', ['image /wp-content/uploads/logo.png']]]);
  });

  it('reports status failed with no DNS answer, partial with some, and copies errors', () => {
    const o = obs('gone.example');
    o.errors = [{ stage: 'dns', code: 'DNS_NXDOMAIN', message: 'gone.example: NXDOMAIN', target: 'gone.example A' }];
    const f = classify(o, db);
    expect(f.status).toBe('failed');
    expect(f.errors).toEqual(o.errors);
    o.dns.ns = ['ns1.example.net'];
    expect(classify(o, db).status).toBe('partial');
  });
});

describe('determinism', () => {
  function shuffled<T>(xs: T[], seed: number): T[] {
    const out = [...xs];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  it('gives deep-equal results twice and for shuffled input arrays', () => {
    const base = classify(cloudfrontSite(), db);
    expect(classify(cloudfrontSite(), db)).toEqual(base);
    for (const seed of [1, 2, 3, 4, 5]) {
      const o = cloudfrontSite();
      o.dns.ns = shuffled(o.dns.ns, seed);
      o.dns.txt = shuffled(o.dns.txt, seed);
      o.dns.hosts = Object.fromEntries(shuffled(Object.entries(o.dns.hosts), seed).map(([k, h]) => [k, { ...h, a: shuffled(h.a, seed) }]));
      o.addresses = Object.fromEntries(shuffled(Object.entries(o.addresses), seed));
      o.http[0]!.headers = shuffled(o.http[0]!.headers, seed);
      o.http[0]!.html!.scripts = shuffled(o.http[0]!.html!.scripts, seed);
      expect(JSON.stringify(classify(o, db))).toBe(JSON.stringify(base));
    }
  });
});
