// Service vs software (issue 20): a CMS that is free software the company runs on its own host
// (WordPress, DedeCMS) stays in its column, marked self-hosted, and is left out of everything
// that counts providers — the pivot, the U.S. count, `diff --fail-on` — while a hosted platform
// (WordPress.com, Shopify) and a self-hosted mail server on a provider's network still count.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { semanticProblems } from '../../src/vendors/semantics.js';
import { emptyObservation, isRelationship, type Observation } from '../../src/types.js';
import type { VendorEntry } from '../../src/vendors/types.js';
import { pivotByProvider } from '../../src/report/pivot.js';
import { usProviders } from '../../src/report/cells.js';
import { renderResults } from '../../src/report/output.js';
import { diffScans } from '../../src/monitor/diff.js';
import { attr, result } from '../monitor/fixtures.js';

const db = loadVendorDb();

function page(domain: string, generator: string): Observation {
  const o = emptyObservation(domain, { line: 1 });
  o.http.push({ url: `https://www.${domain}/`, finalUrl: `https://www.${domain}/`, status: 200, redirects: [], headers: [], html: { meta: [{ name: 'generator', content: generator }], scripts: [], links: [], iframes: [], images: [], inlineUrls: [], ids: [], forms: [] } });
  return o;
}

describe('self-hosted software', () => {
  it('the classifier marks a free CMS self-hosted, a hosted platform not', () => {
    const wp = classify(page('a.com', 'WordPress 6.4.2'), db).services.cms;
    expect(wp).toMatchObject([{ vendor: 'wordpress', selfHosted: true }]);
    const dede = classify(page('b.cn', 'DedeCMS V5.7'), db).services.cms;
    expect(dede.every((a) => a.selfHosted === true)).toBe(true);
    const com = classify(page('c.com', 'WordPress.com'), db).services.cms;
    expect(com).toMatchObject([{ vendor: 'wordpress-com' }]);
    expect(com[0]!.selfHosted).toBeUndefined();
  });

  it('is kept in its column but not counted: pivot, U.S. count, table, CSV company columns', () => {
    const wordpress = { ...attr('wordpress', 'US', 'wordpress'), selfHosted: true };
    const shopify = attr('shopify', 'CA', 'shopify');
    const r = result('a.com', { cms: [wordpress], email: [attr('microsoft', 'US', 'microsoft-365')] });
    const s = result('b.com', { cms: [shopify] });
    expect(isRelationship('cms', wordpress)).toBe(false);
    expect(isRelationship('cms', shopify)).toBe(true);
    // A self-hosted mail server on a provider's network is a relationship with that network.
    expect(isRelationship('email', { ...attr('alibaba', 'CN'), selfHosted: true })).toBe(true);
    expect(pivotByProvider([r, s]).map((p) => p.company)).toEqual(['microsoft', 'shopify']);
    expect(usProviders(r)).toEqual(['microsoft Inc.']);
    const table = renderResults([r, s], { format: 'table', width: 200 });
    expect(table).toContain('WORDPRESS (self-hosted)');
    expect(table).not.toContain('WORDPRESS (US');
    const csv = renderResults([r], { format: 'csv' }).split('\r\n');
    const header = csv[0]!.split(',');
    const row = csv[1]!.split(',');
    expect(row[header.indexOf('cms')]).toBe('WORDPRESS (self-hosted)');
    expect([row[header.indexOf('cms_company')], row[header.indexOf('cms_country')]]).toEqual(['', '']);
  });

  it('never fails diff --fail-on us or added; --fail-on any still reports it', () => {
    const before = result('a.com');
    const after = result('a.com', { cms: [{ ...attr('wordpress', 'US', 'wordpress'), selfHosted: true }] });
    for (const failOn of ['us', 'added'] as const) {
      const d = diffScans({ results: [before] }, { results: [after] }, { failOn });
      expect(d.changes).toMatchObject([{ kind: 'provider-added', provider: { software: true }, counts: false }]);
      expect(d.failing).toBe(false);
    }
    expect(diffScans({ results: [before] }, { results: [after] }, { failOn: 'any' }).failing).toBe(true);
    const hosted = result('a.com', { cms: [attr('wordpress-com', 'US', 'automattic')] });
    expect(diffScans({ results: [before] }, { results: [hosted] }, { failOn: 'us' }).failing).toBe(true);
  });

  it('a self-hosted Matomo is software, not InnoCraft serving the site; Matomo Cloud is', () => {
    const withScript = (domain: string, src: string): Observation => {
      const o = page(domain, '');
      o.http[0]!.html!.meta = [];
      o.http[0]!.html!.scripts = [src];
      return o;
    };
    const own = classify(withScript('a.org', 'https://stats.a.org/matomo.js'), db).services.analytics;
    expect(own).toMatchObject([{ vendor: 'matomo', company: 'innocraft', selfHosted: true }]);
    expect(isRelationship('analytics', own[0]!)).toBe(false);
    expect(renderResults([result('a.org', { analytics: own })], { format: 'table', width: 200 })).toContain('Matomo (self-hosted)');
    // The cloud tracker's path also names matomo.js: the hosted service replaces the software.
    const cloud = classify(withScript('b.org', 'https://cdn.matomo.cloud/b.matomo.cloud/matomo.js'), db).services.analytics;
    expect(cloud).toMatchObject([{ vendor: 'matomo-cloud', company: 'innocraft' }]);
    expect(cloud[0]!.selfHosted).toBeUndefined();
    expect(isRelationship('analytics', cloud[0]!)).toBe(true);
  });

  it('lint allows software only on a CMS or analytics found on the site itself', () => {
    const base: VendorEntry = { ...db.byId.get('wordpress')! };
    expect(base.software).toBe(true);
    expect(semanticProblems([{ file: 'x.json', entry: base }])).toEqual([]);
    const cdn: VendorEntry = { ...db.byId.get('cloudfront')!, software: true };
    expect(semanticProblems([{ file: 'x.json', entry: cdn }]).join('\n')).toMatch(/vendor cloudfront: software: only one of cms, analytics can be self-hosted software/);
    const hosted: VendorEntry = { ...db.byId.get('wordpress-com')!, software: true, rules: [{ kind: 'cname', suffix: 'wordpress.com', category: 'cms', examples: { match: ['x.wordpress.com'], nomatch: ['wordpress.org'] } }] };
    expect(semanticProblems([{ file: 'x.json', entry: hosted }]).join('\n')).toMatch(/rules\[0\]\.kind: a cname rule proves a service, not self-hosted software/);
  });
});
