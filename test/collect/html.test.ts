import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractSignals, EXCERPT_CHARS, MAX_ITEMS, MAX_STRING, MAX_STYLE_SCAN, MAX_TAGS } from '../../src/collect/html.js';

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('extractSignals', () => {
  it('reads title, meta, scripts, links, frames, images, forms', () => {
    const page = `<!doctype html><html><head><title>  Hik
      Vision </title>
      <meta name="Generator" content="WordPress 6.4">
      <meta property="og:site_name" content="Hik">
      <meta http-equiv="X-UA-Compatible" content="IE=edge">
      <meta charset="utf-8">
      <script src="https://cdn.example.net/a.js"></script>
      <script src="https://cdn.example.net/a.js"></script>
      <link rel="stylesheet" href="/wp-content/themes/x.css"><link rel="dns-prefetch" href="//fonts.googleapis.com">
      </head><body><iframe src="https://www.youtube.com/embed/x"></iframe><img src="//img.alicdn.com/a.png">
      <form action="https://login.example.com/post"></form></body></html>`;
    const { html } = extractSignals(Buffer.from(page));
    expect(html.title).toBe('Hik Vision');
    expect(html.charset).toBe('utf-8');
    expect(html.meta).toEqual([
      { name: 'generator', content: 'WordPress 6.4' },
      { property: 'og:site_name', content: 'Hik' },
      { httpEquiv: 'x-ua-compatible', content: 'IE=edge' },
    ]);
    expect(html.scripts).toEqual(['https://cdn.example.net/a.js']);
    expect(html.links).toEqual([
      { href: '/wp-content/themes/x.css', rel: 'stylesheet' },
      { href: '//fonts.googleapis.com', rel: 'dns-prefetch' },
    ]);
    expect(html.iframes).toEqual(['https://www.youtube.com/embed/x']);
    expect(html.images).toEqual(['//img.alicdn.com/a.png']);
    expect(html.forms).toEqual(['https://login.example.com/post']);
    expect(html.excerpt).toBe(page);
  });

  it('finds tracking IDs and URLs in inline scripts', () => {
    const page = `<script>
      var _hmt = _hmt || []; (function() { var hm = document.createElement("script");
      hm.src = "https://hm.baidu.com/hm.js?0123456789ABCDEF0123456789abcdef"; })();
      gtag('config', 'G-ABC123XYZ9'); ga('create', 'UA-1234567-2', 'auto');
      (function(w,d,s,l,i){})(window,document,'script','dataLayer','GTM-K9X2Q7');
      document.write(unescape("%3Cspan id='cnzz_stat_icon_1279000001'%3E%3C/span%3E%3Cscript src='" + "https://s4.cnzz.com/z_stat.php?id=1279000001&show=pic'"));
      fbq('init', '123456789012345'); ym(87654321, "init", {});
    </script><script src="https://www.googletagmanager.com/gtag/js?id=G-SRC0000001"></script>`;
    const { html } = extractSignals(Buffer.from(page));
    expect(html.ids.sort()).toEqual(
      ['G-ABC123XYZ9', 'G-SRC0000001', 'GTM-K9X2Q7', 'UA-1234567-2', 'cnzz:1279000001', 'fbq:123456789012345', 'hm.js?0123456789abcdef0123456789abcdef', 'ym:87654321'].sort(),
    );
    expect(html.inlineUrls).toContain('https://hm.baidu.com/hm.js?0123456789ABCDEF0123456789abcdef');
    expect(html.inlineUrls).toContain('https://s4.cnzz.com/z_stat.php?id=1279000001&show=pic');
  });

  it('reads the stylesheets inline styles @import, bounded, in document order', () => {
    const page = `<style data-react-helmet="true">@import url('https://fonts.googleapis.com/css?family=Open+Sans:300,400');</style>
      <style>@import "//use.typekit.net/abc1234.css"; @import url(/own/site.css) screen; body { color: red }</style>
      <script>var s = "@import url('https://not.a-style.example/x.css')";</script><p>@import url(https://text.example/y.css)</p>`;
    const { html } = extractSignals(Buffer.from(page));
    expect(html.imports).toEqual(['https://fonts.googleapis.com/css?family=Open+Sans:300,400', '//use.typekit.net/abc1234.css', '/own/site.css']);
    expect(extractSignals(Buffer.from('<style>body { color: red }</style>')).html.imports).toBeUndefined();
    // Past MAX_STYLE_SCAN characters of inline style, later imports are not read.
    const late = extractSignals(Buffer.from(`<style>${' '.repeat(MAX_STYLE_SCAN)}</style><style>@import url(https://late.example/z.css);</style>`)).html;
    expect(late.imports).toBeUndefined();
    const many = extractSignals(Buffer.from(`<style>${Array.from({ length: 300 }, (_, i) => `@import url(/c/${i}.css);`).join('')}</style>`)).html;
    expect(many.imports).toHaveLength(MAX_ITEMS);
  });

  it('decodes a GBK page by its <meta charset>', () => {
    // "中文" and "百度统计" in GBK.
    const body = Buffer.concat([
      ascii('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>'),
      Buffer.from([0xd6, 0xd0, 0xce, 0xc4]),
      ascii('</title><meta name="keywords" content="'),
      Buffer.from([0xb0, 0xd9, 0xb6, 0xc8, 0xcd, 0xb3, 0xbc, 0xc6]),
      ascii('"></head></html>'),
    ]);
    const { html, text } = extractSignals(body);
    expect(html.charset).toBe('gbk');
    expect(html.title).toBe('中文');
    expect(html.meta).toEqual([{ httpEquiv: 'content-type', content: 'text/html; charset=gb2312' }, { name: 'keywords', content: '百度统计' }]);
    expect(text).toContain('中文');
  });

  it('prefers the Content-Type header: Big5 and Shift_JIS', () => {
    const big5 = Buffer.concat([ascii('<title>'), Buffer.from([0xa4, 0xa4, 0xa4, 0xe5]), ascii('</title>')]);
    expect(extractSignals(big5, 'text/html; charset=Big5').html).toMatchObject({ charset: 'big5', title: '中文' });
    const sjis = Buffer.concat([ascii('<meta charset="utf-8"><title>'), Buffer.from([0x93, 0xfa, 0x96, 0x7b]), ascii('</title>')]);
    expect(extractSignals(sjis, 'text/html;charset="shift_jis"').html).toMatchObject({ charset: 'shift_jis', title: '日本' });
  });

  it('falls back to UTF-8 with replacement for invalid bytes and unknown labels', () => {
    const body = Buffer.concat([ascii('<meta charset="x-no-such-thing"><title>a'), Buffer.from([0xff, 0xfe, 0xc3]), ascii('b</title>')]);
    const { html } = extractSignals(body, 'text/html; charset=bogus');
    expect(html.charset).toBe('utf-8');
    expect(html.title).toBe('a\uFFFD\uFFFD\uFFFDb');
  });

  it('survives deep nesting', () => {
    const depth = 15_000;
    const page = `${'<div>'.repeat(depth)}<script src="/deep.js"></script>${'</div>'.repeat(depth)}`;
    const { html } = extractSignals(Buffer.from(page));
    expect(html.scripts).toEqual(['/deep.js']);
  });

  it('stops at MAX_TAGS, so a MiB of nested tags stays cheap', () => {
    const page = `<script src="/early.js"></script>${'<div>'.repeat(MAX_TAGS)}<script src="/late.js"></script>${'<div>'.repeat(200_000)}`;
    const started = Date.now();
    const { html } = extractSignals(Buffer.from(page));
    // Generous: uncapped, this input takes tens of seconds (quadratic open-element stack).
    expect(Date.now() - started).toBeLessThan(5000);
    expect(html.scripts).toEqual(['/early.js']);
  });

  it('bounds giant attributes, long lists and the excerpt', () => {
    const giant = 'x'.repeat(500_000);
    const many = Array.from({ length: 1000 }, (_, i) => `<img src="/i${i}.png">`).join('');
    const page = `<title>${giant}</title><script src="/${giant}"></script>${many}`;
    const { html } = extractSignals(Buffer.from(page));
    expect(html.title!.length).toBe(MAX_STRING);
    expect(html.scripts[0]!.length).toBe(MAX_STRING);
    expect(html.images.length).toBe(MAX_ITEMS);
    expect(html.images[0]).toBe('/i0.png');
    expect(html.excerpt!.length).toBe(EXCERPT_CHARS);
  });

  it('keeps the head and the tail of a long page in the excerpt (footer credits)', () => {
    const page = `<html><head><meta name="generator" content="X"></head><body>${'<p>text</p>'.repeat(5000)}<footer>Powered by WordPress VIP</footer></body></html>`;
    const { html } = extractSignals(Buffer.from(page));
    expect(html.excerpt!.length).toBe(EXCERPT_CHARS);
    expect(html.excerpt!.startsWith('<html><head><meta name="generator"')).toBe(true);
    expect(html.excerpt!.endsWith('<footer>Powered by WordPress VIP</footer></body></html>')).toBe(true);
    expect(extractSignals(Buffer.from('<p>short</p>')).html.excerpt).toBe('<p>short</p>');
  });

  it('parses at most the first MiB', () => {
    const page = `<html>${' '.repeat(1024 * 1024)}<script src="/late.js"></script></html>`;
    const { html, text } = extractSignals(Buffer.from(page));
    expect(html.scripts).toEqual([]);
    expect(text.length).toBe(1024 * 1024);
  });

  it('never throws on arbitrary bytes and keeps its bounds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.option(fc.string({ maxLength: 40 }), { nil: undefined }), (bytes, ct) => {
        const { html } = extractSignals(Buffer.from(bytes), ct);
        for (const list of [html.scripts, html.iframes, html.images, html.inlineUrls, html.ids, html.forms]) expect(list.length).toBeLessThanOrEqual(MAX_ITEMS);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('<', '>', '<script>', '</script>', '<meta charset=', 'gbk', '"', "'", '<a href=', 'UA-1234-1', '<!--', ']]>', 'é'), { maxLength: 60 }), (parts) => {
        extractSignals(Buffer.from(parts.join('')));
      }),
      { numRuns: 300 },
    );
  });
});
