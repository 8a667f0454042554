// Real-sized pages for the bench: each is one real fragment of fixtures/real/html.jsonl (kept
// intact, in the page's head as the corpus world serves it) followed by bulk of the kinds real
// pages carry, until the page reaches a size drawn log-uniformly between 50 and 500 KB:
// navigation lists, articles (paragraphs with links, images with srcset), inline SVG icons,
// an inline <style>, an inline state <script> (JSON with first-party URLs), forms and a footer.
// The bulk names only the page's own site (relative paths and https://www.DOMAIN/ URLs) and
// generic words, so it adds markup to parse but no vendor signal: the fragment's labels stay
// valid. Deterministic per seed.

import { rng } from '../dist/world/generate.js';

const WORDS = ('the of and to in is for on with as by at from our new news about more read home contact services products company team '
  + 'support press careers blog events privacy terms search menu login account cart shop price quality design global local market report data '
  + 'research customers partners solutions industry digital platform network security cloud energy health education community city people '
  + 'year month week today open close view share follow download update release version guide help').split(' ');

export function makePages(fragments, { count, seed = 1, minKB = 50, maxKB = 500 }) {
  const rand = rng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const slug = () => `${pick(WORDS)}-${pick(WORDS)}-${Math.floor(rand() * 10000)}`;
  const cls = () => `${pick(['c', 'mod', 'row', 'col', 'card', 'nav', 'btn', 'grid', 'item', 'box'])}-${Math.floor(rand() * 500)}`;
  const pages = [];
  for (let i = 0; i < count; i++) {
    const f = fragments[i % fragments.length];
    const domain = `realsize-${i}.example`;
    const site = `https://www.${domain}`;
    const target = Math.round(1024 * minKB * Math.pow(maxKB / minKB, rand()));
    const parts = [];
    let size = 0;
    const add = (s) => {
      parts.push(s);
      size += s.length;
    };
    const nav = () => `<nav class="${cls()}"><ul>${Array.from({ length: 8 + Math.floor(rand() * 40) }, () => `<li class="${cls()}"><a href="/${slug()}/">${words(1 + Math.floor(rand() * 3))}</a></li>`).join('')}</ul></nav>\n`;
    const svg = () => `<svg class="icon" viewBox="0 0 24 24" width="24" height="24"><path d="M${Array.from({ length: 12 }, () => `${(rand() * 24).toFixed(2)} ${(rand() * 24).toFixed(2)}`).join(' L')} Z"/></svg>`;
    const img = () => {
      const p = `/wp-media/${slug()}`.replace('/wp-media', '/media');
      return `<img src="${p}-800.jpg" srcset="${p}-400.jpg 400w, ${p}-800.jpg 800w, ${p}-1600.jpg 1600w" sizes="(max-width: 600px) 100vw, 50vw" alt="${words(4)}" loading="lazy" width="800" height="${400 + Math.floor(rand() * 400)}">`;
    };
    const para = () => `<p class="${cls()}">${Array.from({ length: 2 + Math.floor(rand() * 6) }, () => `${words(8 + Math.floor(rand() * 30))} <a href="/${slug()}/">${words(2)}</a>`).join(' ')}.</p>`;
    const article = () => `<article class="${cls()}"><header><h2><a href="${site}/${slug()}/">${words(6)}</a></h2><time datetime="2024-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}">${words(2)}</time></header><div class="${cls()}"><div class="${cls()}">${img()}</div>${Array.from({ length: 1 + Math.floor(rand() * 4) }, para).join('')}</div><footer>${svg()}<span>${words(3)}</span></footer></article>\n`;
    const style = () => `<style>${Array.from({ length: 40 + Math.floor(rand() * 200) }, () => `.${cls()} .${cls()}{margin:${Math.floor(rand() * 40)}px ${Math.floor(rand() * 40)}px;color:#${Math.floor(rand() * 0xffffff).toString(16).padStart(6, '0')};display:${pick(['block', 'flex', 'grid', 'none'])}}`).join('\n')}</style>\n`;
    const state = () => `<script>window.__STATE__=${JSON.stringify({ page: { id: i, path: `/${slug()}/`, title: words(5) }, items: Array.from({ length: 20 + Math.floor(rand() * 200) }, () => ({ id: Math.floor(rand() * 1e6), url: `${site}/${slug()}/`, title: words(6), tags: [pick(WORDS), pick(WORDS)] })) })};</script>\n`;
    const form = () => `<form action="/${slug()}/" method="post" class="${cls()}"><input type="email" name="email" placeholder="${words(2)}"><button type="submit">${words(1)}</button></form>\n`;
    add(style());
    add(`<header class="${cls()}"><a class="logo" href="/">${svg()}</a>${nav()}</header>\n<main class="${cls()}">\n`);
    while (size < target * 0.7) add(rand() < 0.15 ? `<section class="${cls()}"><h2>${words(3)}</h2>${nav()}</section>\n` : article());
    add(`</main>\n<aside class="${cls()}">${nav()}${form()}</aside>\n`);
    while (size < target * 0.9) add(state());
    add(`<footer class="${cls()}">${nav()}${nav()}<p>${words(12)}</p></footer>\n`);
    while (size < target) add(`<div class="${cls()}">${para()}</div>\n`);
    const bulk = parts.join('');
    // The fragment as the corpus world serves it (captures.ts page()), the bulk after it.
    const fragment = f.html;
    const body = /<html[\s>]/i.test(fragment)
      ? (/<\/body>/i.test(fragment) ? fragment.replace(/<\/body>/i, `${bulk}</body>`) : `${fragment}\n${bulk}`)
      : `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${domain}</title></head><body>\n${fragment}\n${bulk}</body></html>`;
    pages.push({ domain, id: f.id, body, bytes: Buffer.byteLength(body) });
  }
  return pages;
}
