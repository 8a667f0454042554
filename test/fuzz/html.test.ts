// Fuzz: hostile pages into extractSignals. Whatever the bytes (deep nesting, giant attributes,
// invalid UTF-8, GBK, markup soup), the call returns within 1 s and every list and string in
// its output stays within the documented bounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXCERPT_CHARS, extractSignals, MAX_ITEMS, MAX_STRING } from '../../src/collect/html.js';
import type { HtmlSignals } from '../../src/types.js';
import { params, timed } from './budget.js';

function expectBounded(h: HtmlSignals): void {
  for (const list of [h.scripts, h.iframes, h.images, h.inlineUrls, h.ids, h.forms]) {
    expect(list.length).toBeLessThanOrEqual(MAX_ITEMS);
    for (const s of list) {
      expect(typeof s).toBe('string');
      expect(s.length).toBeLessThanOrEqual(MAX_STRING);
    }
  }
  expect(h.meta.length).toBeLessThanOrEqual(MAX_ITEMS);
  for (const m of h.meta) for (const v of [m.name, m.property, m.httpEquiv, m.content]) expect((v ?? '').length).toBeLessThanOrEqual(MAX_STRING);
  expect(h.links.length).toBeLessThanOrEqual(MAX_ITEMS);
  for (const l of h.links) expect(Math.max(l.href.length, l.rel.length)).toBeLessThanOrEqual(MAX_STRING);
  expect((h.title ?? '').length).toBeLessThanOrEqual(MAX_STRING);
  expect((h.excerpt ?? '').length).toBeLessThanOrEqual(EXCERPT_CHARS);
  expect(typeof h.charset).toBe('string');
}

function run(body: Buffer, contentType?: string): HtmlSignals {
  const { html } = timed('extractSignals', () => extractSignals(body, contentType));
  expectBounded(html);
  return html;
}

const MB = 1024 * 1024;

describe('fuzz: extractSignals, adversarial pages', () => {
  it('10,000 levels of nesting, and 1 MiB of open tags', () => {
    const deep = `<html><body>${'<div>'.repeat(10_000)}<script src="https://cdn.example/x.js"></script>${'</div>'.repeat(10_000)}</body></html>`;
    expect(run(Buffer.from(deep)).scripts).toEqual(['https://cdn.example/x.js']);
    run(Buffer.from('<div>'.repeat(MB / 5)));
    run(Buffer.from('<a><b>'.repeat(MB / 6)));
  });

  it('a 1 MB attribute, a 1 MB title, an unclosed comment and 1 MB of "<"', () => {
    const h = run(Buffer.from(`<script src="https://x.example/${'a'.repeat(MB)}"></script>`));
    expect(h.scripts.length).toBeLessThanOrEqual(1); // cut at 1 MiB: the tag may be lost, never kept whole
    expect(run(Buffer.from(`<title>${'t '.repeat(MB / 2)}</title>`)).title!.length).toBe(MAX_STRING);
    run(Buffer.from(`<!--${'x'.repeat(MB)}`));
    run(Buffer.from('<'.repeat(MB)));
    run(Buffer.from(`<meta name="${'n'.repeat(MB / 2)}" content="${'c'.repeat(MB / 2)}">`));
  });

  it('thousands of scripts, links, metas and ids stay bounded', () => {
    const many = Array.from({ length: 3000 }, (_, i) => `<script src="/s${i}.js"></script><link rel="x" href="/l${i}"><meta name="m${i}" content="c"><img src="/i${i}.png"><script>gtag('config','G-ABCDEF${String(i).padStart(4, '0')}');fetch("https://h${i}.example/p")</script>`).join('');
    const h = run(Buffer.from(many));
    expect(h.scripts.length).toBe(MAX_ITEMS);
    expect(h.ids.length).toBe(MAX_ITEMS);
  });

  it('invalid UTF-8, GBK with and without a label, UTF-16 BOM', () => {
    const gbk = Buffer.from([0x3c, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x3e, 0xd6, 0xd0, 0xce, 0xc4, 0x3c, 0x2f, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x3e]); // <title>中文</title>
    expect(run(gbk, 'text/html; charset=gbk').title).toBe('中文');
    expect(run(gbk).title).toContain('\ufffd'); // unlabelled: UTF-8 with replacement, not a throw
    run(Buffer.from([0xff, 0xfe, 0x3c, 0x00, 0xd8, 0x00])); // UTF-16LE BOM and a lone surrogate
    run(Buffer.from([0xc0, 0x80, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80, 0x3c, 0x62, 0x3e]));
    run(Buffer.from('<meta charset="utf-16"><title>x</title>'));
    run(Buffer.from('<meta charset="x-no-such-charset"><title>x</title>'), 'text/html; charset="\u0000;;;');
  });
});

/** Markup soup: pieces of real HTML, hostile characters and bytes, shuffled. */
const piece = fc.oneof(
  fc.constantFrom('<script src="', '<script>', '</script>', '<meta name="generator" content="', '<link rel="stylesheet" href="', '<iframe src="', '<img src=', '<form action=', '<title>', '</title>', '<!--', '-->', '<![CDATA[', ']]>', '">', "'", '"', '<', '>', '/', '=', '&amp;', '&#x0;', '&#1114112;', '<svg><style>', '<template>', '<noscript>', 'UA-12345-1', 'G-ABC123', 'hm.js?0123456789abcdef0123456789abcdef', 'https://cdn.example.com/a.js', '//x.y', '<meta charset="gbk">', '<div>', '</div>'),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('\u0000', '\u001b[31m', '\u202e', '\ud800', '\ufeff'),
);
const soup = fc.array(piece, { maxLength: 60 }).map((ps) => Buffer.from(ps.join('')));
const bytes = fc.uint8Array({ maxLength: 4096 }).map((u) => Buffer.from(u));
const contentType = fc.option(fc.oneof(fc.constantFrom('text/html', 'text/html; charset=gbk', 'text/html; charset=shift_jis', 'text/html; charset=utf-16le', 'text/html; charset=big5', 'text/html;charset='), fc.string({ maxLength: 40 })), { nil: undefined });

describe('fuzz: extractSignals, random input', () => {
  it('markup soup and random bytes: bounded output within 1 s, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(soup, bytes), contentType, (body, ct) => {
        run(body, ct);
      }),
      params(300),
    );
  });

  it('a random nesting depth and repeat of one tag, then a script: bounded', () => {
    fc.assert(
      fc.property(fc.constantFrom('div', 'table', 'a', 'p', 'li', 'b', 'svg', 'select', 'font', 'x-y'), fc.integer({ min: 1, max: 12_000 }), (tag, depth) => {
        run(Buffer.from(`${`<${tag}>`.repeat(depth)}<script src="/x.js"></script>`));
      }),
      params(10, 0.002),
    );
  });
});
