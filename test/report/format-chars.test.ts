// Invisible and reordering characters (issue 19, item 5): the whole Unicode Cf class (U+061C
// Arabic letter mark, bidi marks, embeddings, overrides and isolates, zero-width characters,
// U+FEFF, tag characters) reaches no output format raw; Markdown from scanned strings mentions
// nobody and links no issue where it is posted.
import { describe, expect, it } from 'vitest';
import { renderResults, type RenderOptions } from '../../src/report/output.js';
import { renderDiff } from '../../src/monitor/diff-format.js';
import { diffScans } from '../../src/monitor/diff.js';
import { mdCell } from '../../src/report/markdown.js';
import { emptyServices, type Attribution, type Result } from '../../src/types.js';

const FORMAT_CHARS = ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u{e0041}'];
const HOSTILE = `cloud${FORMAT_CHARS.join('x')}end @octocat fixes #123`;
const CF = /\p{Cf}/u;

const attr = (name: string): Attribution => ({ vendor: null, vendorName: name, company: `${name.slice(0, 5)}-co`, companyName: name, country: 'ZZ', confidence: 0.5, evidence: [`issuer O=${name}`] });
const result = (domain: string, name: string): Result => ({
  domain,
  input: { line: 1, entity: name },
  status: 'ok',
  services: { ...emptyServices(), certificate: [attr(name)], hosting: [attr(name)] },
  errors: [{ stage: 'http', code: 'HTTP_STATUS', message: name, target: name }],
});

const FORMATS: RenderOptions[] = [
  { format: 'table', width: 200 },
  { format: 'table', width: 200, by: 'provider' },
  { format: 'csv' },
  { format: 'csv', long: true },
  { format: 'tsv' },
  { format: 'markdown' },
  { format: 'markdown', by: 'provider' },
  { format: 'html' },
  { format: 'json' },
  { format: 'ndjson' },
];

describe('format characters in every format', () => {
  it.each(FORMATS.map((f) => [`${f.format}${f.long ? ' --long' : ''}${f.by ? ` --by ${f.by}` : ''}`, f] as const))('%s carries none raw', (_name, opts) => {
    const out = renderResults([result('a.test', HOSTILE)], opts);
    expect(out).toContain('cloud');
    for (const c of FORMAT_CHARS) expect(out.includes(c), `U+${c.codePointAt(0)!.toString(16)}`).toBe(false);
    expect(CF.exec(out)?.[0]).toBeUndefined();
  });

  it('JSON escapes them and gives the same strings back', () => {
    const out = renderResults([result('a.test', HOSTILE)], { format: 'json' });
    expect(out).toContain('\\u061c');
    expect(out).toContain('\\udb40\\udc41'); // U+E0041 as its surrogate pair
    const [back] = JSON.parse(out) as Result[];
    expect(back!.services.certificate[0]!.vendorName).toBe(HOSTILE);
  });

  it('the text formats show them as visible escapes', () => {
    const out = renderResults([result('a.test', HOSTILE)], { format: 'csv' });
    expect(out).toContain('\\u061c');
    expect(out).toContain('\\u{e0041}');
  });

  it('a diff in every format carries none raw', () => {
    const diff = diffScans({ results: [result('a.test', 'before')] }, { results: [result('a.test', HOSTILE)] }, { failOn: 'any' });
    for (const f of ['text', 'markdown', 'json'] as const) {
      const out = renderDiff(diff, f);
      expect(out.length, f).toBeGreaterThan(0);
      expect(CF.exec(out)?.[0], f).toBeUndefined();
    }
  });
});

describe('Markdown: @mentions and #references from scanned strings', () => {
  it('are broken by a zero-width space entity', () => {
    expect(mdCell('@octocat and #123, a@b.example')).toBe('@&#8203;octocat and \\#&#8203;123, a@&#8203;b.example');
  });
  it('in the rendered table and in a diff posted to a job summary', () => {
    const md = renderResults([result('a.test', HOSTILE)], { format: 'markdown' });
    const diff = renderDiff(diffScans({ results: [result('a.test', 'before')] }, { results: [result('a.test', HOSTILE)] }, { failOn: 'any' }), 'markdown');
    for (const out of [md, diff]) {
      expect(out).toContain('@&#8203;octocat');
      expect(out).not.toMatch(/@[A-Za-z0-9]/);
      expect(out).not.toMatch(/(?<!&)#\d/);
    }
  });
});
