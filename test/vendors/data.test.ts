// The shipped vendor data, checked through the real loader and matchers (the ones `vendors lint`,
// the build and the classifier use): no problem, every example passing, companies stored once,
// files written with sorted keys, and the coverage and ownership users depend on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectVendorDb, dataFiles, DEFAULT_DATA_DIR } from '../../src/vendors/load.js';
import { checkExamples } from '../../src/vendors/examples.js';
import type { VendorFile } from '../../src/vendors/types.js';

const { db, problems, entries, companies } = collectVendorDb();
const byId = new Map(entries.map((e) => [e.entry.id, e.entry]));
/** The data files by name; a renamed or missing file fails here rather than being skipped. */
const FILES = ['analytics', 'assets', 'cdn', 'certificate', 'cms', 'companies', 'dns', 'email', 'hosting', 'saas'];

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

describe('the shipped vendor data', () => {
  it('has exactly the expected files', () => {
    expect(dataFiles(DEFAULT_DATA_DIR).map((f) => path.basename(f, '.json'))).toEqual(FILES);
  });

  it('loads with no problem and every rule example passes through the classifier matchers', () => {
    expect(problems).toEqual([]);
    expect(db).not.toBeNull();
    expect(checkExamples(db!)).toEqual([]);
  });

  it('files are written with sorted keys (readable diffs), companies sorted by id', () => {
    for (const file of dataFiles(DEFAULT_DATA_DIR)) {
      const text = readFileSync(file, 'utf8');
      const data = JSON.parse(text) as VendorFile;
      expect(`${JSON.stringify(sortKeys(data), null, 2)}\n`, file).toBe(text);
      const ids = (data.companies ?? []).map((x) => x.id);
      expect(ids, file).toEqual([...ids].sort());
    }
  });

  it('stores each company once: vendor files name their company by id, and every company has a country and a source', () => {
    for (const { file, entry } of entries) expect(file.endsWith('companies.json'), `${entry.id} in ${file}`).toBe(false);
    for (const file of dataFiles(DEFAULT_DATA_DIR)) {
      for (const v of (JSON.parse(readFileSync(file, 'utf8')) as VendorFile).vendors ?? []) expect(typeof v.company, `${file} ${v.id}`).toBe('string');
    }
    for (const { company } of companies) {
      expect(company.country, company.id).toMatch(/^[A-Z]{2}$/);
      expect(company.source, company.id).toMatch(/^https?:\/\/\S+$/);
    }
  });

  it.each([
    ['hosting', 60], ['cdn', 35], ['email', 30], ['dns', 35], ['certificate', 35], ['cms', 30], ['analytics', 25], ['assets', 20], ['saas', 25],
  ] as const)('covers at least the required number of %s vendors (%i)', (category, n) => {
    expect(entries.filter((e) => e.entry.categories.includes(category)).length).toBeGreaterThanOrEqual(n);
  });

  it('covers many Chinese vendors', () => {
    expect(entries.filter((e) => e.entry.company.country === 'CN').length).toBeGreaterThanOrEqual(50);
  });

  it.each([
    'digicert', 'geotrust', 'thawte', 'rapidssl', 'symantec-ca', 'lets-encrypt', 'sectigo', 'entrust', 'godaddy-ca', 'globalsign', 'trustasia', 'wotrus', 'cfca',
    'wordpress', 'drupal', 'joomla', 'dedecms', 'phpcms', 'discuz', 'empirecms', 'z-blog', 'pbootcms', 'adobe-experience-manager', 'sitecore',
    'google-analytics', 'baidu-tongji', 'cnzz', '51la', 'growingio', 'adobe-analytics', 'yandex-metrica', 'matomo', 'microsoft-clarity', 'meta-pixel',
    'google-fonts', 'google-hosted-libraries', 'cdnjs', 'jsdelivr', 'unpkg', 'bootcdn', 'staticfile', 'baidu-static', 'facebook-widgets', 'twitter-widgets',
    'microsoft-verification', 'google-site-verification', 'atlassian', 'docusign', 'apple', 'adobe', 'facebook-domain-verification', 'baidu-verification', 'zoom', 'sendgrid', 'mailchimp', 'salesforce', 'amazon-ses',
  ])('has the canonical vendor id %s', (id) => {
    expect(byId.has(id)).toBe(true);
  });

  it.each([
    ['geotrust', 'digicert'], ['thawte', 'digicert'], ['rapidssl', 'digicert'], ['symantec-ca', 'digicert'],
    ['lets-encrypt', 'isrg'], ['comodo-ca', 'sectigo'], ['starfield', 'godaddy'], ['cnzz', 'alibaba'], ['discuz', 'tencent'],
    ['trustasia', 'trustasia'], ['wotrus', 'wotrus'], ['cfca', 'cfca'], ['sendgrid', 'twilio'], ['mailchimp', 'intuit'], ['github-pages', 'microsoft'],
  ])('%s is owned by %s', (vendor, company) => {
    expect(byId.get(vendor)?.company.id).toBe(company);
  });

  it('Google Fonts and the other page resources are assets only, never hosting or cdn (Top10VPN correction)', () => {
    for (const id of ['google-fonts', 'google-hosted-libraries', 'facebook-widgets', 'twitter-widgets', 'cdnjs', 'jsdelivr']) expect(byId.get(id)?.categories).toEqual(['assets']);
  });
});
