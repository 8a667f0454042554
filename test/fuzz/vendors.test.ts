// Fuzz: vendor rules against hostile values. The real vendor db classifies Observations full of
// adversarial headers, URLs, generators, TXT records and issuer names (long runs of one
// character ending in a mismatch: the classic backtracking trigger) within 1 s each, and the
// Result has its shape. The pattern lint (patternProblem) must reject every pattern that
// backtracks super-linearly: any pattern it accepts is timed on growing adversarial inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { CATEGORIES, emptyObservation, type Observation } from '../../src/types.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { patternProblem } from '../../src/vendors/pattern.js';
import { params, timed } from './budget.js';

const db = loadVendorDb();

/** Every header name and some literal text the real rules look for, so fuzzed values reach the patterns. */
const headerNames = [...new Set(db.vendors.flatMap((v) => v.rules.flatMap((r) => (r.kind === 'header' ? [r.name.toLowerCase()] : []))))];
const ruleWords = [...new Set(db.vendors.flatMap((v) => v.rules.flatMap((r) => ('pattern' in r && r.pattern ? r.pattern.match(/[a-z0-9]{3,}/gi) ?? [] : []))))];

/** Long runs of one character then a mismatch, the input shape that makes backtracking explode. */
const runOf = fc
  .tuple(fc.constantFrom('a', '0', ' ', '.', '/', '-', '=', 'x', '\t', '<', '"', 'é'), fc.integer({ min: 1000, max: 50_000 }), fc.constantFrom('!', '', '\u0000', '>'))
  .map(([c, n, end]) => c.repeat(n) + end);
const hostile = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 2, arbitrary: runOf },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...ruleWords), fc.string({ maxLength: 10 }), runOf).map(([w, s, r]) => `${w}${s}${r.slice(0, 20_000)}`) },
  { weight: 1, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  { weight: 1, arbitrary: fc.constantFrom('\u001b]0;pwn\u0007', '\u202egnp.exe', '=HYPERLINK("x")', '\ud800', '') },
);
const host = fc.oneof(fc.domain(), hostile.map((s) => s.slice(0, 300)));

const observation: fc.Arbitrary<Observation> = fc
  .record({
    ns: fc.array(host, { maxLength: 3 }),
    mx: fc.array(host, { maxLength: 2 }),
    txt: fc.array(fc.oneof(hostile, hostile.map((s) => `v=spf1 include:${s} -all`)), { maxLength: 3 }),
    cname: fc.array(host, { maxLength: 3 }),
    asName: hostile,
    asn: fc.option(fc.integer({ min: 1, max: 4_294_967_295 }), { nil: null }),
    issuer: fc.record({ O: hostile, CN: hostile, OU: hostile }, { requiredKeys: [] }),
    headers: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...headerNames, 'set-cookie', 'server', 'x-powered-by'), fc.string({ maxLength: 20 })), hostile), { maxLength: 6 }),
    scripts: fc.array(hostile, { maxLength: 3 }),
    links: fc.array(hostile, { maxLength: 2 }),
    generator: hostile,
    ids: fc.array(hostile, { maxLength: 2 }),
    excerpt: hostile,
    title: hostile,
  })
  .map((f) => {
    const o = emptyObservation('example.com', { line: 1 });
    o.dns.ns = f.ns;
    o.dns.mx = f.mx.map((exchange, i) => ({ preference: i, exchange }));
    o.dns.txt = f.txt;
    o.dns.soa = { mname: f.ns[0] ?? 'ns.example.com', rname: f.mx[0] ?? 'hostmaster.example.com', serial: 1 };
    o.dns.hosts = {
      'example.com': { roles: ['apex'], cname: [], a: ['192.0.2.1'], aaaa: [] },
      'www.example.com': { roles: ['www'], cname: f.cname, a: ['192.0.2.2'], aaaa: [] },
    };
    o.addresses = { '192.0.2.1': { asn: f.asn, asName: f.asName, country: 'US', source: 'db' }, '192.0.2.2': { asn: 13335, asName: f.asName, source: 'db' } };
    o.tls = [
      {
        host: 'www.example.com', address: '192.0.2.2', port: 443, authorized: true,
        chain: [
          { subject: { CN: 'www.example.com' }, issuer: f.issuer, san: [], validFrom: '', validTo: '', serial: '1', fingerprint256: 'a' },
          { subject: f.issuer, issuer: f.issuer, san: [], validFrom: '', validTo: '', serial: '2', fingerprint256: 'b' },
        ],
      },
    ];
    o.http = [
      {
        url: 'https://www.example.com/', finalUrl: 'https://www.example.com/', status: 200, redirects: [], headers: f.headers, address: '192.0.2.2',
        html: {
          title: f.title,
          meta: [{ name: 'generator', content: f.generator }],
          scripts: f.scripts, links: f.links.map((href) => ({ href, rel: 'stylesheet' })),
          iframes: f.scripts, images: [], inlineUrls: f.links, ids: f.ids, forms: [], excerpt: f.excerpt,
        },
      },
    ];
    return o;
  });

describe('fuzz: classify with the real vendor db', () => {
  it('hostile observations: a Result with all nine categories within 1 s', () => {
    fc.assert(
      fc.property(observation, (o) => {
        const r = timed('classify', () => classify(o, db));
        expect(Object.keys(r.services).sort()).toEqual([...CATEGORIES].sort());
        for (const c of CATEGORIES) {
          for (const a of r.services[c]) {
            expect(a.confidence >= 0 && a.confidence <= 1).toBe(true);
            expect(Array.isArray(a.evidence)).toBe(true);
            for (const e of a.evidence) expect(typeof e).toBe('string');
          }
        }
        expect(r.domain).toBe('example.com');
      }),
      params(60, 0.02),
    );
  });

  it('every pattern of the real db is bounded on long runs of each of its characters', () => {
    for (const v of db.vendors) {
      for (const rule of v.rules) {
        if (!('pattern' in rule) || !rule.pattern) continue;
        expect(patternProblem(rule.pattern), `${v.id}: ${rule.pattern}`).toBeNull();
        const re = new RegExp(rule.pattern, 'i');
        const chars = new Set([...rule.pattern.replace(/\\[dws]/gi, '')].filter((c) => /[\w ./:=-]/.test(c)));
        for (const c of chars) timed(`/${rule.pattern}/ on ${JSON.stringify(c)}×50000`, () => re.test(`${c.repeat(50_000)}\u0000`));
      }
    }
  });
});

// ------------------------------------------------------------ the pattern lint

/** Known catastrophic shapes: exponential (nested or alternating repetition) and polynomial. */
const CATASTROPHIC = ['(a+)+', '(a|a)*', '(.*)*', '(a|ab)*c', '(?:a|a)+b', '(a*)*b', '([a-z]+)*$', '(\\w+\\s?)+$', '(a?){25}a{25}', '(a|b|ab)*c', '(x+x+)+y', '(\\d|\\d\\d)+z'];

/** Small regexes from a grammar of atoms, groups, alternation and quantifiers. */
const regex: fc.Arbitrary<string> = fc.letrec<{ atom: string; piece: string; seq: string; alt: string }>((tie) => ({
  atom: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'ab', '\\w', '\\d', '\\s', '.', '[a-z]', '[^/]', '\\.', '/', 'x'),
    tie('seq').map((s) => `(${s})`),
    tie('alt').map((s) => `(?:${s})`),
  ),
  piece: fc.tuple(tie('atom'), fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,5}', '{2,}', '*?', '{0,30}')).map(([a, q]) => a + q),
  seq: fc.array(tie('piece'), { minLength: 1, maxLength: 4 }).map((ps) => ps.join('')),
  alt: fc.array(tie('seq'), { minLength: 1, maxLength: 3 }).map((ss) => ss.join('|')),
})).alt.map((s) => s);

/**
 * Times `re` on runs of each string of `chars`, growing ×1.25 up to 1,000 characters, so an
 * exponential pattern is caught at ~20 characters, before it can hang the test. The lint allows
 * one unbounded quantifier (quadratic in an unanchored search, a few ms at 1,000 characters);
 * cubic and worse take hundreds of ms there and fail (250 ms: the machine is shared).
 */
function slowestGrowth(re: RegExp, chars: string[]): { ms: number; input: string } | null {
  // V8 interprets a regex on its first run and compiles it after: time the compiled one.
  re.test('warm');
  re.test('up');
  for (const c of chars) {
    for (let n = 8; n * c.length <= 1000; n = Math.ceil(n * 1.25)) {
      const input = `${c.repeat(n)}\u0000`;
      const t0 = performance.now();
      re.test(input);
      const ms = performance.now() - t0;
      if (ms > 250) return { ms, input: `${JSON.stringify(c)}×${n}` };
    }
  }
  return null;
}

describe('fuzz: patternProblem', () => {
  it('rejects the known catastrophic shapes', () => {
    for (const p of CATASTROPHIC) expect(patternProblem(p), p).not.toBeNull();
  });

  it('any pattern it accepts runs in bounded time on adversarial runs', () => {
    fc.assert(
      fc.property(regex, fc.constantFrom('', '$', '!'), (p, tail) => {
        const source = p + tail;
        if (patternProblem(source) !== null) return;
        const re = new RegExp(source, 'i');
        const slow = slowestGrowth(re, ['a', 'b', 'x', '0', ' ', '.', '/', 'ab']);
        expect(slow, `accepted /${source}/ took ${slow?.ms.toFixed(0)} ms on ${slow?.input}`).toBeNull();
      }),
      params(300, 0.05),
    );
  });
});
