// The HTML extraction as it was before the streaming parser (src/collect/html.ts): cheerio builds
// the whole tree, a walk reads it. Kept as the reference the streaming one must equal exactly.
import { load } from 'cheerio/slim';
import type { HtmlSignals, MetaTag } from '../../src/types.js';
import { boundTags, clip, findIds, MAX_ITEMS, MAX_SCRIPT_SCAN, MAX_STRING, URL_IN_SCRIPT, Bounded } from '../../src/collect/html.js';

/** The parts of cheerio's (domhandler's) nodes read here; domhandler is not our direct dependency. */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string | undefined>;
  children?: DomNode[];
}

/** Text of an element's direct text children (script bodies, titles). */
function ownText(el: DomNode, max: number): string {
  let out = '';
  for (const c of el.children ?? []) {
    if (c.type === 'text') out += c.data ?? '';
    if (out.length >= max) return out.slice(0, max);
  }
  return out;
}

export function treeFill(html: HtmlSignals, text: string): void {
  const root = load(boundTags(text)).root()[0] as unknown as DomNode | undefined;
  if (!root) return;
  const scripts = new Bounded();
  const inlineUrls = new Bounded();
  const ids = new Bounded();
  const iframes = new Bounded();
  const images = new Bounded();
  const forms = new Bounded();
  const links: { href: string; rel: string }[] = [];
  const linkSeen = new Set<string>();
  let scanned = 0;

  // Iterative walk in document order: nesting depth must not reach the call stack.
  const todo: DomNode[] = [...(root.children ?? [])].reverse();
  while (todo.length > 0) {
    const el = todo.pop()!;
    const a = el.attribs;
    if (!a || el.name === undefined) continue;
    const kids = el.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) todo.push(kids[i]!);
    switch (el.name.toLowerCase()) {
      case 'title': {
        const t = ownText(el, MAX_STRING * 4).trim().replace(/\s+/g, ' ');
        if (t && html.title === undefined) html.title = clip(t);
        break;
      }
      case 'meta': {
        if (html.meta.length >= MAX_ITEMS) break;
        if (a.name === undefined && a.property === undefined && a['http-equiv'] === undefined) break;
        const tag: MetaTag = { content: '' };
        if (a.name !== undefined) tag.name = clip(a.name.toLowerCase());
        if (a.property !== undefined) tag.property = clip(a.property.toLowerCase());
        if (a['http-equiv'] !== undefined) tag.httpEquiv = clip(a['http-equiv'].toLowerCase());
        tag.content = clip(a.content ?? '');
        html.meta.push(tag);
        break;
      }
      case 'script': {
        if (a.src !== undefined) {
          scripts.add(a.src);
          findIds(clip(a.src), ids);
          break;
        }
        if (scanned >= MAX_SCRIPT_SCAN) break;
        const code = ownText(el, MAX_SCRIPT_SCAN - scanned);
        scanned += code.length;
        findIds(code, ids);
        for (const m of code.matchAll(URL_IN_SCRIPT)) {
          if (inlineUrls.items.length >= MAX_ITEMS) break;
          inlineUrls.add(m[0]);
        }
        break;
      }
      case 'link': {
        if (a.href === undefined || links.length >= MAX_ITEMS) break;
        const href = clip(a.href.trim());
        const rel = clip((a.rel ?? '').trim().toLowerCase());
        const key = `${rel}\n${href}`;
        if (href === '' || linkSeen.has(key)) break;
        linkSeen.add(key);
        links.push({ href, rel });
        break;
      }
      case 'iframe':
      case 'frame':
        iframes.add(a.src);
        findIds(clip(a.src ?? ''), ids);
        break;
      case 'img':
        images.add(a.src);
        break;
      case 'form':
        forms.add(a.action);
        break;
    }
  }
  html.scripts = scripts.items;
  html.links = links;
  html.iframes = iframes.items;
  html.images = images.items;
  html.inlineUrls = inlineUrls.items;
  html.ids = ids.items;
  html.forms = forms.items;
}

