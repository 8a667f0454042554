// Real captures → world + labels: each capture is the only signal of one anonymous company, the
// capture's own domain is replaced by the synthetic one, and bad lines are refused with FILE:LINE.
import { describe, expect, it } from 'vitest';
import { buildCaptureWorld, parseCaptures, type Capture } from '../../src/world/captures.js';
import { validateWorld } from '../../src/world/load.js';

const base = { source: 'https://github.com/o/r/issues/1', captured: '2024-01' };
const caps: Capture[] = [
  { ...base, id: 'a/akamai', kind: 'headers', host: 'www.shop.example.org', headers: [['server', 'AkamaiGHost'], ['content-length', '12'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-origin', 'www.shop.example.org'], ['server-timing', 'cdn-cache; desc=MISS\nedge; dur=141\r\norigin; dur=60'], ['content-disposition', 'inline; filename="八段锦.mp4"']], expect: [{ category: 'cdn', company: 'akamai' }] },
  { ...base, id: 'b/mx', kind: 'dns', name: 'example.org', type: 'MX', data: '10 example-org.mail.protection.outlook.com.', expect: [{ category: 'email', company: 'microsoft' }] },
  { ...base, id: 'c/self', kind: 'dns', name: 'example.net', type: 'MX', data: '5 mail.example.net.', expect: [], decoy: true },
  { ...base, id: 'd/cname', kind: 'dns', name: 'example.com', type: 'CNAME', data: 'example.netlify.app.', expect: [{ category: 'hosting', company: 'netlify' }, { category: 'cdn', company: 'netlify' }] },
  { ...base, id: 'e/dmarc', kind: 'dns', name: '_dmarc.example.com', type: 'TXT', data: 'v=DMARC1; p=none; rua=mailto:x@ag.dmarcian.com', expect: [{ category: 'saas', company: 'dmarcian' }] },
  { ...base, id: 'f/page', kind: 'html', url: 'https://blog.example.edu/', html: '<link rel="stylesheet" href="https://blog.example.edu/wp-content/themes/x.css">', expect: [{ category: 'cms', company: 'wordpress' }] },
  { ...base, id: 'g/ca', kind: 'issuer', issuer: '/C=CN/O=TrustAsia Technologies, Inc./CN=TrustAsia RSA DV TLS CA G2', expect: [{ category: 'certificate', company: 'trustasia' }] },
];

describe('buildCaptureWorld', () => {
  const { world, labels } = buildCaptureWorld(caps);
  it('is a valid world with one neutral company domain per capture, labelled as the capture says', () => {
    expect(() => validateWorld(JSON.parse(JSON.stringify(world)), 'w.json', '/')).not.toThrow();
    expect(world.domains).toEqual(['rc0001.com', 'rc0002.com', 'rc0003.com', 'rc0004.com', 'rc0005.com', 'rc0006.com', 'rc0007.com']);
    expect(labels.domains['rc0004.com']).toEqual({ hosting: ['netlify'], cdn: ['netlify'] });
    expect(labels.domains['rc0003.com']).toEqual({});
    expect(labels.sources['rc0006.com']).toBe('f/page');
  });
  it('serves captured headers on www without the capture framing, repeated headers kept, its own domain rehomed', () => {
    const h = world.sites!['www.rc0001.com']!.http!.headers!;
    expect(h.server).toBe('AkamaiGHost');
    expect(h['content-length']).toBeUndefined();
    expect(h['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(h['x-origin']).toBe('www.shop.example.org');
  });
  it('serves a UTF-8 header value percent-encoded, which a client accepts', () => {
    expect(world.sites!['www.rc0001.com']!.http!.headers!['content-disposition']).toBe('inline; filename="%E5%85%AB%E6%AE%B5%E9%94%A6.mp4"');
  });
  it('serves a header a HAR joined with newlines as one header line per value', () => {
    expect(world.sites!['www.rc0001.com']!.http!.headers!['server-timing']).toEqual(['cdn-cache; desc=MISS', 'edge; dur=141', 'origin; dur=60']);
  });
  it('keeps a self-hosted MX self-hosted and a third-party MX third-party', () => {
    expect(world.zones!['rc0002.com']).toContain('@ MX 10 example-org.mail.protection.outlook.com.');
    expect(world.zones!['outlook.com']!.some((l) => /^example-org\.mail\.protection A 127\.200\.\d+\.\d+$/.test(l))).toBe(true);
    expect(world.zones!['rc0003.com']).toContain('@ MX 5 mail.rc0003.com.');
  });
  it('reads an MX written without its preference (DNS-as-code files keep it apart) as preference 10', () => {
    const { world: w } = buildCaptureWorld([{ ...base, id: 'h/mx', kind: 'dns', name: 'example.org', type: 'MX', data: 'mx2.zoho.com', expect: [{ category: 'email', company: 'zoho' }] }]);
    expect(w.zones!['rc0001.com']).toContain('@ MX 10 mx2.zoho.com.');
  });
  it('serves an apex CNAME at www, DMARC at _dmarc, a page with its own paths, an issuer as the site CA', () => {
    expect(world.zones!['rc0004.com']).toContain('www CNAME example.netlify.app.');
    expect(world.zones!['rc0005.com']).toContain('_dmarc TXT "v=DMARC1; p=none; rua=mailto:x@ag.dmarcian.com"');
    expect(world.sites!['www.rc0006.com']!.http!.body).toContain('https://www.rc0006.com/wp-content/themes/x.css');
    const ca = world.cas!.find((c) => c.id === world.sites!['www.rc0007.com']!.tls!.ca)!;
    expect(ca.subject).toEqual({ C: 'CN', O: 'TrustAsia Technologies, Inc.', CN: 'TrustAsia RSA DV TLS CA G2' });
  });
});

describe('rehoming a page', () => {
  it('moves only URLs of the page own host and bare domain; a vendor host of the same domain and text keep their names', () => {
    const html = (url: string, body: string): Capture => ({ ...base, id: `h/${url}`, kind: 'html', url, html: body, expect: [{ category: 'analytics', company: 'baidu' }] });
    const { world } = buildCaptureWorld([
      html('https://www.baidu.com/', '<a href="https://www.baidu.com/more">x</a><a href="//baidu.com/">y</a><script src="https://hm.baidu.com/hm.js?abc"></script>'),
      html('https://kulinaria.wordpress.com/', '<meta name="generator" content="WordPress.com" /><img src="https://kulinaria.wordpress.com/wp-content/a.png">'),
    ]);
    expect(world.sites!['www.rc0001.com']!.http!.body).toContain('<a href="https://www.rc0001.com/more">x</a><a href="//rc0001.com/">y</a><script src="https://hm.baidu.com/hm.js?abc"></script>');
    expect(world.sites!['www.rc0002.com']!.http!.body).toContain('<meta name="generator" content="WordPress.com" /><img src="https://www.rc0002.com/wp-content/a.png">');
  });
});

describe('parseCaptures', () => {
  it('names file and line for each bad record and refuses duplicate ids', () => {
    const text = [JSON.stringify(caps[0]), '{nope', JSON.stringify({ ...caps[1], source: 'here' }), JSON.stringify(caps[0]), JSON.stringify({ ...caps[2], decoy: undefined })].join('\n');
    const { captures, problems } = parseCaptures(text, 'x.jsonl');
    expect(captures.map((c) => c.id)).toEqual(['a/akamai']);
    expect(problems).toEqual(['x.jsonl:2: not valid JSON', 'x.jsonl:3: source: a URL is required', 'x.jsonl:4: id a/akamai is already used at x.jsonl:1', 'x.jsonl:5: expect: empty without "decoy": true']);
  });
});

describe('service names', () => {
  it('keep their labels under the company domain; the host they serve collapses onto it', () => {
    const txt = (id: string, name: string, data: string): Capture => ({ ...base, id, kind: 'dns', name, type: 'TXT', data, expect: [{ category: 'saas', company: 'x' }] });
    const { world } = buildCaptureWorld([
      txt('a', '_dmarc.civilclaims.service.justice.gov.uk', 'v=DMARC1; p=none'),
      txt('b', 'zendeskverification.support.shop.rosuav.com', 'e1d2fd3073b9c044'),
      txt('c', '_vercel.codesquad.example.org', 'vc-domain-verify=codesquad.example.org,c4233a'),
      { ...base, id: 'd', kind: 'dns', name: 'selector1._domainkey.mail.example.net', type: 'CNAME', data: 'selector1-example-net._domainkey.example.onmicrosoft.com.', expect: [{ category: 'email', company: 'microsoft' }] },
    ]);
    expect(world.zones!['rc0001.com']).toContain('_dmarc TXT "v=DMARC1; p=none"');
    expect(world.zones!['rc0002.com']).toContain('zendeskverification TXT "e1d2fd3073b9c044"');
    expect(world.zones!['rc0003.com']).toContain('_vercel TXT "vc-domain-verify=codesquad.rc0003.com,c4233a"');
    expect(world.zones!['rc0004.com']).toContain('selector1._domainkey CNAME selector1-example-net._domainkey.example.onmicrosoft.com.');
  });
});
