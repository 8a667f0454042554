// What the company's own web responses show: edge headers and cookies (cdn/hosting/cms), its
// CMS and analytics account — and the third-party resources its pages merely load, which go to
// `assets` and never to hosting or cdn (the Top10VPN correction, reference/top10vpn-2020.md).
import { cookieName, type Matchers, type RuleHit } from '../vendors/match.js';
import { kindProves } from '../vendors/semantics.js';
import type { Attributions } from './attribute.js';
import { clip, type PageUrl, type Signals } from './signals.js';
import type { Rule } from '../vendors/types.js';

/** What a page loads as its own: a hotlinked <img> or a frame may be anyone's. */
const OWN_RESOURCES: ReadonlySet<PageUrl['source']> = new Set(['script', 'link', 'meta']);
const isOffsite = (rule: Rule): boolean => 'offsite' in rule && rule.offsite === true;

/** Hits whose rule kind can prove their category: the table `vendors lint` enforces (semantics.ts). */
function proven(hits: RuleHit[]): RuleHit[] {
  return hits.filter((h) => kindProves(h.rule.kind, h.category));
}

export function classifyResponses(s: Signals, m: Matchers, acc: Attributions): void {
  for (const [name, value] of s.headers) {
    for (const hit of proven(m.header(name, value))) {
      const pattern = hit.rule.kind === 'header' && hit.rule.pattern !== undefined;
      acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [pattern ? `header ${name}: ${clip(value, 80)}` : `header ${name}`], fallback: hit.rule.fallback === true, named: true });
    }
  }
  for (const setCookie of s.cookies) {
    const name = cookieName(setCookie);
    for (const hit of proven(m.text('cookie', name))) {
      acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`cookie ${clip(name, 80)}`], fallback: hit.rule.fallback === true, named: true });
    }
  }
}

export function classifyPage(s: Signals, m: Matchers, acc: Attributions): void {
  for (const g of s.generators) {
    for (const hit of proven(m.text('generator', g))) acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`generator ${clip(g, 80)}`] });
  }
  for (const u of s.urls) {
    const hits = proven([...(u.source === 'script' ? m.text('script', u.url) : []), ...(u.source === 'link' ? m.text('link', u.url) : []), ...m.text('url', u.url)]);
    for (const hit of hits) {
      const category = hit.category;
      // A CMS shows in the site's own paths; a URL on another host or inside an inline script
      // (a tag manager snippet) proves nothing about the site's CMS — unless the rule names the
      // platform's own static host and the page loads it as its own code, style, icon or share image.
      if (category === 'cms' && (u.source === 'inline' || (!u.firstParty && !(isOffsite(hit.rule) && OWN_RESOURCES.has(u.source))))) continue;
      acc.add({ category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`${u.source} ${clip(u.url)}`] });
    }
  }
  for (const id of s.ids) {
    for (const hit of proven(m.text('analytics-id', id))) acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`id ${clip(id, 80)}`] });
  }
  for (const excerpt of s.excerpts) {
    for (const hit of proven(m.text('html', excerpt))) {
      const rule = hit.rule.kind === 'html' ? hit.rule.pattern : '';
      acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence: [`html matches /${clip(rule, 80)}/`] });
    }
  }
}
