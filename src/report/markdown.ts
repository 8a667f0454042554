// A GitHub-flavoured table and the pivot, for job summaries, issues and papers' notes.
import { CATEGORIES, type Category, type Result } from '../types.js';
import { CATEGORY_TITLES, displayDomain, isSoftware, providerLabel, usProviders } from './cells.js';
import { pivotByProvider } from './pivot.js';
import { sanitizeLine } from './sanitize.js';

/** The companies a provider serves, by domain, bounded so one provider cannot flood the table. */
function names(domains: string[]): string {
  const shown = domains.slice(0, 20).map(mdCell).join(', ');
  return domains.length > 20 ? `${shown}, … (+${domains.length - 20})` : shown;
}

/**
 * Escape what would break a table cell or start markup. Scanned strings must not notify anyone
 * or link an issue where the Markdown is posted (a job summary, an issue comment): a zero-width
 * space (as an entity, so the file itself stays plain ASCII there) breaks `@name` and `#123`.
 */
export function mdCell(text: string): string {
  return sanitizeLine(text)
    .replace(/\\/g, '\\\\')
    .replace(/([|`*_[\]<>#!])/g, '\\$1')
    .replace(/#(?=\d)/g, '#&#8203;')
    .replace(/@(?=[A-Za-z0-9])/g, '@&#8203;');
}

export function renderMarkdown(results: Result[], opts: { by: 'domain' | 'provider'; simulated?: string }): string {
  const parts: string[] = [];
  if (opts.simulated) parts.push(`> **Simulated world (${mdCell(opts.simulated)}): not measured data.**`, '');
  if (opts.by === 'domain') {
    parts.push(`| Domain | Status | ${CATEGORIES.map((c) => CATEGORY_TITLES[c]).join(' | ')} | US |`);
    parts.push(`|---|---|${CATEGORIES.map(() => '---').join('|')}|---:|`);
    for (const r of results) {
      const cells = CATEGORIES.map((c) => r.services[c].map((a) => mdCell(providerLabel(a, c, 80))).join('<br>') || '–');
      parts.push(`| ${mdCell(displayDomain(r))} | ${r.status} | ${cells.join(' | ')} | ${usProviders(r).length} |`);
    }
    parts.push('');
  }
  const rows = pivotByProvider(results).filter((r) => r.domains.length > 0);
  if (rows.length) {
    parts.push(`### Providers (companies served, of ${results.length})`, '');
    parts.push('| Provider | Country | Companies | Serves, by category |', '|---|---|---:|---|');
    for (const row of rows) {
      const cats = Object.entries(row.byCategory)
        .map(([c, ds]) => `${CATEGORY_TITLES[c as Category]} ${ds!.length}: ${names(ds!)}`)
        .join('<br>');
      parts.push(`| ${mdCell(row.companyName)} | ${mdCell(row.country ?? '??')} | ${row.domains.length} | ${cats} |`);
    }
    parts.push('');
  }
  const notes = ['Assets are resources the pages load (fonts, libraries, widgets), not relationships; they are not counted above.'];
  if (results.some((r) => r.services.cms.some((a) => isSoftware('cms', a)))) notes.push('A CMS marked self-hosted is software the company runs itself: its maker is not a provider and is not counted.');
  if (results.some((r) => r.services.analytics.some((a) => isSoftware('analytics', a)))) notes.push('Analytics marked self-hosted is software the company runs itself (a Matomo on its own server): its maker is not a provider and is not counted.');
  if (results.some((r) => r.status === 'partial')) notes.push('partial: some probes failed; what they would have shown is missing.');
  if (results.some((r) => r.status === 'failed')) notes.push('failed: nothing could be measured; an empty row says nothing about its providers.');
  if (opts.simulated) notes.push(`Simulated world (${mdCell(opts.simulated)}): not measured data.`);
  parts.push(`_${notes.join(' ')}_`, '');
  return parts.join('\n');
}
