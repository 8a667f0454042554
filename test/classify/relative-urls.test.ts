// A page's document-relative URLs reach the path rules as the root-relative paths they resolve to.
import { describe, expect, it } from 'vitest';
import { rootRelative } from '../../src/classify/signals.js';

describe('rootRelative', () => {
  it('resolves a document-relative URL against the page, keeping only path and query', () => {
    expect(rootRelative('templets/default/style/dedecms.css', 'https://www.example.com/')).toBe('/templets/default/style/dedecms.css');
    expect(rootRelative('../skin/ecms/a.css?v=1', 'https://www.example.com/news/2019/a.html')).toBe('/news/skin/ecms/a.css?v=1');
  });
  it('keeps absolute, protocol-relative, root-relative, fragment and non-http URLs as written', () => {
    for (const u of ['https://cdn.example.net/a.js', '//cdn.example.net/a.js', '/wp-content/a.css', '#top', 'data:image/png;base64,AA', 'javascript:void(0)', 'mailto:a@b.c', '']) {
      expect(rootRelative(u, 'https://www.example.com/')).toBe(u);
    }
  });
});
