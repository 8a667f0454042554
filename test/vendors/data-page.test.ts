// Checks the page-side vendor data files (certificate, cms, analytics, assets, saas): shape,
// canonical ids and ownership, bounded patterns, and every rule's match/nomatch examples.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/types.js';
import type { Rule, VendorEntry, VendorFile } from '../../src/vendors/types.js';

const DIR = join(import.meta.dirname, '../../src/vendors/data');
const MINE = ['certificate', 'cms', 'analytics', 'assets', 'saas'] as const;
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

function load(name: string): { text: string; file: VendorFile } {
  const text = readFileSync(join(DIR, `${name}.json`), 'utf8');
  return { text, file: JSON.parse(text) as VendorFile };
}

/** Parses "/C=US/O=Let's Encrypt/CN=R3" into attribute values (an attribute may repeat). */
function parseIssuer(s: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of s.split(/\/(?=[A-Za-z]{1,20}=)/)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = part.slice(0, eq);
    m.set(key, [...(m.get(key) ?? []), part.slice(eq + 1)]);
  }
  return m;
}

function suffixMatch(host: string, suffix: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === suffix || h.endsWith(`.${suffix}`);
}

/** Decides one example the way the classifier is specified to (types.ts, per rule kind). */
function matches(rule: Rule, example: string): boolean {
  switch (rule.kind) {
    case 'ns':
    case 'soa':
    case 'mx':
    case 'cname':
      return suffixMatch(example, rule.suffix);
    case 'spf': {
      const targets = [...example.matchAll(/(?:^|\s)[+~?-]?(?:include:|redirect=)(\S{1,253})/gi)].map((x) => x[1] ?? '');
      return targets.some((t) => suffixMatch(t, rule.suffix));
    }
    case 'txt':
      return example.startsWith(rule.prefix);
    case 'asn':
      return rule.asns.includes(Number(example.replace(/^AS/i, '')));
    case 'issuer': {
      const re = new RegExp(rule.pattern, 'i');
      return (parseIssuer(example).get(rule.field) ?? []).some((x) => re.test(x));
    }
    case 'header': {
      const i = example.indexOf(':');
      const name = example.slice(0, i).trim();
      const value = example.slice(i + 1).trim();
      if (name.toLowerCase() !== rule.name.toLowerCase()) return false;
      return rule.pattern === undefined || new RegExp(rule.pattern, 'i').test(value);
    }
    case 'cookie':
      return new RegExp(rule.pattern, 'i').test(example.slice(0, example.indexOf('=')).trim());
    default:
      return new RegExp(rule.pattern, 'i').test(example);
  }
}

/** The lint's boundedness rules: short, no nested quantifiers, no `.*`/`.+` followed by more pattern. */
function unbounded(pattern: string): string | null {
  if (pattern.length > 200) return 'longer than 200';
  if (/\([^()]*[+*}][^()]*\)[+*{]/.test(pattern)) return 'nested quantifier';
  if (/\.[*+]\??(?!\$?$)/.test(pattern)) return 'unbounded .* followed by more pattern';
  return null;
}

const files = MINE.map((n) => ({ name: n, ...load(n) }));
const all: Array<{ file: string; v: VendorEntry }> = files.flatMap((f) => f.file.vendors.map((v) => ({ file: f.name, v })));
const byId = new Map(all.map((x) => [x.v.id, x.v]));

describe('page vendor data files', () => {
  it.each(files.map((f) => [f.name, f] as const))('%s.json has sorted keys and entries sorted by id', (_n, f) => {
    expect(f.text).toBe(`${JSON.stringify(sortKeys(f.file), null, 2)}\n`);
    const ids = f.file.vendors.map((v) => v.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('every entry has the documented shape', () => {
    const problems: string[] = [];
    for (const { file, v } of all) {
      const at = `${file}:${v.id}`;
      if (!KEBAB.test(v.id)) problems.push(`${at} id`);
      if (!KEBAB.test(v.company.id)) problems.push(`${at} company.id`);
      if (!/^[A-Z]{2}$/.test(v.company.country)) problems.push(`${at} country`);
      if (v.company.parent !== undefined && !KEBAB.test(v.company.parent)) problems.push(`${at} parent`);
      if (!v.name || !v.company.name) problems.push(`${at} name`);
      if (!/^https?:\/\/\S+$/.test(v.source)) problems.push(`${at} source`);
      if (v.categories.length === 0 || v.categories.some((c) => !(CATEGORIES as readonly string[]).includes(c)))
        problems.push(`${at} categories`);
      if (v.rules.length === 0) problems.push(`${at} no rules`);
      v.rules.forEach((r, i) => {
        if (!v.categories.includes(r.category)) problems.push(`${at} rules[${i}].category`);
        if (r.examples.match.length < 1 || r.examples.nomatch.length < 1) problems.push(`${at} rules[${i}].examples`);
        if (r.source !== undefined && !/^https?:\/\/\S+$/.test(r.source)) problems.push(`${at} rules[${i}].source`);
        if (r.confidence !== undefined && !(r.confidence > 0 && r.confidence <= 1)) problems.push(`${at} rules[${i}].confidence`);
        if ('pattern' in r && r.pattern !== undefined) {
          const why = unbounded(r.pattern);
          if (why) problems.push(`${at} rules[${i}].pattern ${why}`);
        }
      });
    }
    expect(problems).toEqual([]);
  });

  it('vendor ids are unique and each company id has one name, country and parent', () => {
    expect(byId.size).toBe(all.length);
    // Include every data file present (the infra files share company ids with these).
    const every = readdirSync(DIR)
      .filter((n) => n.endsWith('.json'))
      .flatMap((n) => (JSON.parse(readFileSync(join(DIR, n), 'utf8')) as VendorFile).vendors);
    const seen = new Map<string, string>();
    const conflicts: string[] = [];
    for (const v of every) {
      const sig = `${v.company.name}|${v.company.country}|${v.company.parent ?? ''}`;
      const prev = seen.get(v.company.id);
      if (prev !== undefined && prev !== sig) conflicts.push(`${v.company.id}: ${prev} vs ${sig}`);
      seen.set(v.company.id, sig);
    }
    expect(conflicts).toEqual([]);
  });

  it('every rule matches its positive examples and rejects its negative ones', () => {
    const failures: string[] = [];
    let checked = 0;
    for (const { file, v } of all) {
      v.rules.forEach((r, i) => {
        for (const m of r.examples.match) {
          checked++;
          if (!matches(r, m)) failures.push(`${file}:${v.id} rules[${i}] should match ${m}`);
        }
        for (const m of r.examples.nomatch) {
          checked++;
          if (matches(r, m)) failures.push(`${file}:${v.id} rules[${i}] should not match ${m}`);
        }
      });
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('a file holds only its own category of rules', () => {
    for (const { file, v } of all) for (const r of v.rules) expect(`${v.id}:${r.category}`).toBe(`${v.id}:${file}`);
  });
});

describe('canonical ids and ownership (IDS.md)', () => {
  const REQUIRED: Record<(typeof MINE)[number], string[]> = {
    certificate: ['digicert', 'geotrust', 'thawte', 'rapidssl', 'symantec-ca', 'lets-encrypt', 'sectigo', 'entrust', 'godaddy-ca', 'globalsign', 'trustasia', 'wotrus', 'cfca'],
    cms: ['wordpress', 'drupal', 'joomla', 'dedecms', 'phpcms', 'discuz', 'empirecms', 'z-blog', 'pbootcms', 'adobe-experience-manager', 'sitecore'],
    analytics: ['google-analytics', 'baidu-tongji', 'cnzz', '51la', 'growingio', 'adobe-analytics', 'yandex-metrica', 'matomo', 'microsoft-clarity', 'meta-pixel'],
    assets: ['google-fonts', 'google-hosted-libraries', 'cdnjs', 'jsdelivr', 'unpkg', 'bootcdn', 'staticfile', 'baidu-static', 'facebook-widgets', 'twitter-widgets'],
    saas: ['microsoft-verification', 'google-site-verification', 'atlassian', 'docusign', 'apple', 'adobe', 'facebook-domain-verification', 'baidu-verification', 'zoom', 'sendgrid', 'mailchimp', 'salesforce', 'amazon-ses'],
  };
  it.each(MINE.map((m) => [m] as const))('%s.json has every canonical id', (m) => {
    const ids = new Set(files.find((f) => f.name === m)?.file.vendors.map((v) => v.id));
    expect(REQUIRED[m].filter((id) => !ids.has(id))).toEqual([]);
  });

  it.each([
    ['geotrust', 'digicert'], ['thawte', 'digicert'], ['rapidssl', 'digicert'], ['symantec-ca', 'digicert'],
    ['lets-encrypt', 'isrg'], ['comodo-ca', 'sectigo'], ['starfield', 'godaddy'], ['cnzz', 'alibaba'], ['discuz', 'tencent'],
    ['trustasia', 'trustasia'], ['wotrus', 'wotrus'], ['cfca', 'cfca'], ['sendgrid', 'twilio'], ['mailchimp', 'intuit'],
  ])('%s is owned by %s', (vendor, company) => {
    expect(byId.get(vendor)?.company.id).toBe(company);
  });

  it('Google Fonts and the other page resources are assets only, never hosting or cdn (Top10VPN correction)', () => {
    for (const id of ['google-fonts', 'google-hosted-libraries', 'facebook-widgets', 'twitter-widgets', 'cdnjs', 'jsdelivr'])
      expect(byId.get(id)?.categories).toEqual(['assets']);
  });

  it('covers many Chinese vendors', () => {
    const cn = all.filter(({ v }) => v.company.country === 'CN').map(({ v }) => v.id);
    expect(cn.length).toBeGreaterThanOrEqual(30);
  });
});
