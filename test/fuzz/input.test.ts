// Fuzz: domain-list lines. Arbitrary unicode never throws; every content line of a .txt list is
// exactly one entry or one problem naming file:line; CSV lists keep file:line on every problem;
// a normalised domain is a valid DNS name that normalises again to a valid name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDomain } from '../../src/input/normalize.js';
import { parseDomainList } from '../../src/input/read.js';
import { params, timed } from './budget.js';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const hostile = fc.constantFrom('\u0000', '\u001b]8;;x\u0007', '\u202e', '\u200b', '\ufeff', '\ud800', '\u0085', '\u2028', '＠', '．', '。', 'ß', 'İ', 'xn--', 'www.', '://', '[', ']', '%', ':8080', '/', '#', '"', ',', '\r', '\n', '\t', ' ');
const piece = fc.oneof(fc.domain(), fc.webUrl(), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }), hostile, fc.constantFrom('bücher.de', 'münchen.example', '中国.cn', 'xn--d1acufc.xn--p1ai', 'www.co.uk', 'a'.repeat(64) + '.com', `${'a.'.repeat(130)}com`));
const lineArb = fc.array(piece, { minLength: 0, maxLength: 4 }).map((ps) => ps.join(''));

function expectDomain(d: string): void {
  expect(d.length).toBeLessThanOrEqual(253);
  const labels = d.split('.');
  expect(labels.length).toBeGreaterThanOrEqual(2);
  for (const l of labels) expect(l).toMatch(LABEL);
}

describe('fuzz: domain lists', () => {
  it('normalizeDomain: a valid name (which normalises again) or a reason', () => {
    fc.assert(
      fc.property(lineArb, (raw) => {
        const n = timed('normalizeDomain', () => normalizeDomain(raw));
        if (!n.ok) {
          expect(n.reason.length).toBeGreaterThan(0);
          return;
        }
        expectDomain(n.domain);
        const again = normalizeDomain(n.domain);
        expect(again.ok).toBe(true);
        if (again.ok) expectDomain(again.domain);
      }),
      params(3000),
    );
  });

  it('txt: each content line is exactly one entry or one problem with file:line', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r'), (lines, eol) => {
        const text = lines.join(eol);
        const list = timed('parseDomainList', () => parseDomainList(text, 'list.txt', 'txt'));
        const physical = text.split(/\r\n|\n|\r/);
        const content = new Set<number>();
        physical.forEach((l, i) => {
          if (l.replace(/(^|\s)#.*$/s, '').trim() !== '') content.add(i + 1);
        });
        const accounted = [...list.entries.map((e) => e.input.line), ...list.problems.map((p) => p.line)];
        expect(accounted.slice().sort((a, b) => a - b)).toEqual([...content].sort((a, b) => a - b));
        for (const p of list.problems) {
          expect(p.file).toBe('list.txt');
          expect(p.reason.length).toBeGreaterThan(0);
        }
        for (const e of list.entries) expectDomain(e.domain);
        expect(new Set(list.entries.map((e) => e.domain)).size).toBe(list.entries.length);
      }),
      params(1000),
    );
  });

  it('csv: never throws; problems name the file and a line in range', () => {
    const cell = fc.oneof(lineArb, fc.constantFrom('"', '""', '"a,b"', 'domain', 'Domain', '=HYPERLINK("x")', ''));
    const row = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cs) => cs.join(','));
    fc.assert(
      fc.property(fc.boolean(), fc.array(row, { maxLength: 20 }), (withHeader, rows) => {
        const text = (withHeader ? ['domain,company', ...rows] : rows).join('\n');
        const list = timed('parseDomainList', () => parseDomainList(text, 'list.csv', 'csv'));
        const maxLine = text.split(/\r\n|\n|\r/).length + 1;
        for (const p of list.problems) {
          expect(p.file).toBe('list.csv');
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(p.line).toBeLessThanOrEqual(maxLine);
          expect(p.reason.length).toBeGreaterThan(0);
        }
        for (const e of list.entries) {
          expectDomain(e.domain);
          expect(e.input.line).toBeGreaterThanOrEqual(1);
          expect(e.input.line).toBeLessThanOrEqual(maxLine);
        }
      }),
      params(1000),
    );
  });

  it('a 100k-character line of " #" before U+2028 parses in linear time', () => {
    const list = timed('parseDomainList', () => parseDomainList(`a.com${' #'.repeat(50_000)}\u2028x\nb.com`, 'l.txt', 'txt'));
    expect(list.entries.map((e) => e.domain)).toEqual(['a.com', 'b.com']);
  });

  it('auto-detection on any text and file name never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.constantFrom('a.txt', 'a.csv', 'a', '<stdin>'), (text, file) => {
        const list = timed('parseDomainList', () => parseDomainList(text, file));
        expect(Array.isArray(list.entries) && Array.isArray(list.problems)).toBe(true);
      }),
      params(1000),
    );
  });
});
