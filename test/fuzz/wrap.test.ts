// Property (issue 20): at any width from 60 up, the terminal table (by domain, in grid or block
// layout, its pivot and footer), the provider view and the vendor listing keep every line within
// the width and never break a word or a domain across lines ("CD\nN", "cellebrite.co\nm").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderResults } from '../../src/report/output.js';
import { pivotByProvider } from '../../src/report/pivot.js';
import { displayWidth, wrapIndented } from '../../src/report/grid.js';
import { vendorTable } from '../../src/cli/vendors-run.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { CATEGORIES, emptyServices, type Attribution, type Result } from '../../src/types.js';
import { params } from './budget.js';

// Realistic tokens: words of names and domains up to 24 characters (a line of 60 holds them).
const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9&.-]{0,23}$/);
const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/);
const domain = fc.tuple(label, fc.constantFrom('com', 'cn', 'net', 'com.cn', 'co.jp')).map(([l, t]) => `${l}.${t}`);
const name = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));

const attribution: fc.Arbitrary<Attribution> = fc.record({
  vendor: fc.option(label, { nil: null }),
  vendorName: name,
  company: fc.option(label, { nil: null }),
  companyName: name,
  country: fc.constantFrom('US', 'CN', 'DE', null),
  confidence: fc.constant(0.9),
  evidence: fc.constant([]),
});

const results: fc.Arbitrary<Result[]> = fc.array(
  fc.record({
    domain,
    status: fc.constantFrom('ok', 'partial', 'failed'),
    services: fc.dictionary(fc.constantFrom(...CATEGORIES), fc.array(attribution, { maxLength: 3 })),
  }),
  { minLength: 1, maxLength: 6 },
).map((rows) =>
  rows.map((r, i) => ({
    domain: `${i}${r.domain}`,
    input: { line: i + 1 },
    status: r.status,
    services: { ...emptyServices(), ...r.services },
    errors: r.status === 'ok' ? [] : [{ stage: 'dns' as const, code: 'DNS_TIMEOUT' as const, message: 'no answer' }],
  })),
);

/** Every word of `expected` is a whole token of the output (punctuation around it aside). */
function expectWhole(out: string, expected: string[], width: number): void {
  const lines = out.split('\n');
  for (const l of lines) expect(displayWidth(l), `line wider than ${width}: ${JSON.stringify(l)}`).toBeLessThanOrEqual(width);
  const tokens = new Set(out.split(/[\s│─┼]+/).flatMap((t) => [t, t.replace(/^[(]+|[),;:]+$/g, '')]));
  for (const w of expected) expect(tokens.has(w), `"${w}" broken across lines`).toBe(true);
}

function words(rs: Result[]): string[] {
  return rs.flatMap((r) => [r.domain, ...CATEGORIES.flatMap((c) => r.services[c].flatMap((a) => (a.vendorName ?? '').split(' ')))]);
}

describe('terminal text never breaks inside a word', () => {
  it('wrapIndented keeps words whole and lines within the width', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 30 }), fc.integer({ min: 30, max: 200 }), (ws, width) => {
        const lines = wrapIndented(ws.join(' '), width, '  ', '    ');
        for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(width);
        expect(lines.join(' ').split(/\s+/).filter(Boolean)).toEqual(ws);
      }),
      params(300),
    );
  });

  it('the table, its pivot and footer, at any width from 60', () => {
    fc.assert(
      fc.property(results, fc.integer({ min: 60, max: 240 }), (rs, width) => {
        expectWhole(renderResults(rs, { format: 'table', width }), words(rs), width);
      }),
      params(150),
    );
  });

  it('the provider view, at any width from 60', () => {
    fc.assert(
      fc.property(results, fc.integer({ min: 60, max: 240 }), (rs, width) => {
        const expected = pivotByProvider(rs).filter((p) => p.domains.length > 0).flatMap((p) => [...p.domains, ...p.companyName.split(' ')]);
        expectWhole(renderResults(rs, { format: 'table', by: 'provider', width }), expected, width);
      }),
      params(150),
    );
  });

  it('the vendor listing, at any width from 60', () => {
    const db = loadVendorDb();
    fc.assert(
      fc.property(fc.subarray(db.vendors, { minLength: 1, maxLength: 40 }), fc.integer({ min: 60, max: 240 }), (vs, width) => {
        expectWhole(vendorTable(vs, width), vs.flatMap((v) => [v.id, ...v.name.split(' ')]), width);
      }),
      params(60),
    );
  });
});
