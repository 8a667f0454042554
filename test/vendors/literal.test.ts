// The cheap tests before a rule's regex (vendors/literal.ts, match.ts) never change an answer:
// the compiled matchers give exactly what running every rule's regex gives.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requiredLiterals } from '../../src/vendors/literal.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import type { IssuerField, TextKind } from '../../src/vendors/match.js';
import { fromRoot } from '../../src/paths.js';

describe('requiredLiterals', () => {
  it('takes the longest plain run of each branch, lowercase', () => {
    expect(requiredLiterals('\\bLA\\.init\\(\\{\\s{0,5}id\\s{0,5}:')).toEqual(['la.init({']);
    expect(requiredLiterals('^GoDaddy\\.com,? Inc\\.?$')).toEqual(['godaddy.com']);
    expect(requiredLiterals('type="text\\/x-magento-init"|\\bdata-mage-init=')).toEqual(['type="text/x-magento-init"', 'data-mage-init=']);
    expect(requiredLiterals('^(https?:)?\\/\\/(js\\.users|sdk)\\.51\\.la\\/')).toEqual(['.51.la/']);
  });

  it('takes a required group\'s alternatives when a branch has no plain run of its own', () => {
    expect(requiredLiterals('^(https?:)?\\/\\/(js\\.afterpay\\.com|static\\.Afterpay\\.com)\\/')).toEqual(['js.afterpay.com', 'static.afterpay.com']);
    expect(requiredLiterals('^(?:ak_bmsc|bm_sv)$')).toEqual(['ak_bmsc', 'bm_sv']);
    expect(requiredLiterals('^(abc|def)?$')).toBeUndefined(); // optional group: nothing is certain
    expect(requiredLiterals('^(?=abc)(?!def)x')).toBeUndefined(); // lookarounds are not text
    expect(requiredLiterals('^(HIT|MISS)$')).toEqual(['hit', 'miss']);
    expect(requiredLiterals('^(YES|NO)$')).toBeUndefined(); // "no" is too short to be worth a test
  });

  it('gives nothing when a branch has no certain text', () => {
    expect(requiredLiterals('abc|[0-9]+')).toBeUndefined();
    expect(requiredLiterals('\\s{0,5}id')).toBeUndefined(); // "0,5" is a quantifier, not text
    expect(requiredLiterals('\\x41bc')).toBeUndefined(); // \x41 is one character, not "x41"
    expect(requiredLiterals('ab?cd')).toBeUndefined(); // "b" is optional: neither "abcd" nor "ab" is certain
    expect(requiredLiterals('(foo|bar)baz\\d')).toEqual(['baz']);
    expect(requiredLiterals('\\1abc')).toEqual(['abc']);
  });
});

describe('compiled matchers = every rule regex run on every value', () => {
  const db = loadVendorDb();
  const m = db.matchers;
  type RegexRule = { kind: string; pattern: string; field?: string; root?: boolean; examples: { match: string[]; nomatch: string[] } };
  const rules = db.vendors.flatMap((v) => v.rules.map((r, index) => ({ v, r: r as unknown as RegexRule, index }))).filter((x) => typeof x.r.pattern === 'string');
  const naive = (kind: string, value: string, pick: (r: RegexRule) => boolean = () => true): string[] =>
    rules.filter((x) => x.r.kind === kind && pick(x.r) && new RegExp(x.r.pattern, 'i').test(value)).map((x) => `${x.v.id}#${x.index}`);
  const ids = (hits: { vendor: { id: string }; index: number }[]): string[] => hits.map((h) => `${h.vendor.id}#${h.index}`);

  // Values: every rule example, the corpus page fragments and their URLs, and variations of them.
  const pool = new Set<string>();
  for (const x of rules) for (const e of [...x.r.examples.match, ...x.r.examples.nomatch]) pool.add(e);
  for (const l of readFileSync(fromRoot('fixtures/real/html.jsonl'), 'utf8').split('\n').filter(Boolean)) {
    const html = (JSON.parse(l) as { html: string }).html;
    pool.add(html);
    for (const u of html.match(/(?:https?:)?\/\/[^\s"'<>]+|\/[a-z0-9_./-]+/gi) ?? []) pool.add(u);
  }
  const values = [...pool];

  const textKinds: TextKind[] = ['generator', 'script', 'link', 'url', 'html', 'analytics-id', 'cookie'];
  const check = (v: string): void => {
    for (const kind of textKinds) expect(ids(m.text(kind, v)), `${kind} ${v.slice(0, 80)}`).toEqual(naive(kind, v));
    for (const field of ['CN', 'O', 'OU'] as IssuerField[]) {
      for (const root of [false, true]) expect(ids(m.issuer(field, v, root))).toEqual(naive('issuer', v, (r) => r.field === field && (r.root === true) === root));
    }
  };

  it('on the rule examples and the corpus', () => {
    expect(values.length).toBeGreaterThan(1000);
    for (const v of values) check(v);
    // Twice: the second answers come from the memo.
    for (const v of values) check(v);
  });

  it('on variations: case changed, characters cut, inserted or replaced', () => {
    const variation = fc.record({ i: fc.nat(), at: fc.nat(), cut: fc.nat({ max: 4 }), ins: fc.string({ maxLength: 4 }), upper: fc.boolean() }).map(({ i, at, cut, ins, upper }) => {
      const v = values[i % values.length]!;
      const p = at % (v.length + 1);
      const out = v.slice(0, p) + ins + v.slice(p + cut);
      return upper ? out.toUpperCase() : out;
    });
    fc.assert(
      fc.property(variation, (v) => check(v)),
      { seed: 0x5eed, numRuns: 1500 },
    );
  });
});
