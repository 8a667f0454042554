// Bugs the fuzz tests found, one named case each, so they stay fixed.
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/report/csv.js';
import { classify } from '../../src/classify/index.js';
import { parseDomainList } from '../../src/input/read.js';
import { renderResults } from '../../src/report/output.js';
import { CATEGORIES, emptyObservation, type Attribution, type Result } from '../../src/types.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { hostSuffixes, normalizeHost } from '../../src/vendors/match.js';
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

  it('classify: an SPF include of 24,000 dots then NUL took seconds (/\\.+$/ in normalizeHost, and hostSuffixes over 24k empty labels, were quadratic)', () => {
    const o = emptyObservation('example.com', { line: 1 });
    o.dns.txt = [`v=spf1 include:${'.'.repeat(24_000)}\u0000 -all`];
    o.dns.mx = [{ preference: 0, exchange: `mx${'.'.repeat(24_000)}!` }];
    // The database is loaded outside the timing: it grows with the vendor data; the regression is in classify.
    const db = loadVendorDb();
    const t0 = performance.now();
    classify(o, db);
    expect(performance.now() - t0).toBeLessThan(300);
    expect(normalizeHost('A.Example.COM...')).toBe('a.example.com');
    expect(hostSuffixes(`mx${'.'.repeat(24_000)}!`)).toHaveLength(1);
    expect(hostSuffixes('a.b.cloudfront.net')).toEqual(['a.b.cloudfront.net', 'b.cloudfront.net', 'cloudfront.net']);
  });

  it('input: a txt line of " #" repeats before U+2028 took seconds, and its comment was kept', () => {
    const t0 = performance.now();
    const list = parseDomainList(`a.com #note\u2028more\nb.com${' #'.repeat(20_000)}\u2028x`, 'l.txt', 'txt');
    expect(performance.now() - t0).toBeLessThan(300);
    expect(list.entries.map((e) => e.domain)).toEqual(['a.com', 'b.com']);
  });
});
