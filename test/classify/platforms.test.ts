// Hosted platforms, a platform's own static host (offsite cms rules), share images and a specific
// vendor superseding a generic one: how page evidence becomes cms and hosting attributions.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { emptyObservation, type HtmlSignals, type Observation } from '../../src/types.js';
import type { VendorEntry } from '../../src/vendors/types.js';
import { writeData } from '../vendors/helpers.js';

const ex = (match: string[], nomatch: string[]) => ({ match, nomatch });
const co = (id: string) => ({ id, name: `${id} Inc.`, country: 'US' });

const VENDORS: VendorEntry[] = [
  {
    id: 'shopify', name: 'Shopify', company: co('shopify'), categories: ['cms', 'hosting'], hostedPlatform: true, source: 'https://shopify.dev/',
    rules: [
      { kind: 'generator', pattern: '^Shopify$', category: 'cms', examples: ex(['Shopify'], ['WordPress']) },
      { kind: 'url', pattern: '^(https?:)?//cdn\\.shopify\\.com/s/files/', offsite: true, category: 'cms', examples: ex(['//cdn.shopify.com/s/files/1/2/t/3/assets/a.css'], ['//cdn.example.com/s/files/a.css']) },
    ],
  },
  {
    id: 'wordpress', name: 'WordPress', company: co('wordpress'), categories: ['cms'], source: 'https://wordpress.org/',
    rules: [{ kind: 'url', pattern: '/wp-content/', category: 'cms', examples: ex(['https://x.com/wp-content/a.js'], ['https://x.com/a.js']) }],
  },
  {
    id: 'wordpress-com', name: 'WordPress.com', company: co('automattic'), categories: ['cms', 'hosting'], hostedPlatform: true, supersedes: ['wordpress'], source: 'https://wordpress.com/',
    rules: [
      { kind: 'generator', pattern: '^WordPress\\.com$', category: 'cms', examples: ex(['WordPress.com'], ['WordPress']) },
      { kind: 'generator', pattern: '^WPCOM weak$', confidence: 0.3, category: 'cms', examples: ex(['WPCOM weak'], ['WordPress']) },
    ],
  },
  {
    id: 'sitecore', name: 'Sitecore', company: co('sitecore'), categories: ['cms'], source: 'https://doc.sitecore.com/',
    rules: [{ kind: 'url', pattern: '/-/media/', category: 'cms', examples: ex(['https://x.com/-/media/a.jpg'], ['https://x.com/media/a.jpg']) }],
  },
];

const db = loadVendorDb({ dataDir: writeData({ 'p.json': VENDORS }) });

function page(html: Partial<HtmlSignals>, domain = 'example.com'): Observation {
  const o = emptyObservation(domain, { line: 1 });
  o.dns.hosts = { [`www.${domain}`]: { roles: ['www'], cname: [], a: [], aaaa: [] } };
  o.http = [{ url: `https://www.${domain}/`, status: 200, redirects: [], headers: [], html: { meta: [], scripts: [], links: [], iframes: [], images: [], inlineUrls: [], ids: [], forms: [], ...html } }];
  return o;
}

const vendors = (list: { vendor: string | null }[]) => list.map((a) => a.vendor);

describe('hosted platforms', () => {
  it('attribute hosting from their CMS evidence, saying why', () => {
    const r = classify(page({ meta: [{ name: 'generator', content: 'Shopify' }] }), db);
    expect(vendors(r.services.cms)).toEqual(['shopify']);
    expect(r.services.hosting.map((a) => [a.vendor, a.confidence, a.evidence])).toEqual([['shopify', 0.9, ['Shopify hosts the sites built with it', 'generator Shopify']]]);
  });

  it('self-hosted software stays cms only', () => {
    const r = classify(page({ scripts: ['https://www.example.com/wp-content/a.js'] }), db);
    expect(vendors(r.services.cms)).toEqual(['wordpress']);
    expect(r.services.hosting).toEqual([]);
  });
});

describe('offsite cms rules: the platform static host', () => {
  it('count when the page loads it as its own script, stylesheet or icon', () => {
    for (const html of [
      { scripts: ['https://cdn.shopify.com/s/files/1/2/t/3/assets/theme.js'] },
      { links: [{ href: '//cdn.shopify.com/s/files/1/2/files/favicon.png', rel: 'icon' }] },
      { imports: ['//cdn.shopify.com/s/files/1/2/t/3/assets/theme.css'] }, // an inline style's @import
    ]) {
      expect(vendors(classify(page(html), db).services.cms)).toEqual(['shopify']);
    }
  });

  it('do not count as a hotlinked image or a URL inside an inline script', () => {
    const r = classify(page({ images: ['https://cdn.shopify.com/s/files/1/2/files/product.jpg'], inlineUrls: ['https://cdn.shopify.com/s/files/1/2/t/3/assets/theme.js'] }), db);
    expect(r.services.cms).toEqual([]);
    expect(r.services.hosting).toEqual([]);
  });

  it('a path rule without offsite still needs the site own host', () => {
    const r = classify(page({ links: [{ href: 'https://cdn.other.net/-/media/icon.ico', rel: 'icon' }] }), db);
    expect(r.services.cms).toEqual([]);
  });
});

describe('share images (og:image)', () => {
  it('are page URLs: a CMS media path on the own host proves the CMS', () => {
    const r = classify(page({ meta: [{ property: 'og:image', content: 'https://www.example.com/-/media/teaser.jpg?hash=AB' }] }), db);
    expect(r.services.cms.map((a) => [a.vendor, a.evidence])).toEqual([['sitecore', ['meta https://www.example.com/-/media/teaser.jpg?hash=AB']]]);
  });

  it('count for offsite rules, and never from another meta tag', () => {
    expect(vendors(classify(page({ meta: [{ property: 'og:image', content: 'https://cdn.shopify.com/s/files/1/2/files/share.jpg' }] }), db).services.cms)).toEqual(['shopify']);
    expect(classify(page({ meta: [{ name: 'description', content: 'https://www.example.com/-/media/x.jpg' }] }), db).services.cms).toEqual([]);
  });
});

describe('supersedes', () => {
  it('reports only the specific vendor when both are found', () => {
    const r = classify(page({ meta: [{ name: 'generator', content: 'WordPress.com' }], scripts: ['/wp-content/themes/a.js'] }), db);
    expect(vendors(r.services.cms)).toEqual(['wordpress-com']);
    expect(vendors(r.services.hosting)).toEqual(['wordpress-com']);
  });

  it('keeps the generic vendor when the specific one is too weak to be reported', () => {
    const r = classify(page({ meta: [{ name: 'generator', content: 'WPCOM weak' }], scripts: ['/wp-content/themes/a.js'] }), db);
    expect(vendors(r.services.cms)).toEqual(['wordpress']);
    expect(r.services.hosting).toEqual([]);
  });
});
