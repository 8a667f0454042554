// Self-contained checks of the infrastructure vendor data (hosting, cdn, dns, email):
// shape per src/vendors/types.ts, and every rule's examples against a simple matcher.
// The real loader and rule engine live elsewhere; this guards the data on its own.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/types.js';

const DATA = fileURLToPath(new URL('../../src/vendors/data/', import.meta.url));
const FILES = ['hosting.json', 'cdn.json', 'dns.json', 'email.json'].filter((f) => existsSync(DATA + f));

interface AnyRule {
  kind: string;
  category: string;
  examples: { match: string[]; nomatch: string[] };
  suffix?: string;
  field?: string;
  asns?: number[];
  name?: string;
  pattern?: string;
  source?: string;
}
interface AnyVendor {
  id: string;
  name: string;
  company: { id: string; name: string; country: string; parent?: string };
  categories: string[];
  source: string;
  history?: string;
  rules: AnyRule[];
}

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const HOST = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
// spf: an infrastructure vendor may also send mail for others (Mailgun); its examples are checked by `vendors lint`.
const KINDS = new Set(['ns', 'soa', 'mx', 'cname', 'asn', 'header', 'cookie', 'spf']);

function suffixMatch(host: string, suffix: string): boolean {
  const h = host.toLowerCase();
  return h === suffix || h.endsWith('.' + suffix);
}

/** Bounded pattern: no `.*`/`.+`, no quantified group containing a quantifier, capped repeats. */
function bounded(p: string): boolean {
  if (/\.[*+]/.test(p)) return false;
  if (/\([^)]*[*+}][^)]*\)[*+{]/.test(p)) return false;
  for (const m of p.matchAll(/\{(\d+),(\d*)\}/g)) if (m[2] === '' || Number(m[2]) > 200) return false;
  return true;
}

function ruleMatches(r: AnyRule, ex: string): boolean {
  switch (r.kind) {
    case 'ns':
    case 'soa':
    case 'mx':
    case 'cname':
      return suffixMatch(ex, r.suffix ?? '');
    case 'asn': {
      const m = /^AS(\d{1,10})$/.exec(ex);
      return m !== null && (r.asns ?? []).includes(Number(m[1]));
    }
    case 'header': {
      const i = ex.indexOf(':');
      if (i < 0) return false;
      const name = ex.slice(0, i).trim().toLowerCase();
      const value = ex.slice(i + 1).trim();
      if (name !== (r.name ?? '').toLowerCase()) return false;
      return r.pattern === undefined || new RegExp(r.pattern, 'i').test(value);
    }
    case 'cookie': {
      const name = ex.split('=')[0]?.trim() ?? '';
      return new RegExp(r.pattern ?? '(?!)', 'i').test(name);
    }
    case 'spf':
      return ex
        .split(/\s+/)
        .filter((t) => /^(include:|redirect=)/i.test(t))
        .some((t) => suffixMatch(t.replace(/^(include:|redirect=)/i, ''), r.suffix ?? ''));
    default:
      return false;
  }
}

const all: { file: string; v: AnyVendor }[] = [];
for (const f of FILES) {
  const doc = JSON.parse(readFileSync(DATA + f, 'utf8')) as { vendors: AnyVendor[] };
  for (const v of doc.vendors) all.push({ file: f, v });
}

describe('infrastructure vendor data', () => {
  it('has the four files with the required coverage', () => {
    expect(FILES.length).toBeGreaterThan(0);
    const count = (c: string) => all.filter(({ v }) => v.categories.includes(c)).length;
    if (FILES.includes('hosting.json')) expect(count('hosting')).toBeGreaterThanOrEqual(60);
    if (FILES.includes('cdn.json')) expect(count('cdn')).toBeGreaterThanOrEqual(35);
    if (FILES.includes('email.json')) expect(count('email')).toBeGreaterThanOrEqual(30);
    if (FILES.includes('dns.json')) expect(count('dns')).toBeGreaterThanOrEqual(35);
  });

  it('files are written with sorted keys', () => {
    const sort = (x: unknown): unknown =>
      Array.isArray(x)
        ? x.map(sort)
        : x !== null && typeof x === 'object'
          ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])]))
          : x;
    for (const f of FILES) {
      const text = readFileSync(DATA + f, 'utf8');
      expect(JSON.stringify(sort(JSON.parse(text)), null, 2) + '\n', f).toBe(text);
    }
  });

  it('ids are unique and companies are consistent', () => {
    const ids = new Set<string>();
    const companies = new Map<string, string>();
    for (const { file, v } of all) {
      expect(ids.has(v.id), `${file} ${v.id} duplicate`).toBe(false);
      ids.add(v.id);
      const key = `${v.company.name}|${v.company.country}|${v.company.parent ?? ''}`;
      const seen = companies.get(v.company.id);
      if (seen !== undefined) expect(key, `${file} ${v.id} company ${v.company.id}`).toBe(seen);
      companies.set(v.company.id, key);
    }
  });

  for (const { file, v } of all) {
    it(`${file} ${v.id}`, () => {
      const at = `${file} ${v.id}`;
      expect(v.id, at).toMatch(KEBAB);
      expect(v.company.id, at).toMatch(KEBAB);
      expect(v.company.country, at).toMatch(/^[A-Z]{2}$/);
      if (v.company.parent !== undefined) expect(v.company.parent, at).toMatch(KEBAB);
      expect(v.name.length, at).toBeGreaterThan(0);
      expect(v.company.name.length, at).toBeGreaterThan(0);
      expect(v.source, at).toMatch(/^https:\/\/\S+$/);
      expect(v.categories.length, at).toBeGreaterThan(0);
      for (const c of v.categories) expect(CATEGORIES as readonly string[], at).toContain(c);
      expect(v.rules.length, at).toBeGreaterThan(0);
      for (const [i, r] of v.rules.entries()) {
        const rat = `${at} rule ${i} (${r.kind})`;
        expect(KINDS.has(r.kind), rat).toBe(true);
        expect(v.categories, rat).toContain(r.category);
        if (r.source !== undefined) expect(r.source, rat).toMatch(/^https:\/\/\S+$/);
        expect(r.examples.match.length, rat).toBeGreaterThan(0);
        expect(r.examples.nomatch.length, rat).toBeGreaterThan(0);
        if (r.suffix !== undefined) expect(r.suffix, rat).toMatch(HOST);
        if (r.kind === 'soa') expect(['mname', 'rname'], rat).toContain(r.field);
        if (r.kind === 'asn') {
          expect((r.asns ?? []).length, rat).toBeGreaterThan(0);
          for (const n of r.asns ?? []) expect(Number.isInteger(n) && n > 0 && n < 4294967296, rat).toBe(true);
        }
        if (r.kind === 'header') expect(r.name, rat).toMatch(/^[a-z0-9-]+$/);
        if (r.pattern !== undefined) {
          expect(() => new RegExp(r.pattern ?? '', 'i'), rat).not.toThrow();
          expect(bounded(r.pattern), `${rat} unbounded pattern ${r.pattern}`).toBe(true);
        }
        for (const ex of r.examples.match) expect(ruleMatches(r, ex), `${rat} should match ${ex}`).toBe(true);
        for (const ex of r.examples.nomatch) expect(ruleMatches(r, ex), `${rat} should not match ${ex}`).toBe(false);
      }
    });
  }
});
