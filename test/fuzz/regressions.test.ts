// Bugs the fuzz tests found, one named case each, so they stay fixed.
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/report/csv.js';
import { renderResults } from '../../src/report/output.js';
import { CATEGORIES, type Attribution, type Result } from '../../src/types.js';
import { patternProblem } from '../../src/vendors/pattern.js';

function resultWith(a: Partial<Attribution>): Result {
  const services = Object.fromEntries(CATEGORIES.map((c) => [c, []])) as unknown as Result['services'];
  services.hosting = [{ vendor: null, vendorName: 'AS64500 EXAMPLE', company: null, companyName: null, country: null, confidence: 0.5, evidence: [], ...a }];
  return { domain: 'example.com', input: { line: 1 }, status: 'ok', services, errors: [] };
}

describe('fuzz regressions', () => {
  it('report: a country carrying OSC/BEL reached the table and markdown raw', () => {
    const r = resultWith({ country: '\u001b]0;owned\u0007', company: 'x', companyName: 'X' });
    for (const format of ['table', 'markdown'] as const) {
      const out = renderResults([r], { format, color: false, width: 100 });
      expect(out, format).not.toMatch(/[\u001b\u0007]/);
      expect(out, format).toContain('owned'); // shown, made visible
    }
  });

  it('report: the HTML evidence JSON carried a company id with a bidi control raw', () => {
    const out = renderResults([resultWith({ company: 'evil\u202e\u200f', companyName: 'Evil' })], { format: 'html' });
    expect(out).not.toMatch(/[\u202e\u200f]/);
  });

  it('report: a TSV cell starting with a quote then a formula ("=1+1) was not neutralised', () => {
    expect(csvCell('"=1+1', '\t')).toBe(`'"=1+1`);
    expect(csvCell('"plain', '\t')).toBe('"plain');
  });

  it('vendors lint: repeated alternation ((a|a)*) and quantifier chains (a*a*a*b) were accepted', () => {
    for (const p of ['(a|a)*', '(a|ab)*c', '(?:a|a)+b', '(a?){25}a{25}', 'a*a*a*b', '\\w+\\w+x']) expect(patternProblem(p), p).not.toBeNull();
  });
});
