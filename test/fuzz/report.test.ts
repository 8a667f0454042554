// Fuzz: hostile strings through every output format. Terminal controls (ESC, OSC, BEL, C0/C1),
// bidi overrides, line/paragraph separators and NULs never reach table, markdown, CSV, TSV,
// HTML or JSON output raw; no CSV/TSV cell starts a spreadsheet formula; nothing throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/input/csv.js';
import { csvCell } from '../../src/report/csv.js';
import { renderResults, type OutputFormat } from '../../src/report/output.js';
import { sanitize, sanitizeLine } from '../../src/report/sanitize.js';
import { CATEGORIES, ERROR_CODES, type Attribution, type Result } from '../../src/types.js';
import { params, timed } from './budget.js';

/** What must never be emitted raw: C0 (but \t \n), DEL, C1, bidi controls, LS/PS. */
const DANGER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
/** The same for one-line contexts: \t and \n too. */
const DANGER_LINE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const FORMULA = /^[=+\-@\t\r]/;

const nasty = fc.constantFrom(
  '\u001b[31m', '\u001b]0;owned\u0007', '\u001b]8;;https://evil.example\u001b\\', '\u0007', '\u0000', '\u009b31m', '\u0085', '\u009d',
  '\u202e', '\u202d', '\u2066', '\u2069', '\u200f', '\u2028', '\u2029', '\r', '\n', '\t', '\u007f', '\ud800', '\ufeff', '\u200b',
  '=cmd|\' /C calc\'!A0', '+1+1', '-2', '@SUM(A1)', '=HYPERLINK("http://x")', '"', ',', ';', '|', '<script>', '&', '`', '*', '#',
);
const hostile = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.oneof(nasty, fc.string({ maxLength: 8 })), { maxLength: 8 }).map((xs) => xs.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(nasty, fc.integer({ min: 1000, max: 10_240 })).map(([n, len]) => n + 'x'.repeat(len) + n) },
);

const attribution: fc.Arbitrary<Attribution> = fc.record({
  vendor: fc.option(hostile, { nil: null }),
  vendorName: fc.option(hostile, { nil: null }),
  company: fc.option(hostile, { nil: null }),
  companyName: fc.option(hostile, { nil: null }),
  country: fc.option(fc.oneof(fc.constantFrom('US', 'CN', 'DE'), hostile), { nil: null }),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  evidence: fc.array(hostile, { maxLength: 3 }),
  selfHosted: fc.option(fc.boolean(), { nil: undefined }),
}).map((a) => {
  if (a.selfHosted === undefined) delete a.selfHosted;
  return a;
});

const result: fc.Arbitrary<Result> = fc
  .record({
    domain: hostile,
    unicode: fc.option(hostile, { nil: undefined }),
    column: hostile,
    status: fc.constantFrom('ok', 'partial', 'failed') as fc.Arbitrary<Result['status']>,
    services: fc.tuple(...CATEGORIES.map(() => fc.array(attribution, { maxLength: 2 }))),
    errors: fc.array(fc.record({ stage: fc.constantFrom('dns', 'http', 'tls') as fc.Arbitrary<'dns'>, code: fc.constantFrom(...ERROR_CODES), message: hostile, target: hostile }), { maxLength: 2 }),
  })
  .map((r) => {
    const out: Result = {
      domain: r.domain,
      input: { line: 1, company: r.column },
      status: r.status,
      services: Object.fromEntries(CATEGORIES.map((c, i) => [c, r.services[i]!])) as Result['services'],
      errors: r.errors,
    };
    if (r.unicode !== undefined) out.unicode = r.unicode;
    return out;
  });

function firstDanger(text: string, re: RegExp): string | null {
  const m = re.exec(text);
  if (!m) return null;
  return `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 10))}`;
}

const FORMATS: OutputFormat[] = ['table', 'markdown', 'html', 'json', 'ndjson', 'csv', 'tsv'];

describe('fuzz: report sanitisation', () => {
  it('sanitize / sanitizeLine leave no control, bidi or separator character', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(firstDanger(sanitize(s), DANGER)).toBeNull();
        expect(firstDanger(sanitizeLine(s), DANGER_LINE)).toBeNull();
      }),
      params(1500),
    );
  });

  it('csvCell: no formula start, no raw controls, for both delimiters', () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom(',', '\t'), (s, d) => {
        const cell = csvCell(s, d);
        // CSV: the cell as a spreadsheet reads it. TSV is unquoted, but importers may strip a leading '"'.
        const inner = d === ',' ? (cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell) : cell.replace(/^"/, '');
        expect(FORMULA.test(inner), JSON.stringify(cell.slice(0, 40))).toBe(false);
        expect(firstDanger(cell, d === '\t' ? DANGER_LINE : DANGER)).toBeNull();
      }),
      params(1500),
    );
  });

  it('every format: no raw terminal controls; CSV/TSV cells never start a formula', () => {
    fc.assert(
      fc.property(fc.array(result, { minLength: 1, maxLength: 3 }), fc.constantFrom(...FORMATS), fc.boolean(), (results, format, long) => {
        const text = timed(`render ${format}`, () => renderResults(results, { format, long, color: false, width: 100, by: long ? 'provider' : 'domain' }));
        // CSV/TSV rows end in CRLF (RFC 4180); any other CR is a finding.
        const body = format === 'csv' || format === 'tsv' ? text.replace(/\r\n/g, '\n') : text;
        expect(firstDanger(body, DANGER), format).toBeNull();
        if (format === 'csv' || format === 'tsv') {
          const rows = format === 'csv' ? parseCsv(text).records.map((r) => r.fields) : text.split('\r\n').map((l) => l.split('\t'));
          for (const cells of rows) for (const c of cells) expect(FORMULA.test(c), `${format} cell ${JSON.stringify(c.slice(0, 40))}`).toBe(false);
        }
        if (format === 'json') expect(() => JSON.parse(text)).not.toThrow();
        if (format === 'html') expect(text).not.toMatch(/<script>(?!\s*[\w(])/); // injected markup is escaped
      }),
      params(150, 0.02),
    );
  });

  it('table with colour: the only ESC sequences are our own SGR codes', () => {
    fc.assert(
      fc.property(fc.array(result, { minLength: 1, maxLength: 2 }), (results) => {
        const text = timed('render table', () => renderResults(results, { format: 'table', color: true, width: 100 }));
        const stripped = text.replace(/\u001b\[[0-9;]*m/g, '');
        expect(firstDanger(stripped, DANGER)).toBeNull();
      }),
      params(100, 0.01),
    );
  });
});
