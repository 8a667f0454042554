// The history as one self-contained HTML page: the share of companies served by U.S. providers
// and each provider's count per scan (charts drawn in HTML/SVG, no network), the changes with
// their evidence, and a timeline per company. Readable without JavaScript (tables, <details>);
// a filter box and a "changes only" switch are the only script. Every string is escaped.
import { CATEGORY_TITLES } from '../report/cells.js';
import { BASE_CSS, countryClass, escapeHtml, htmlHead } from '../report/html.js';
import { companyTitle, eventText, evidenceText, intervalText, providerLine } from './history-format.js';
import type { Cell, CompanyHistory, History, Interval, Track } from './history.js';

const CELL_TEXT: Record<Cell, string> = {
  seen: 'seen',
  absent: 'not seen',
  'not-measured': 'not measured (scan or probe failed)',
  'not-listed': 'not in this scan',
};

function usChart(h: History): string {
  const w = 64;
  const height = 140;
  const bars = h.pivot.us.map((u, i) => {
    const pct = u.measured ? (100 * u.served) / u.measured : 0;
    const bh = Math.round((pct / 100) * (height - 30));
    const x = 10 + i * (w + 26);
    const label = u.measured ? `${u.served}/${u.measured}` : '–';
    return (
      `<g class="us-bar" data-date="${escapeHtml(h.runs[i]!.date)}" data-served="${u.served}" data-measured="${u.measured}">` +
      `<title>${escapeHtml(`${h.runs[i]!.date}: ${u.served} of ${u.measured} measured companies served by a U.S. provider`)}</title>` +
      `<rect x="${x}" y="${height - 18 - bh}" width="${w}" height="${bh}"></rect>` +
      `<text x="${x + w / 2}" y="${height - 22 - bh}" text-anchor="middle">${escapeHtml(label)}</text>` +
      `<text x="${x + w / 2}" y="${height - 4}" text-anchor="middle" class="axis">${escapeHtml(h.runs[i]!.date)}</text></g>`
    );
  });
  const width = 20 + h.runs.length * (w + 26);
  return `<svg class="us-chart" role="img" aria-label="Share of companies served by a U.S. provider, per scan" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${bars.join('')}</svg>`;
}

function providerChart(h: History): string {
  const max = Math.max(1, ...h.pivot.providers.flatMap((p) => p.counts));
  const head = h.runs.map((r) => `<th scope="col">${escapeHtml(r.date)}</th>`).join('');
  const rows = h.pivot.providers.slice(0, 60).map((p) => {
    const cells = p.counts
      .map((n) => `<td><span class="cbar ${countryClass(p.country)}"><span style="width:${((100 * n) / max).toFixed(1)}%"></span></span><span class="n">${n}</span></td>`)
      .join('');
    return `<tr data-company="${escapeHtml(p.key)}"><th scope="row">${escapeHtml(p.companyName)} <abbr>${escapeHtml(p.country ?? '??')}</abbr></th>${cells}</tr>`;
  });
  return `<table class="pivot"><caption>Companies served per scan, by provider (relationships only; assets are not counted).</caption><thead><tr><th scope="col">Provider</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function changes(h: History): string {
  if (h.events.length === 0) return '<p>No provider relationship began or ended over these scans.</p>';
  const rows = h.events.map((e) => {
    const t = eventText(e);
    return `<tr class="${e.kind}"><td>${escapeHtml(e.date)}</td><th scope="row">${escapeHtml(e.domain)}</th><td class="${countryClass(e.provider.country)}">${escapeHtml(t.what)}</td><td><code>${escapeHtml(t.evidence)}</code></td><td><code>${escapeHtml(t.other)}</code></td></tr>`;
  });
  return `<table class="events"><thead><tr><th scope="col">Date</th><th scope="col">Company</th><th scope="col">Change</th><th scope="col">Evidence</th><th scope="col">Before / now</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function intervalDetails(t: Track, iv: Interval, latest: string): string {
  const start = `<li>From <b>${escapeHtml(iv.start.date)}</b>${iv.start.sinceFirst ? ' (already at the first scan that measured it)' : ''}: <code>${escapeHtml(evidenceText(iv.start.evidence))}</code>${iv.start.before ? `; before: <code>${escapeHtml(evidenceText(iv.start.before) || 'nothing found')}</code>` : ''}</li>`;
  const last = `<li>Last seen <b>${escapeHtml(iv.last.date)}</b>: <code>${escapeHtml(evidenceText(iv.last.evidence))}</code></li>`;
  const end = iv.end ? `<li>Ended <b>${escapeHtml(iv.end.date)}</b>; then: <code>${escapeHtml(evidenceText(iv.end.after) || 'nothing found')}</code></li>` : '';
  return `<details class="iv ${iv.status}"><summary>${escapeHtml(CATEGORY_TITLES[t.category])}: ${escapeHtml(providerLine(t))} — ${escapeHtml(intervalText(iv, latest))}</summary><ul>${start}${last}${end}</ul></details>`;
}

function timeline(c: CompanyHistory, h: History): string {
  const latest = h.runs[h.runs.length - 1]?.date ?? '';
  const head = h.runs.map((r) => `<th scope="col">${escapeHtml(r.date)}</th>`).join('');
  const status = c.statuses.map((s) => `<td class="st ${s === 'not-listed' ? 'unlisted' : s}">${escapeHtml(s === 'not-listed' ? 'not in scan' : s)}</td>`).join('');
  const rows = c.tracks.map((t) => {
    const cells = t.cells.map((cell, i) => `<td class="tc ${cell}" title="${escapeHtml(`${h.runs[i]!.date}: ${CELL_TEXT[cell]}`)}"><span>${cell === 'seen' ? '●' : cell === 'absent' ? '' : cell === 'not-measured' ? '?' : '·'}</span></td>`);
    return `<tr data-category="${t.category}" data-company="${escapeHtml(t.provider.key)}"><th scope="row">${escapeHtml(CATEGORY_TITLES[t.category])}</th><td class="prov ${countryClass(t.provider.country)}">${escapeHtml(providerLine(t))}</td>${cells.join('')}</tr>`;
  });
  const details = c.tracks.flatMap((t) => t.intervals.map((iv) => intervalDetails(t, iv, latest))).join('');
  const changed = h.events.some((e) => e.domain === c.domain) || c.names.length > 1;
  return `<article class="company" data-domain="${escapeHtml(c.domain)}" data-changed="${changed}"><h3>${escapeHtml(companyTitle(c))}</h3>
<table class="timeline"><thead><tr><th scope="col">Category</th><th scope="col">Provider</th>${head}</tr></thead><tbody><tr class="status"><th scope="row">Scan</th><td></td>${status}</tr>${rows.join('')}</tbody></table>${details}</article>`;
}

export function renderHistoryHtml(h: History): string {
  const span = h.runs.length ? `${h.runs[0]!.date} – ${h.runs[h.runs.length - 1]!.date}` : '';
  const providers = h.pivot.providers.map((p) => `<option value="${escapeHtml(p.key)}">${escapeHtml(p.companyName)}</option>`).join('');
  const warnings = h.warnings.map((w) => `<p class="warning">Warning: ${escapeHtml(w)}</p>`).join('');
  return `${htmlHead('whoserves — history of provider relationships', CSS)}
<header><h1>Who provided these companies' infrastructure, scan by scan</h1>
<dl class="meta"><dt>Scans</dt><dd>${h.runs.length} (${escapeHtml(span)})</dd><dt>Companies</dt><dd>${h.companies.length}</dd><dt>Changes</dt><dd>${h.events.length}</dd></dl>
${warnings}
<p class="method"><strong>Method.</strong> Each relationship is an interval from the first scan that saw it to the last; both ends keep their evidence.
A scan that could not measure a company or a category (the site failed, a probe failed, the company was not in that scan) is a gap, never the end of a relationship.
Companies are followed by domain: when the list gives a company a new name, its history continues under the new name.
Resources a page merely loads (fonts, libraries, widgets) are not counted as relationships.</p></header>
<main>
<section aria-labelledby="share"><h2 id="share">Companies served by a U.S. provider</h2>${usChart(h)}
<h2 id="providers-h">Providers over time</h2>${providerChart(h)}</section>
<section aria-labelledby="changes-h"><h2 id="changes-h">Changes</h2>${changes(h)}</section>
<section aria-labelledby="timelines-h"><h2 id="timelines-h">Timeline per company</h2>
<form class="filters" role="search" onsubmit="return false">
<label>Company <input id="f-text" type="search" placeholder="domain or name"></label>
<label>Provider <select id="f-company"><option value="">all</option>${providers}</select></label>
<label><input id="f-changed" type="checkbox"> only companies with changes</label> <span id="f-count" role="status"></span></form>
<p class="hint legend"><span class="key seen">●</span> seen <span class="key absent"></span> not seen <span class="key not-measured">?</span> not measured <span class="key not-listed">·</span> not in the scan</p>
${h.companies.map((c) => timeline(c, h)).join('\n')}</section>
</main>
<footer>Generated by whoserves history. U.S. providers in red, Chinese in brown. Evidence strings are shown as received, escaped.</footer>
<script>${JS}</script></body></html>
`;
}

const CSS = `${BASE_CSS}
.warning{color:var(--us);font-weight:600}
.us-chart rect{fill:var(--us)}.us-chart text{font-size:12px;fill:var(--fg)}.us-chart .axis{fill:var(--muted)}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}thead th{background:#f4f4f4}
.pivot td{min-width:7rem}.cbar{display:inline-block;width:5rem;height:.8rem;background:#eee;margin-right:.3rem;vertical-align:middle}
.cbar>span{display:block;height:100%}.cbar.us>span{background:var(--us)}.cbar.cn>span{background:var(--cn)}.cbar.ot>span{background:var(--ot)}
.n{font-variant-numeric:tabular-nums}td.us,td.prov.us{color:var(--us);font-weight:600}td.cn{color:var(--cn)}
.events code,.iv code{word-break:break-all;font-size:.9em}
.company{margin:1rem 0 1.5rem}.company h3{font-size:1rem;margin:.3rem 0}
.tc{text-align:center;width:6rem}.key{display:inline-block;min-width:1.6rem;text-align:center;border:1px solid #ccc}
.seen{background:#cfe8cf}.absent{background:#fff}.not-measured{background:repeating-linear-gradient(45deg,#eee,#eee 4px,#fff 4px,#fff 8px);color:var(--muted)}.not-listed{background:#f6f6f6;color:#999}
caption{text-align:left;color:var(--muted);padding:.3rem 0}.timeline thead th,.events td:first-child,.pivot thead th{white-space:nowrap}
.st.failed{color:var(--us);font-weight:600}.st.partial{color:var(--cn)}.st.unlisted{color:#999}
.iv{margin:.2rem 0 .2rem 1rem}.iv.ended summary{color:var(--muted)}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}
.company[hidden],tr[hidden]{display:none}
@media print{.filters{display:none}}
`;

// Progressive enhancement only: every company and interval is on the page without it.
const JS = `
(function(){
var cos=[].slice.call(document.querySelectorAll('.company'));
var fText=document.getElementById('f-text'),fCo=document.getElementById('f-company'),fCh=document.getElementById('f-changed'),count=document.getElementById('f-count');
if(!fText)return;
function apply(){var t=fText.value.toLowerCase(),co=fCo.value,ch=fCh.checked,shown=0;
cos.forEach(function(a){var ok=(!t||a.querySelector('h3').textContent.toLowerCase().indexOf(t)>=0)&&(!ch||a.getAttribute('data-changed')==='true');
var rows=[].slice.call(a.querySelectorAll('tr[data-company]'));
if(ok&&co)ok=rows.some(function(r){return r.getAttribute('data-company')===co;});
rows.forEach(function(r){r.hidden=!!co&&r.getAttribute('data-company')!==co;});
a.hidden=!ok;if(ok)shown++;});
count.textContent=shown+' of '+cos.length+' companies shown';}
fText.addEventListener('input',apply);fCo.addEventListener('change',apply);fCh.addEventListener('change',apply);apply();
})();
`;
