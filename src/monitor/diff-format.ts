// Rendering a ScanDiff: text for a terminal, markdown for a GitHub job summary or issue
// comment, json for machines. Pure. An empty diff renders as empty text (nothing to say).
import { CATEGORY_TITLES } from '../report/cells.js';
import { toJson } from '../report/json.js';
import { mdCell } from '../report/markdown.js';
import { sanitizeLine, truncate } from '../report/sanitize.js';
import type { Change, Provider, ScanDiff } from './diff.js';

export type DiffFormat = 'text' | 'markdown' | 'json';

/** Every format says what it found, "no changes" included (a job summary is never blank). */
export function renderDiff(diff: ScanDiff, format: DiffFormat, opts: { color?: boolean } = {}): string {
  if (format === 'json') return toJson({ ...diff, headline: headline(diff) });
  return format === 'markdown' ? renderMarkdownDiff(diff) : renderTextDiff(diff, opts.color ?? false);
}

/**
 * "Amazon.com, Inc. (US) via CloudFront, Route 53"; "TrustAsia Technologies, Inc. (CN) via TrustAsia
 * → DigiCert, Inc. (US) root"; self-hosted software by its name: "WordPress (self-hosted software)".
 */
export function providerText(p: Pick<Provider, 'key' | 'companyName' | 'country' | 'vendors' | 'roots' | 'software'>): string {
  // Self-hosted software is named by the software, never by its maker's country.
  if (p.software) return `${p.vendors.map((v) => v.name ?? v.id).filter(Boolean).join(', ') || p.companyName || p.key} (self-hosted software)`;
  const name = p.companyName ?? p.vendors.find((v) => v.name)?.name ?? p.key;
  const brands = p.vendors.map((v) => v.name ?? v.id).filter((b): b is string => Boolean(b) && b !== name);
  const roots = (p.roots ?? []).map((r) => `${r.companyName} (${r.country ?? '??'})`);
  return `${name} (${p.country ?? '??'})${brands.length ? ` via ${brands.join(', ')}` : ''}${roots.length ? ` → ${roots.join(', ')} root` : ''}`;
}

/** Evidence comes from the scanned sites: bounded so one hostile row cannot flood a summary. */
const MAX_DETAIL = 300;

function describe(c: Change): { what: string; detail: string } {
  const d = describeFull(c);
  return { what: truncate(d.what, MAX_DETAIL), detail: truncate(d.detail, MAX_DETAIL) };
}

function describeFull(c: Change): { what: string; detail: string } {
  switch (c.kind) {
    case 'domain-added':
      return { what: `new domain (${c.status})`, detail: '' };
    case 'domain-removed':
      return { what: 'domain no longer in the list', detail: '' };
    case 'status-changed':
      return { what: `status ${c.from} → ${c.to}`, detail: c.errors.join(', ') };
    case 'provider-added':
      return {
        what: `${CATEGORY_TITLES[c.category]}: + ${providerText(c.provider)}`,
        detail: [c.provider.evidence.join('; '), c.oldErrors ? `(old scan could not measure: ${c.oldErrors.join(', ')})` : '']
          .filter(Boolean)
          .join(' '),
      };
    case 'provider-removed':
      return { what: `${CATEGORY_TITLES[c.category]}: − ${providerText(c.provider)}`, detail: c.provider.evidence.join('; ') };
    case 'not-measured':
      return {
        what: `${CATEGORY_TITLES[c.category]}: not measured (${c.errors.join(', ')})`,
        detail: `previously ${c.providers.map(providerText).join(', ')}`,
      };
  }
}

export function headline(diff: ScanDiff): string {
  const s = diff.summary;
  if (diff.changes.length === 0) return `no changes (${s.newDomains} domain(s) compared)`;
  const parts = [
    `${s.providersAdded} provider(s) added`,
    `${s.providersRemoved} removed`,
    `${s.domainsAdded} domain(s) added`,
    `${s.domainsRemoved} removed`,
    `${s.statusChanged} status change(s)`,
  ];
  if (s.notMeasured) parts.push(`${s.notMeasured} category(ies) not measured`);
  return `${parts.join(', ')}; ${s.counting} count under --fail-on ${diff.failOn}`;
}

function renderTextDiff(diff: ScanDiff, color: boolean): string {
  const lines: string[] = [];
  // A change that counts under --fail-on stands out on a terminal.
  const counting = (s: string) => (color ? `\x1b[1;33m${s}\x1b[22;39m` : s);
  for (const w of diff.warnings) lines.push(`warning: ${sanitizeLine(w)}`);
  let domain = '';
  for (const c of diff.changes) {
    if (c.domain !== domain) {
      domain = c.domain;
      lines.push(sanitizeLine(domain));
    }
    const { what, detail } = describe(c);
    const line = `  ${c.counts ? '!' : ' '} ${sanitizeLine(what)}${detail ? `  [${sanitizeLine(detail)}]` : ''}`;
    lines.push(c.counts ? counting(line) : line);
  }
  if (lines.length) lines.push('');
  lines.push(headline(diff));
  return lines.join('\n') + '\n';
}

function renderMarkdownDiff(diff: ScanDiff): string {
  const lines: string[] = ['## whoserves: changes since the last scan', ''];
  for (const w of diff.warnings) lines.push(`> **Warning:** ${mdCell(w)}`, '');
  lines.push(headline(diff), '');
  if (diff.changes.length) {
    lines.push('| | Domain | Change | Evidence |', '|---|---|---|---|');
    for (const c of diff.changes) {
      const { what, detail } = describe(c);
      lines.push(`| ${c.counts ? '❗' : ''} | ${mdCell(c.domain)} | ${mdCell(what)} | ${mdCell(detail)} |`);
    }
    lines.push('');
  }
  return lines.join('\n') + '\n';
}
