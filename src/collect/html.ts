// Signals in a fetched page: what the page declares (meta), loads (scripts, links, frames,
// images), posts to (forms) and which tracking accounts it carries. Pure; bounded in input
// (1 MiB parsed), in items per list and in characters per string, since pages are hostile.
import { Parser } from 'htmlparser2';
import type { HtmlSignals, MetaTag } from '../types.js';
import { decodeBody } from './charset.js';

export const MAX_PARSE_BYTES = 1024 * 1024;
export const MAX_ITEMS = 200;
export const MAX_STRING = 2048;
export const EXCERPT_CHARS = 16 * 1024;
/** Inline script text searched per script and in total, so a giant script cannot cost much. */
export const MAX_SCRIPT_SCAN = 256 * 1024;

/**
 * Tracking IDs and how they appear. Sources: Google Analytics / Tag Manager ID formats
 * (support.google.com/analytics/answer/9539598, /tagmanager/answer/6103696), Baidu Tongji's
 * loader `hm.baidu.com/hm.js?<32 hex>`, CNZZ/Umeng's `cnzz.com/...?(web_)id=<n>`, 51.la's
 * `js.users.51.la/<n>.js`, Yandex Metrica's `ym(<n>, "init")`, Meta Pixel's `fbq('init', '<n>')`.
 */
const ID_PATTERNS: { re: RegExp; id: (m: RegExpExecArray) => string }[] = [
  { re: /\bUA-\d{4,10}-\d{1,4}\b/g, id: (m) => m[0] },
  { re: /\bG-[A-Z0-9]{6,12}\b/g, id: (m) => m[0] },
  { re: /\bGTM-[A-Z0-9]{4,9}\b/g, id: (m) => m[0] },
  { re: /\bAW-\d{6,12}\b/g, id: (m) => m[0] },
  { re: /hm\.js\?([0-9a-f]{32})/gi, id: (m) => `hm.js?${m[1]!.toLowerCase()}` },
  { re: /cnzz\.com\/[a-z_]*\.php\?(?:web_)?id=(\d{4,12})/gi, id: (m) => `cnzz:${m[1]!}` },
  { re: /js\.users\.51\.la\/(\d{4,12})\.js/gi, id: (m) => `51la:${m[1]!}` },
  { re: /\bym\(\s*(\d{5,12})\s*,\s*["']init["']/g, id: (m) => `ym:${m[1]!}` },
  { re: /\bfbq\(\s*["']init["']\s*,\s*["'](\d{6,20})["']/g, id: (m) => `fbq:${m[1]!}` },
];

/** Absolute or protocol-relative URLs inside script text. */
export const URL_IN_SCRIPT = /(?:https?:)?\/\/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?::\d{1,5})?(?:\/[^\s"'`<>()\\]*)?/gi;

/** A list that keeps the first MAX_ITEMS distinct, truncated strings. */
export class Bounded {
  readonly items: string[] = [];
  private readonly seen = new Set<string>();
  add(value: string | undefined): void {
    if (value === undefined || this.items.length >= MAX_ITEMS) return;
    const v = clip(value.trim());
    if (v === '' || this.seen.has(v)) return;
    this.seen.add(v);
    this.items.push(v);
  }
}

export function clip(s: string): string {
  return s.length > MAX_STRING ? s.slice(0, MAX_STRING) : s;
}

export function extractSignals(body: Buffer, contentType?: string): { html: HtmlSignals; text: string } {
  const bytes = body.length > MAX_PARSE_BYTES ? body.subarray(0, MAX_PARSE_BYTES) : body;
  const { text, charset } = decodeBody(bytes, contentType);
  const html: HtmlSignals = { charset, meta: [], scripts: [], links: [], iframes: [], images: [], inlineUrls: [], ids: [], forms: [] };
  try {
    fill(html, text);
  } catch {
    // The parser is tolerant by design; this only guards against a library bug killing a scan.
  }
  html.excerpt = excerptOf(text);
  return { html, text };
}

const EXCERPT_GAP = '\n…\n';
/** Of a longer page the excerpt keeps the tail too: footers carry the "Powered by" credits. */
const EXCERPT_TAIL = EXCERPT_CHARS / 4;

/** The markup rules' text: the page whole, or its head and tail within EXCERPT_CHARS. */
export function excerptOf(text: string): string {
  if (text.length <= EXCERPT_CHARS) return text;
  return text.slice(0, EXCERPT_CHARS - EXCERPT_TAIL - EXCERPT_GAP.length) + EXCERPT_GAP + text.slice(-EXCERPT_TAIL);
}

/**
 * Tags handed to the parser. htmlparser2 keeps its open-element stack with unshift, so hostile
 * nesting costs depth² (1 MiB of "<div>" would block the event loop for many seconds); 20,000
 * tags bound that to ~0.2 s while covering the head and body of ordinary pages.
 */
export const MAX_TAGS = 20_000;

/** The text up to the MAX_TAGS-th start tag ("<" and an ASCII letter, wherever it stands). */
export function boundTags(text: string): string {
  // Each start tag takes two characters: a shorter text cannot hold too many.
  if (text.length <= 2 * MAX_TAGS) return text;
  let n = 0;
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    const c = text.charCodeAt(i + 1) | 0x20;
    if (c >= 0x61 && c <= 0x7a && ++n > MAX_TAGS) return text.slice(0, i);
  }
  return text;
}

/**
 * An element in the order it opened. Title and inline script need their text, which is known
 * only when they close; the ones after them wait, so everything is handled in document order,
 * as a walk over the whole tree would.
 */
interface Visit {
  name: string;
  attribs: Record<string, string>;
  /** Direct text so far (title, inline script); undefined for the others. */
  text: string | undefined;
  done: boolean;
}

/**
 * htmlparser2's streaming parser (the one cheerio/slim builds its tree with, same options):
 * its events give the elements in document order and each element's direct text, which is all
 * this reads, without building the tree (a 200 KB page is ~20,000 nodes).
 */
function fill(html: HtmlSignals, text: string): void {
  const scripts = new Bounded();
  const inlineUrls = new Bounded();
  const ids = new Bounded();
  const iframes = new Bounded();
  const images = new Bounded();
  const forms = new Bounded();
  const links: { href: string; rel: string }[] = [];
  const linkSeen = new Set<string>();
  let scanned = 0;

  const visit = (el: Visit): void => {
    const a = el.attribs;
    switch (el.name) {
      case 'title': {
        const t = (el.text ?? '').slice(0, MAX_STRING * 4).trim().replace(/\s+/g, ' ');
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
        const code = (el.text ?? '').slice(0, MAX_SCRIPT_SCAN - scanned);
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
  };

  // Elements in the order they opened, from `head` on not yet handled; the ones still open.
  const order: Visit[] = [];
  let head = 0;
  const open: Visit[] = [];
  const flush = (): void => {
    while (head < order.length && order[head]!.done) visit(order[head++]!);
    if (head === order.length) {
      order.length = 0;
      head = 0;
    }
  };
  const parser = new Parser({
    onopentag(name, attribs) {
      const lower = name.toLowerCase();
      const wantsText = lower === 'title' || (lower === 'script' && attribs.src === undefined);
      const el: Visit = { name: lower, attribs, text: wantsText ? '' : undefined, done: !wantsText };
      open.push(el);
      order.push(el);
      if (!wantsText) flush();
    },
    ontext(data) {
      const top = open[open.length - 1];
      if (top && top.text !== undefined) top.text += data;
    },
    onclosetag() {
      const el = open.pop();
      if (el && !el.done) {
        el.done = true;
        flush();
      }
    },
  });
  parser.end(boundTags(text));
  for (const el of open.splice(0)) el.done = true;
  flush();
  html.scripts = scripts.items;
  html.links = links;
  html.iframes = iframes.items;
  html.images = images.items;
  html.inlineUrls = inlineUrls.items;
  html.ids = ids.items;
  html.forms = forms.items;
}

export function findIds(text: string, ids: Bounded): void {
  for (const p of ID_PATTERNS) {
    p.re.lastIndex = 0;
    for (const m of text.matchAll(p.re)) {
      if (ids.items.length >= MAX_ITEMS) return;
      ids.add(p.id(m));
    }
  }
}
