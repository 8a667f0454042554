// Host rules with a pattern (a numbered family of registrable domains) and MX rules that prove a
// sender: accepted by the schema, matched on the registrable domain only, after suffix rules.
import { describe, expect, it } from 'vitest';
import { loadVendorDb, VendorDbError } from '../../src/vendors/load.js';
import type { VendorEntry } from '../../src/vendors/types.js';
import { writeData } from './helpers.js';

const ex = (match: string[], nomatch: string[]) => ({ match, nomatch });
const co = { id: 'vercel', name: 'Vercel Inc.', country: 'US' };

const numbered: VendorEntry = {
  id: 'vercel',
  name: 'Vercel',
  company: co,
  categories: ['hosting', 'dns'],
  source: 'https://vercel.com/docs',
  rules: [
    { kind: 'cname', pattern: 'vercel-dns-\\d{3}\\.com', category: 'hosting', examples: ex(['d1d4fc829fe7bc7c.vercel-dns-017.com', 'vercel-dns-016.com'], ['vercel-dns-017.com.example.net', 'myvercel-dns-017.com', 'vercel-dns-0170.com']) },
    { kind: 'ns', pattern: '^ns-dns-\\d{2}\\.net$', category: 'dns', examples: ex(['a.ns-dns-01.net'], ['a.ns-dns-001.net']) },
  ],
};
const suffixed: VendorEntry = {
  id: 'other-host',
  name: 'Other',
  company: { id: 'other', name: 'Other Inc.', country: 'US' },
  categories: ['hosting'],
  source: 'https://example.org/',
  rules: [{ kind: 'cname', suffix: 'special.vercel-dns-017.com', category: 'hosting', examples: ex(['a.special.vercel-dns-017.com'], ['a.vercel-dns-017.com']) }],
};
const sender: VendorEntry = {
  id: 'ses',
  name: 'Amazon SES',
  company: { id: 'amazon', name: 'Amazon.com, Inc.', country: 'US' },
  categories: ['saas'],
  source: 'https://docs.aws.amazon.com/ses/latest/dg/mail-from.html',
  rules: [{ kind: 'mx', suffix: 'amazonses.com', category: 'saas', examples: ex(['feedback-smtp.eu-west-1.amazonses.com'], ['inbound-smtp.example.com']) }],
};

function load(vendors: unknown[]) {
  return loadVendorDb({ dataDir: writeData({ 'v.json': vendors }) });
}

describe('host rules with a pattern', () => {
  const db = load([numbered, suffixed, sender]);
  it('match a numbered family on the whole registrable domain, any host below it', () => {
    expect(db.matchers.host('cname', 'x.vercel-dns-017.com').map((h) => h.vendor.id)).toEqual(['vercel']);
    expect(db.matchers.host('cname', 'vercel-dns-123.com').map((h) => h.vendor.id)).toEqual(['vercel']);
    expect(db.matchers.host('cname', 'x.vercel-dns-17.com')).toEqual([]);
    expect(db.matchers.host('cname', 'vercel-dns-017.com.evil.net')).toEqual([]);
    expect(db.matchers.host('ns', 'a.ns-dns-07.net').map((h) => h.category)).toEqual(['dns']);
    // a pattern of one kind says nothing about another
    expect(db.matchers.host('mx', 'x.vercel-dns-017.com')).toEqual([]);
  });
  it('yield to a suffix rule that matches the host', () => {
    expect(db.matchers.host('cname', 'a.special.vercel-dns-017.com').map((h) => h.vendor.id)).toEqual(['other-host']);
  });
  it('an MX rule may prove a sender (saas)', () => {
    expect(db.matchers.host('mx', 'feedback-smtp.us-east-1.amazonses.com').map((h) => `${h.vendor.id}:${h.category}`)).toEqual(['ses:saas']);
  });
  it('the schema wants a suffix or a pattern, not both, and lint refuses an unbounded pattern', () => {
    const message = (v: unknown): string => {
      try {
        load([v]);
        return '';
      } catch (e) {
        if (e instanceof VendorDbError) return e.message;
        throw e;
      }
    };
    const both = { ...numbered, rules: [{ ...numbered.rules[0], suffix: 'vercel-dns.com' }] };
    const neither = { ...numbered, rules: [{ kind: 'cname', category: 'hosting', examples: ex(['a.b'], ['c.d']) }] };
    const unbounded = { ...numbered, rules: [{ ...numbered.rules[0], pattern: '(a+)+\\.com' }] };
    expect(message(both)).toContain('vendor vercel: rules[0]');
    expect(message(neither)).toContain('vendor vercel: rules[0]');
    expect(message(unbounded)).toContain('vendor vercel: rules[0].pattern');
  });
});
