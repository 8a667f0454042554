import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { loadVendorDb, VendorDbError } from '../../src/vendors/load.js';
import { checkExamples } from '../../src/vendors/examples.js';
import { patternProblem } from '../../src/vendors/pattern.js';
import { RULE_CATEGORIES, semanticProblems } from '../../src/vendors/semantics.js';
import { vendorSchema } from '../../src/vendors/schema.js';
import type { RuleKind } from '../../src/vendors/types.js';
import type { Category } from '../../src/types.js';
import { SAMPLE, tempDir, writeData } from './helpers.js';

function errorOf(fn: () => unknown): VendorDbError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VendorDbError) return e;
    throw e;
  }
  throw new Error('expected a VendorDbError');
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('loadVendorDb', () => {
  it('loads an empty data dir as an empty db', () => {
    const db = loadVendorDb({ dataDir: writeData({}) });
    expect(db.vendors).toEqual([]);
    expect(db.matchers.host('ns', 'ns1.example.com')).toEqual([]);
    expect(db.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('loads files sorted by id with a data-derived version', () => {
    const a = loadVendorDb({ dataDir: writeData({ 'a.json': SAMPLE.slice(0, 3), 'b.json': SAMPLE.slice(3) }) });
    const b = loadVendorDb({ dataDir: writeData({ 'x.json': [...SAMPLE].reverse() }) });
    expect(a.vendors.map((v) => v.id)).toEqual([...SAMPLE.map((v) => v.id)].sort());
    expect(a.version).toBe(b.version);
    const changed = clone(SAMPLE);
    changed[0]!.name = 'CloudFront';
    expect(loadVendorDb({ dataDir: writeData({ 'x.json': changed }) }).version).not.toBe(a.version);
  });

  it('matches host suffixes on whole labels only', () => {
    const db = loadVendorDb({ dataDir: writeData({ 'a.json': SAMPLE }) });
    expect(db.matchers.host('cname', 'd1x.cloudfront.net').map((h) => h.vendor.id)).toEqual(['cloudfront']);
    expect(db.matchers.host('cname', 'CLOUDFRONT.NET.').map((h) => h.vendor.id)).toEqual(['cloudfront']);
    expect(db.matchers.host('cname', 'mycloudfront.net')).toEqual([]);
    expect(db.matchers.host('cname', 'cloudfront.net.evil.cn')).toEqual([]);
    expect(db.matchers.host('ns', 'ada.ns.cloudflare.com').map((h) => h.vendor.id)).toEqual(['cloudflare-dns']);
    expect(db.matchers.host('ns', 'ns.mycloudflare-dns.cn')).toEqual([]);
    expect(db.matchers.host('ns', 'ns.cloudflare.com.cn')).toEqual([]);
  });

  it('lets an overlay replace an entry by id and add new ones', () => {
    const dir = tempDir();
    const over = clone(SAMPLE[0]!);
    over.name = 'My CloudFront';
    over.rules = [{ kind: 'cname', suffix: 'cdn.example.net', category: 'cdn', examples: { match: ['a.cdn.example.net'], nomatch: ['example.net'] } }];
    const file = path.join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify({ vendors: [over] }));
    const db = loadVendorDb({ dataDir: writeData({ 'a.json': SAMPLE }), overlays: [file] });
    expect(db.vendors).toHaveLength(SAMPLE.length);
    expect(db.byId.get('cloudfront')?.name).toBe('My CloudFront');
    expect(db.matchers.host('cname', 'd1x.cloudfront.net')).toEqual([]);
    expect(db.matchers.host('cname', 'x.cdn.example.net').map((h) => h.vendor.id)).toEqual(['cloudfront']);
  });

  it('names file, vendor and field in schema errors', () => {
    const bad = clone(SAMPLE);
    (bad[0]!.rules[1] as unknown as Record<string, unknown>).pattern = 42;
    (bad[1] as unknown as Record<string, unknown>).colour = 'red';
    bad[2]!.company.country = 'usa';
    (bad[3]!.rules[0]!.examples as { nomatch: string[] }).nomatch = [];
    const e = errorOf(() => loadVendorDb({ dataDir: writeData({ 'bad.json': bad }) }));
    expect(e.message).toContain('bad.json: vendor cloudfront: rules[1].pattern: must be string');
    expect(e.message).toContain("bad.json: vendor aws: unknown property 'colour'");
    expect(e.message).toContain('bad.json: vendor cloudflare-dns: company.country: must match pattern');
    expect(e.message).toContain('bad.json: vendor china-telecom: rules[0].examples.nomatch: must NOT have fewer than 1 items');
  });

  it('rejects bad JSON, missing fields, non-kebab ids and unknown kinds', () => {
    const bad = clone(SAMPLE);
    bad[0]!.id = 'Cloud_Front';
    delete (bad[1] as unknown as Record<string, unknown>).source;
    (bad[2]!.rules[0] as unknown as Record<string, unknown>).kind = 'nameserver';
    const e = errorOf(() => loadVendorDb({ dataDir: writeData({ 'a.json': bad, 'b.json': '{ nope' }) }));
    expect(e.message).toMatch(/a\.json: vendor Cloud_Front: id: must match pattern/);
    expect(e.message).toContain('a.json: vendor aws: source: required');
    expect(e.message).toContain('a.json: vendor cloudflare-dns: rules[0].kind: must be equal to one of the allowed values');
    expect(e.message).toMatch(/b\.json: invalid JSON/);
  });

  it('reports semantic errors: duplicate ids, company mismatch, category, patterns', () => {
    const bad = clone(SAMPLE);
    bad[1]!.company = { id: 'amazon', name: 'Amazon', country: 'US' };
    bad[4]!.rules[0]!.category = 'cms';
    (bad[5]!.rules[0] as { pattern: string }).pattern = '(a+)+b';
    (bad[5]!.rules[1] as { pattern: string }).pattern = '([a-z';
    const e = errorOf(() => loadVendorDb({ dataDir: writeData({ 'a.json': bad, 'b.json': [SAMPLE[0]] }) }));
    expect(e.message).toMatch(/b\.json: vendor cloudfront: id: duplicate, already defined in .*a\.json/);
    expect(e.message).toMatch(/a\.json: vendor (aws|cloudfront): company\.name: '.*' differs from/);
    expect(e.message).toContain("a.json: vendor google-fonts: rules[0].category: 'cms' is not in the vendor's categories (assets)");
    expect(e.message).toContain('a.json: vendor baidu-tongji: rules[0].pattern: nested quantifier');
    expect(e.message).toContain('a.json: vendor baidu-tongji: rules[1].pattern: does not compile');
  });
});

describe('rule kinds and categories (one table for lint and classifier)', () => {
  it('rejects a page rule that claims a category a page cannot prove (a link rule saying cdn)', () => {
    const bad = clone(SAMPLE);
    bad[4]!.categories = ['assets', 'cdn'];
    bad[4]!.rules[0]!.category = 'cdn';
    const e = errorOf(() => loadVendorDb({ dataDir: writeData({ 'a.json': bad }) }));
    expect(e.message).toContain('a.json: vendor google-fonts: rules[0].category: must be equal to one of the allowed values: cms, analytics, assets, saas');
  });
  it('the same check runs on vendors whose file the schema accepted (an inline overlay entry)', () => {
    const entry = { ...clone(SAMPLE)[4]!, categories: ['assets', 'cdn'] as Category[] };
    entry.rules[0]!.category = 'cdn';
    expect(semanticProblems([{ file: 'x.json', entry }])).toContain("x.json: vendor google-fonts: rules[0].category: a link rule cannot attribute 'cdn' (it can: cms, analytics, assets, saas)");
  });
  it('the schema carries exactly the semantics table', () => {
    const schema = vendorSchema() as { definitions: { rule: { allOf: { if: { properties: { kind: { const: RuleKind } } }; then: { properties: { category: { enum: string[] } } } }[] } } };
    const fromSchema = Object.fromEntries(schema.definitions.rule.allOf.map((a) => [a.if.properties.kind.const, a.then.properties.category.enum]));
    expect(fromSchema).toEqual(Object.fromEntries(Object.entries(RULE_CATEGORIES).map(([k, v]) => [k, [...v]])));
  });
});

describe('companies stored once', () => {
  const companies = [
    { id: 'amazon', name: 'Amazon.com, Inc.', country: 'US', source: 'https://www.aboutamazon.com/' },
    { id: 'alphabet', name: 'Alphabet Inc.', country: 'US', source: 'https://abc.xyz/' },
  ];
  const vendor = (company: unknown) => ({ ...clone(SAMPLE)[1]!, company });
  it('resolves a company id to the stored company', () => {
    const db = loadVendorDb({ dataDir: writeData({ 'companies.json': JSON.stringify({ companies }), 'h.json': [vendor('amazon')] }) });
    expect(db.byId.get('aws')?.company).toEqual(companies[0]);
    expect(db.companies.get('alphabet')?.name).toBe('Alphabet Inc.');
  });
  it('names an unknown company id, a missing source, a dangling parent and a company stored twice', () => {
    const bad = [{ id: 'amazon', name: 'Amazon.com, Inc.', country: 'US' }, { id: 'amzn', name: 'AMAZON.COM INC', country: 'US', source: 'https://x', parent: 'nobody' }];
    const e = errorOf(() => loadVendorDb({ dataDir: writeData({ 'companies.json': JSON.stringify({ companies: bad }), 'h.json': [vendor('amazn')] }) }));
    expect(e.message).toContain("h.json: vendor aws: company: no company 'amazn' (add it to companies.json)");
    expect(e.message).toContain('companies.json: company amazon: source: required');
    expect(e.message).toContain("companies.json: company amzn: parent: no company 'nobody'");
    expect(e.message).toMatch(/companies\.json: company amzn: name: 'AMAZON.COM INC' is already company amazon/);
  });
  it('an overlay may still carry its company inline; it must agree with the stored one', () => {
    const dataDir = writeData({ 'companies.json': JSON.stringify({ companies }), 'h.json': [vendor('amazon')] });
    const overlay = path.join(tempDir(), 'o.json');
    writeFileSync(overlay, JSON.stringify({ vendors: [{ ...vendor({ id: 'amazon', name: 'Amazon', country: 'US' }), id: 'aws2' }] }));
    expect(errorOf(() => loadVendorDb({ dataDir, overlays: [overlay] })).message).toMatch(/o\.json: vendor aws2: company\.name: 'Amazon' differs from 'Amazon\.com, Inc\.'/);
  });
});

describe('patternProblem', () => {
  it.each(['(a+)+', '(\\w*)*x', '(?:ab+){2,}', '(x|y+)*', '.*wp-content', 'generator.+WordPress', 'a'.repeat(201)])('rejects %s', (p) => {
    expect(patternProblem(p)).not.toBeNull();
  });
  it.each(['^WordPress ?([0-9.]+)?$', '/wp-content/', '^https?://fonts\\.googleapis\\.com/', 'a.*$', '[^"]{0,40}x', '(ab){1,3}c', 'x.{0,20}y', '(a+b)'])('accepts %s', (p) => {
    expect(patternProblem(p)).toBeNull();
  });
});

describe('checkExamples', () => {
  it('passes on good examples', () => {
    expect(checkExamples(loadVendorDb({ dataDir: writeData({ 'a.json': SAMPLE }) }))).toEqual([]);
  });
  it('reports a match example that fails and a nomatch example that matches', () => {
    const bad = clone(SAMPLE);
    bad[0]!.rules[0]!.examples.match.push('cloudfront.net.example.com');
    bad[2]!.rules[0]!.examples.nomatch.push('x.ns.cloudflare.com');
    const fails = checkExamples(loadVendorDb({ dataDir: writeData({ 'a.json': bad }) }));
    expect(fails).toEqual([
      'vendor cloudflare-dns: rules[0].examples.nomatch[2]: "x.ns.cloudflare.com" matched the rule',
      'vendor cloudfront: rules[0].examples.match[1]: "cloudfront.net.example.com" did not attribute cloudfront (cdn)',
    ]);
  });
});

describe('the shipped vendor data', () => {
  it('loads and every example passes', () => {
    const db = loadVendorDb();
    expect(checkExamples(db)).toEqual([]);
  });
});
