// The streaming extraction reads exactly what the tree walk it replaced read (test/helpers/
// html-tree.ts, the old code on cheerio): every real fragment of the corpus, real-sized pages,
// the parser's odd corners (foreign content, implied and unclosed elements, budgets), and
// random markup soup.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundTags, extractSignals, MAX_TAGS } from '../../src/collect/html.js';
import { fromRoot } from '../../src/paths.js';
import type { HtmlSignals } from '../../src/types.js';
import { treeFill } from '../helpers/html-tree.js';

function both(page: string): { stream: HtmlSignals; tree: HtmlSignals } {
  const { html: stream, text } = extractSignals(Buffer.from(page), 'text/html; charset=utf-8');
  const tree: HtmlSignals = { charset: stream.charset, meta: [], scripts: [], links: [], iframes: [], images: [], inlineUrls: [], ids: [], forms: [] };
  treeFill(tree, text);
  tree.excerpt = stream.excerpt;
  return { stream, tree };
}

const same = (page: string): void => {
  const { stream, tree } = both(page);
  expect(stream).toEqual(tree);
};

describe('streaming HTML extraction = the tree walk', () => {
  it('every real fragment of the corpus, as a page and as a fragment', () => {
    const lines = readFileSync(fromRoot('fixtures/real/html.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(100);
    for (const l of lines) {
      const { html } = JSON.parse(l) as { html: string };
      same(html);
      same(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>\n${html}\n</body></html>`);
    }
  });

  it('a real-sized page (300 KB of nested markup, inline scripts and styles)', () => {
    const part = (i: number): string =>
      `<div class="c${i}"><nav><ul>${'<li><a href="/x/">x</a></li>'.repeat(20)}</ul></nav><article><h2>t ${i}</h2><p>text <a href="/p/${i}">l</a> more</p>` +
      `<img src="/i/${i}.jpg" srcset="/i/${i}-2.jpg 2x"><script>var s${i} = {"u": "https://cdn${i % 7}.example.com/a/${i}.js", "id": "UA-1234${i}-1"};</script>` +
      `<style>.c${i} { color: red }</style><iframe src="https://www.youtube.com/embed/${i}"></iframe><form action="/f/${i}"></form></article></div>`;
    const page = `<!doctype html><html><head><title>Big</title><meta name="generator" content="WordPress 6.4"></head><body>${Array.from({ length: 700 }, (_, i) => part(i)).join('\n')}</body></html>`;
    expect(page.length).toBeGreaterThan(300_000);
    const { stream, tree } = both(page);
    expect(stream.inlineUrls.length).toBe(200);
    expect(stream).toEqual(tree);
  });

  it('foreign content, nesting, implied and unclosed elements, duplicate attributes, entities', () => {
    for (const page of [
      '<svg><title>outer<title>inner</title>after</title></svg><title>html title</title>',
      '<svg><title></title><title>second</title></svg>',
      '<math><title>m</title></math><script>var a="https://x.example.com/a.js"</script>',
      '<title>one</title><title>two</title>',
      '<p><title>in p</title></p></p></br><script src="a.js"><script>x</script>',
      '<script>unclosed https://u.example.com/x.js UA-12345-1',
      '<title>unclosed &amp; title',
      '<iframe src="https://a.example.com/f"><script>inside</script></iframe>',
      '<noscript><img src="/n.gif"></noscript><template><script src="/t.js"></script></template>',
      '<meta name="A" name="B" content="c&amp;d"><link rel="X" href=" /h " rel="y"><link href="/h" rel="x">',
      '<table><script>t https://t.example.com/</script><tr><td><img src="/td.png"></table>',
      '<![CDATA[<script src="/cdata.js"></script>]]><!-- <script src="/c.js"></script> --><?xml x?>',
      '<SCRIPT SRC="/UP.js"></SCRIPT><Title>Mixed</TITLE><IMG SRC=/u.png>',
      `<script>${'x'.repeat(300 * 1024)}</script><script>https://late.example.com/</script>`,
      `${'<script>var u="https://s.example.com/a";</script>'.repeat(300)}`,
    ]) {
      same(page);
    }
  });

  it('cuts at the same start tag as the regex it replaced', () => {
    const byRegex = (text: string): string => {
      const tag = /<[a-zA-Z]/g;
      let n = 0;
      while (tag.exec(text) !== null) if (++n > MAX_TAGS) return text.slice(0, tag.lastIndex - 2);
      return text;
    };
    const parts = ['<a', '<Z', '<@', '<[', '<`', '<{', '<1', '< b', 'x', '<<b', '<\u0141', '<ſ'];
    for (let seed = 1; seed <= 20; seed++) {
      let t = '';
      let x = seed;
      while (t.length < 4 * MAX_TAGS) {
        x = (x * 1103515245 + 12345) % 2 ** 31;
        t += parts[x % parts.length];
      }
      expect(boundTags(t)).toBe(byRegex(t));
    }
    expect(boundTags('<a'.repeat(MAX_TAGS))).toBe('<a'.repeat(MAX_TAGS));
    expect(boundTags('<a'.repeat(MAX_TAGS + 1))).toBe('<a'.repeat(MAX_TAGS));
  });

  it('random markup soup', () => {
    const piece = fc.oneof(
      fc.constantFrom('<title>', '</title>', '<script>', '</script>', '<script src="/s.js">', '<svg>', '</svg>', '<math>', '<p>', '</p>', '<div>', '</div>', '<table>', '<tr>', '<td>'),
      fc.constantFrom('<meta name="generator" content="X">', '<link rel="icon" href="/f.ico">', '<img src="/i.png">', '<iframe src="https://f.example.com/">', '<form action="/a">', '<!--', '-->', '<![CDATA[', ']]>', '&amp;', '<', '>'),
      fc.constantFrom('https://a.example.com/x.js', 'UA-123456-1', 'G-ABCDEF12', ' text ', '\n'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => same(pieces.join(''))),
      { seed: 0x5eed, numRuns: 400 },
    );
  });
});
