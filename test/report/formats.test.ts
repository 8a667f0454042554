import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderResults, type RenderOptions } from '../../src/report/output.js';
import { csvCell } from '../../src/report/csv.js';
import { pivotByProvider } from '../../src/report/pivot.js';
import { sampleResults } from './sample.js';

const GOLDEN = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));

/** Compare with a golden file; UPDATE_GOLDEN=1 rewrites them (review the diff before committing). */
function golden(name: string, actual: string): void {
  const file = GOLDEN(name);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const cases: [string, RenderOptions][] = [
  ['results.json', { format: 'json' }],
  ['results.ndjson', { format: 'ndjson' }],
  ['results.csv', { format: 'csv' }],
  ['results-long.csv', { format: 'csv', long: true }],
  ['results.tsv', { format: 'tsv' }],
  ['results.md', { format: 'markdown' }],
  ['table-wide.txt', { format: 'table', width: 250 }],
  ['table-narrow.txt', { format: 'table', width: 80 }],
  ['table-color.txt', { format: 'table', width: 80, color: true }],
  ['providers.txt', { format: 'table', by: 'provider', width: 100 }],
];

// Anything that could drive a terminal: ESC, BEL, C1 controls, bidi overrides.
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('formats', () => {
  for (const [name, opts] of cases) {
    it(`${name} matches its golden file and carries no control characters`, () => {
      const out = renderResults(sampleResults(), opts);
      golden(name, out);
      const text = (opts.color ? out.replace(/\x1b\[[0-9;]*m/g, '') : out).replace(/\r\n/g, '\n');
      expect(text).not.toMatch(TERMINAL_UNSAFE);
      expect(text).not.toContain('\x1b');
    });
  }

  it('is deterministic: the same results render byte-identically', () => {
    for (const [, opts] of cases) expect(renderResults(sampleResults(), opts)).toBe(renderResults(sampleResults(), opts));
  });

  it('json keeps every category key, even empty', () => {
    const parsed = JSON.parse(renderResults(sampleResults(), { format: 'json' })) as { services: Record<string, unknown[]> }[];
    for (const r of parsed) expect(Object.keys(r.services).sort()).toEqual(['analytics', 'assets', 'cdn', 'certificate', 'cms', 'dns', 'email', 'hosting', 'saas']);
  });

  it('json with meta wraps results', () => {
    const parsed = JSON.parse(renderResults(sampleResults(), { format: 'json', meta: { tool: 'whoserves' } })) as { meta: unknown; results: unknown[] };
    expect(parsed.meta).toEqual({ tool: 'whoserves' });
    expect(parsed.results).toHaveLength(4);
  });

  it('csv rows never split on embedded newlines and formulas are neutralised', () => {
    const out = renderResults(sampleResults(), { format: 'csv' });
    // header + 4 rows, each ending in CRLF; quoted newlines stay inside their cell
    const rows = out.split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(5);
    expect(out).not.toMatch(/(^|,)[=+\-@]/m);
    expect(out).toContain("'-2+3");
  });

  it('the table fits its width', () => {
    for (const width of [80, 120, 250]) {
      const out = renderResults(sampleResults(), { format: 'table', width });
      for (const line of out.split('\n')) expect([...line].length).toBeLessThanOrEqual(width);
    }
  });
});

describe('csvCell', () => {
  it.each([
    ['=1+1', ',', "'=1+1"],
    ['+cmd', ',', "'+cmd"],
    ['-2', ',', "'-2"],
    ['@SUM(A1)', ',', "'@SUM(A1)"],
    ['\tx', ',', "'\tx"],
    ['a,b', ',', '"a,b"'],
    ['say "hi"', ',', '"say ""hi"""'],
    ['two\nlines', ',', '"two\nlines"'],
    ['two\nlines', '\t', 'two lines'],
    ['plain', ',', 'plain'],
  ])('%j → %j', (input, d, out) => {
    expect(csvCell(input, d)).toBe(out);
  });
});

describe('pivot', () => {
  it('counts companies per provider, keeps assets apart, sorts by count', () => {
    const rows = pivotByProvider(sampleResults());
    // DigiCert serves hikvision.com (GeoTrust) and sensetime.com (the root under its TrustAsia certificate).
    expect(rows.map((r) => [r.company, r.domains.length])).toEqual([
      ['digicert', 2],
      ['tencent', 2],
      ['amazon', 1],
      ['microsoft', 1],
      ['trustasia', 1],
      ['google', 0],
    ]);
    expect(rows.find((r) => r.company === 'digicert')?.byCategory).toEqual({ certificate: ['hikvision.com', 'sensetime.com'] });
    expect(rows.find((r) => r.company === 'amazon')?.byCategory).toEqual({ hosting: ['hikvision.com'], cdn: ['hikvision.com'] });
    expect(rows.find((r) => r.company === 'google')?.assetsOnly).toEqual(['hikvision.com']);
  });
});

describe('html', () => {
  it('is self-contained and escapes hostile strings', () => {
    const results = sampleResults();
    results[2]!.services.cms.push({ vendor: null, vendorName: '<script>alert(1)</script><img src=x onerror=alert(2)>', company: 'x" onmouseover="alert(3)', companyName: null, country: 'ZZ', confidence: 0.5, evidence: ['title </details><script>alert(4)</script>'] });
    const html = renderResults(results, { format: 'html', meta: { version: '0.1.0', vendorDb: 'abc123' } });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('" onmouseover="');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Only the one inline script of the page itself; no external resources.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('</details><script>');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).toContain('<th scope="col"');
    expect(html).toContain('vendor database'.replace('v', 'V'));
  });

  it('names a root owner that is another company, as filters can match it', () => {
    const results = sampleResults();
    const cert = results[1]!.services.certificate[0]!;
    const html = renderResults(results, { format: 'html' });
    expect(html).toContain('data-ro="digicert">TrustAsia <i>CN</i><small class="us">→ DigiCert <i>US</i> root</small></b>');
    cert.root = { company: 'x" onclick="alert(1)', companyName: '<b>evil</b>', country: '<i>' };
    const hostile = renderResults(results, { format: 'html' });
    expect(hostile).not.toContain('" onclick="');
    expect(hostile).not.toContain('<b>evil');
    expect(hostile).toMatch(/→ &lt;b&gt;evil[^<]* <i>&lt;i&gt;<\/i> root/);
  });

  it('stays under 500 KB for 1,000 domains', () => {
    const base = sampleResults();
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...base[i % 2]!, domain: `company-${i}.example.com` }));
    const html = renderResults(many, { format: 'html' });
    expect(Buffer.byteLength(html)).toBeLessThan(500 * 1024);
  });
});
