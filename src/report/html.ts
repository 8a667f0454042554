// The publishable report: one self-contained HTML file (CSS and JS inline, no network), readable
// without JavaScript (plain table, evidence in <details>), enhanced with filters, sorting and a
// clickable by-provider bar chart. Every string from the network is escaped.
import { CATEGORIES, isRelationship, type Attribution, type Category, type Result } from '../types.js';
import { CATEGORY_TITLES, isSoftware, otherRoot } from './cells.js';
import { brandName } from '../vendors/ccadb/names.js';
import { pivotByProvider } from './pivot.js';
import { sanitizeLine, truncate } from './sanitize.js';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape for text and attribute values; controls made visible first. */
export function escapeHtml(text: string): string {
  return sanitizeLine(text).replace(/[&<>"']/g, (c) => ESC[c]!);
}

const MAX_EVIDENCE = 6;

/** CSS class of a provider's country: U.S. and Chinese providers are told apart at a glance. */
export function countryClass(cc: string | null): string {
  if (cc === 'US') return 'us';
  if (cc === 'CN') return 'cn';
  return 'ot';
}

/**
 * Evidence lives in one JSON block, in the document order of the provider names, so the page
 * stays small (under 500 KB for 1,000 domains); the names and countries are plain HTML.
 */
class Evidence {
  /** Repeated strings (company names, shared NS/MX evidence) are stored once. */
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  readonly companies: [string, number][] = [];
  private readonly companyIndex = new Map<string, number>();
  readonly entries: number[][] = [];

  private str(text: string): number {
    let i = this.stringIndex.get(text);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(text);
      this.stringIndex.set(text, i);
    }
    return i;
  }

  add(a: Attribution): void {
    const key = a.company ?? '';
    let ci = this.companyIndex.get(key);
    if (ci === undefined) {
      ci = this.companies.length;
      // Sanitised like the data-company attributes it is compared with (and a file may be cat'ed).
      this.companies.push([sanitizeLine(key), this.str(sanitizeLine(a.companyName ?? a.vendorName ?? 'unknown'))]);
      this.companyIndex.set(key, ci);
    }
    const ev = a.evidence.slice(0, MAX_EVIDENCE).map((e) => sanitizeLine(truncate(e, 160)));
    if (a.evidence.length > MAX_EVIDENCE) ev.push(`… ${a.evidence.length - MAX_EVIDENCE} more`);
    this.entries.push([ci, Math.round(a.confidence * 100), a.selfHosted ? 1 : 0, ...ev.map((e) => this.str(e))]);
  }

  /** JSON that cannot close its <script> element. */
  json(): string {
    return JSON.stringify({ strings: this.strings, companies: this.companies, entries: this.entries })
      .replace(/</g, '\\u003c')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
  }
}

/**
 * A provider name and its country, as a badge apart from the name. Coloured by country only when
 * it is a relationship: an asset (merely loaded) and self-hosted software are shown neutral.
 */
function attribution(a: Attribution, category: Category, ev: Evidence): string {
  ev.add(a);
  const name = escapeHtml(truncate(a.vendorName ?? a.companyName ?? 'unknown', 60));
  // "WordPress (self-hosted)" reads "WordPress" next to its self-hosted badge.
  // Class values are bare words, unquoted: a 1,000-domain page stays under 500 KB.
  if (isSoftware(category, a)) return `<b class=sw>${name.replace(/\s*\(self-hosted\)$/, '')} <i>self-hosted</i></b>`;
  const relationship = isRelationship(category, a);
  // A certificate chaining to another company's root names that owner too; the filters match either.
  const root = otherRoot(a);
  const rootHtml = root
    ? `<small class="${relationship ? countryClass(root.country) : 'as'}">→ ${escapeHtml(truncate(brandName(root.companyName ?? root.company), 40))} <i>${escapeHtml(root.country ?? '??')}</i> root</small>`
    : '';
  const data = root ? ` data-ro="${escapeHtml(root.company)}"` : '';
  return `<b class=${relationship ? countryClass(a.country) : 'as'}${data}>${name} <i>${escapeHtml(a.country ?? '??')}</i>${rootHtml}</b>`;
}

/** A long error code may break at its underscores (DNS_TRUNCATED_TCP_FAILED is one long word). */
function codeHtml(code: string): string {
  return code.length > 14 ? escapeHtml(code).replace(/_/g, '_<wbr>') : escapeHtml(code);
}

function row(r: Result, ev: Evidence): string {
  // An empty cell's end tag is implied by the next cell (HTML allows it): pages of thousands of
  // rows stay small; `td:empty` still shows them as "–".
  const cells = CATEGORIES.map((c) => (r.services[c].length ? `<td>${r.services[c].map((a) => attribution(a, c, ev)).join('')}</td>` : '<td>'));
  // Status and its error codes share one column: the table must fit a 1,000 px window.
  const codes = [...new Set(r.errors.map((e) => e.code))].slice(0, 4);
  const title = r.errors.length ? ` title="${escapeHtml(r.errors.slice(0, 20).map((e) => `${e.stage} ${e.code}${e.target ? ` ${e.target}` : ''}`).join('; '))}"` : '';
  const status = `<td${r.status === 'ok' ? '' : ` class=${r.status}`}${title}>${r.status}${codes.length ? `<small>${codes.map(codeHtml).join(' ')}</small>` : ''}</td>`;
  const idn = r.unicode && r.unicode !== r.domain;
  // A domain never breaks across lines (not even at a hyphen); an IDN reads in Unicode, its punycode in the tooltip.
  const shown = idn ? `<span title="${escapeHtml(r.domain)}">${escapeHtml(r.unicode!)}</span>` : escapeHtml(r.domain);
  const entity = typeof r.input.entity === 'string' && r.input.entity ? `<br><small>${escapeHtml(r.input.entity)}</small>` : '';
  return `<tr><th scope=row>${shown}${entity}</th>${status}${cells.join('')}</tr>`;
}

function chart(results: Result[]): string {
  const rows = pivotByProvider(results).filter((p) => p.domains.length > 0);
  const max = Math.max(1, ...rows.map((p) => p.domains.length));
  const bars = rows.slice(0, 40).map((p) => {
    const cats = Object.entries(p.byCategory)
      .map(([c, ds]) => `${CATEGORY_TITLES[c as Category]} ${ds!.length}`)
      .join(', ');
    const pct = ((p.domains.length / max) * 100).toFixed(1);
    return (
      `<li><button type="button" class="bar ${countryClass(p.country)}" data-company="${escapeHtml(p.company)}" aria-pressed="false" title="${escapeHtml(cats)}">` +
      `<span class="label">${escapeHtml(p.companyName)} <abbr>${escapeHtml(p.country ?? '??')}</abbr></span>` +
      `<span class="track"><span class="fill" style="width:${pct}%"></span></span><span class="n">${p.domains.length}</span></button></li>`
    );
  });
  return `<ol class="chart">${bars.join('')}</ol>`;
}

export interface HtmlMeta {
  [key: string]: unknown;
}

function metaList(meta: HtmlMeta | undefined, results: Result[], simulated: string | undefined): string {
  const items: [string, unknown][] = [
    ['Domains', results.length],
    ['Data', simulated ? `simulated world (${simulated})` : undefined],
    ['Scanned', meta?.startedAt],
    ['Tool', meta?.version ? `whoserves ${String(meta.version)}` : undefined],
    ['Vendor database', meta?.vendorDb],
    ['IP → ASN data', meta?.asnSource ? `${String(meta.asnSource)}${meta.asnDate ? ` (${String(meta.asnDate)})` : ''}` : undefined],
  ];
  return `<dl class="meta">${items
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(String(v))}</dd>`)
    .join('')}</dl>`;
}

/** The banner a page built from a simulated world carries at its top: it is not measured data. */
export function simulatedBanner(simulated: string | undefined): string {
  if (!simulated) return '';
  return `<p class="banner" role="note"><strong>Simulated world: not measured data.</strong> These results come from ${escapeHtml(simulated)}, a simulated internet on this machine; they say nothing about the real companies named.</p>`;
}

/** The colours of the table, explained next to it. */
const LEGEND =
  '<p class="legend" id="legend"><span class="key us">U.S. provider</span> <span class="key cn">Chinese provider</span> <span class="key ot">provider elsewhere</span> ' +
  '<span class="key sw">self-hosted software: not a provider</span> <span class="key as">asset: loaded by the pages, not a relationship</span> ' +
  '<span class="hint">The badge after a name is the provider company\'s country.</span></p>';

/** Document start: self-contained, nothing may load from the network (the CSP says so too). */
export function htmlHead(title: string, css: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${css}</style></head><body>`;
}

export function renderHtml(results: Result[], meta?: HtmlMeta, opts: { simulated?: string } = {}): string {
  const head = CATEGORIES.map((c) => `<th scope="col"><button type="button" class="sort">${CATEGORY_TITLES[c]}</button></th>`).join('');
  const catOptions = CATEGORIES.map((c, i) => `<option value="${i}">${CATEGORY_TITLES[c]}</option>`).join('');
  const countries = [
    ...new Set(results.flatMap((r) => CATEGORIES.flatMap((c) => r.services[c].filter((a) => !isSoftware(c, a)).flatMap((a) => [a.country ?? '??', ...(otherRoot(a) ? [otherRoot(a)!.country ?? '??'] : [])])))),
  ].sort();
  const companies = pivotByProvider(results);
  const ev = new Evidence();
  const rowsHtml = results.map((r) => row(r, ev)).join('\n');
  return `${htmlHead("whoserves — who provides these companies' infrastructure", CSS)}
<header>${simulatedBanner(opts.simulated)}<h1>Who provides these companies' web infrastructure</h1>${metaList(meta, results, opts.simulated)}
<p class="method"><strong>Method.</strong> Relationships are what each company configured itself: its name servers (DNS), mail exchangers (E-mail),
the networks its own host names live in (Hosting), the CDN its own host names point to (CNAME, edge headers), the issuer of its certificate,
its CMS and analytics account. Resources its pages merely load — fonts, public JavaScript libraries, widgets — are listed apart under
<em>Assets (loaded)</em> and are not a relationship with their provider (the correction Top10VPN published in May 2020).
A CMS the company runs itself (WordPress, Drupal, DedeCMS installed on its own host) is software, not a service: it is marked
self-hosted and its maker is not counted as a provider.
Every finding shows its evidence: open a cell to check it before quoting it. Country is the provider company's headquarters.</p></header>
<main>
<section aria-labelledby="by-provider"><h2 id="by-provider">Providers by number of companies served</h2>
<p class="hint">Select a provider to show only the companies it serves.</p>${chart(results)}</section>
<section aria-labelledby="table-h"><h2 id="table-h">Providers per company</h2>
<form class="filters" role="search" onsubmit="return false">
<label>Category <select id="f-cat"><option value="">all</option>${catOptions}</select></label>
<label>Country <select id="f-country"><option value="">all</option>${countries.map((c) => `<option>${escapeHtml(c)}</option>`).join('')}</select></label>
<label>Provider <select id="f-company"><option value="">all</option>${companies.map((p) => `<option value="${escapeHtml(p.company)}">${escapeHtml(p.companyName)}</option>`).join('')}</select></label>
<label>Domain <input id="f-text" type="search" placeholder="filter"></label>
<button type="button" id="f-clear">Clear</button> <span id="f-count" role="status"></span></form>
${LEGEND}
<div class="wrap"><table id="providers" aria-describedby="legend"><caption>One row per company domain; U.S. providers highlighted.</caption>
<thead><tr><th scope="col"><button type="button" class="sort">Domain</button></th><th scope="col">Status</th>${head}</tr></thead>
<tbody>${rowsHtml}</tbody></table></div></section>
<div id="ev-panel" role="dialog" aria-label="Evidence" hidden></div>
<noscript><p>Evidence for each finding is in this report's JSON and CSV (--long) outputs; with JavaScript on, select a provider name to see it here.</p></noscript>
</main>
<footer>${opts.simulated ? `<strong>Simulated world (${escapeHtml(opts.simulated)}): not measured data.</strong> ` : ''}Generated by whoserves. U.S. providers are highlighted; CN = China. Evidence strings are shown as received, escaped.</footer>
<script type="application/json" id="ev">${ev.json()}</script>
<script>${JS}</script></body></html>
`;
}

/** The look every HTML page of whoserves shares: colours by country, type, header metadata. */
export const BASE_CSS = `
:root{--us:#b3261e;--us-bg:#fde7e4;--cn:#7a4f00;--cn-bg:#fff4d6;--ot:#29507a;--ot-bg:#e7eef8;--ne:#444;--ne-bg:#f1f1f1;--fg:#1b1b1b;--muted:#555}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:var(--fg);margin:0 auto;max-width:1600px;padding:1rem 1.5rem}
.banner{background:#fff3cd;border:2px solid #b58100;color:#4d3800;padding:.5rem .8rem;border-radius:4px;margin:.3rem 0 .6rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.4rem 0 .5rem}
.meta{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;margin:.4rem 0}.meta dt{font-weight:600}.meta dd{margin:0 0 0 .3rem}
.method{max-width:70rem;color:var(--muted)}.hint{color:var(--muted);margin:.2rem 0}
footer{margin-top:2rem;color:var(--muted);font-size:.9em}
`;

const CSS = `${BASE_CSS}
.chart{list-style:none;padding:0;margin:0;max-width:60rem}.chart li{margin:2px 0}
.bar{display:grid;grid-template-columns:16rem 1fr 2.5rem;align-items:center;width:100%;border:1px solid transparent;background:none;padding:2px 4px;font:inherit;text-align:left;cursor:pointer;border-radius:3px}
.bar:hover,.bar:focus-visible{border-color:#888}.bar[aria-pressed=true]{border-color:#000;background:#f2f2f2}
.track{background:#eee;height:1rem;border-radius:2px;overflow:hidden}.fill{display:block;height:100%}
.bar.us .fill{background:var(--us)}.bar.cn .fill{background:var(--cn)}.bar.ot .fill{background:var(--ot)}.n{text-align:right;font-variant-numeric:tabular-nums}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}
.wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:13px}caption{text-align:left;color:var(--muted);padding:.3rem 0}
th,td{border:1px solid #ccc;padding:3px 4px;vertical-align:top;text-align:left}thead th{background:#f4f4f4;position:sticky;top:0}
th[scope=row]{font-weight:600;white-space:nowrap}th small{white-space:normal}th small{font-weight:400;color:var(--muted)}
.sort{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;text-align:left}.sort::after{content:" ↕";color:#999}
td:empty::before{content:"–";color:#999}
td b{display:block;font-weight:400;margin:1px 0;padding:0 3px;border-radius:3px;cursor:pointer}
td b i{display:inline-block;font-style:normal;font-size:.78em;font-weight:600;margin-left:.35em;padding:0 .25em;border:1px solid currentColor;border-radius:3px;line-height:1.25;white-space:nowrap}
td b.us,.key.us{background:var(--us-bg);color:var(--us);font-weight:600}td b.cn,.key.cn{background:var(--cn-bg);color:var(--cn)}td b.ot,.key.ot{background:var(--ot-bg);color:var(--ot)}
td b.as,.key.as{background:var(--ne-bg);color:var(--ne)}td b.sw,.key.sw{background:#fff;color:var(--ne);border:1px dashed #999}
.legend{display:flex;flex-wrap:wrap;gap:.3rem .6rem;align-items:center;margin:.4rem 0}.key{padding:0 .4rem;border-radius:3px}.legend .hint{margin:0}
td b:focus-visible{outline:2px solid #000}td.failed{color:var(--us);font-weight:600}td.partial{color:var(--cn)}td small{display:block;font-size:.8em;color:var(--muted);font-weight:400}
td b small{display:block;font-size:.85em;font-weight:400}td b small.us{color:var(--us);font-weight:600}
#ev-panel{position:absolute;z-index:10;max-width:34rem;background:#fff;border:1px solid #444;border-radius:4px;box-shadow:0 4px 16px rgba(0,0,0,.2);padding:.5rem .8rem;word-break:break-all}
#ev-panel ul{margin:.3rem 0 0 1rem;padding:0}#ev-panel .conf{color:var(--muted)}
tr[hidden]{display:none}
.label abbr{display:inline-block;text-decoration:none;font-size:.78em;font-weight:600;margin-left:.35em;padding:0 .25em;border:1px solid currentColor;border-radius:3px;line-height:1.25}
@media (max-width:1100px){table{font-size:12px}th,td{padding:2px 3px}td b{padding:0 2px}body{padding:.8rem 1rem}}
@media print{.filters,.hint,.sort::after,#ev-panel{display:none}thead th{position:static}body{max-width:none}}
`;

// Progressive enhancement only: the table is complete without it.
const JS = `
(function(){
var table=document.getElementById('providers');if(!table)return;
var EV=JSON.parse(document.getElementById('ev').textContent);
var rows=[].slice.call(table.tBodies[0].rows);
var names=[].slice.call(table.tBodies[0].querySelectorAll('td b'));
var panel=document.getElementById('ev-panel');
var fCat=document.getElementById('f-cat'),fCountry=document.getElementById('f-country'),fCompany=document.getElementById('f-company'),fText=document.getElementById('f-text'),count=document.getElementById('f-count');
var bars=[].slice.call(document.querySelectorAll('.bar'));
names.forEach(function(b,i){b.setAttribute('data-i',i);b.setAttribute('tabindex','0');b.setAttribute('role','button');b.setAttribute('aria-expanded','false');});
function company(b){return EV.companies[EV.entries[+b.getAttribute('data-i')][0]][0];}
function country(b){return b.classList.contains('sw')?'':b.querySelector('i').textContent;}
function rootCountry(b){var i=b.querySelector('small i');return i?i.textContent:null;}
function show(b){var e=EV.entries[+b.getAttribute('data-i')];panel.textContent='';
var h=document.createElement('strong');h.textContent=EV.strings[EV.companies[e[0]][1]]+(e[2]?' (self-hosted)':'');panel.appendChild(h);
var c=document.createElement('div');c.className='conf';c.textContent='confidence '+(e[1]/100).toFixed(2);panel.appendChild(c);
var ul=document.createElement('ul');e.slice(3).forEach(function(t){var li=document.createElement('li');li.textContent=EV.strings[t];ul.appendChild(li);});panel.appendChild(ul);
var r=b.getBoundingClientRect();panel.style.left=(window.scrollX+r.left)+'px';panel.style.top=(window.scrollY+r.bottom+4)+'px';panel.hidden=false;
names.forEach(function(n){n.setAttribute('aria-expanded',String(n===b));});}
function hide(){panel.hidden=true;names.forEach(function(n){n.setAttribute('aria-expanded','false');});}
table.addEventListener('click',function(ev){var b=ev.target.closest('td b');if(!b)return;if(b.getAttribute('aria-expanded')==='true')hide();else show(b);});
table.addEventListener('keydown',function(ev){var b=ev.target.closest('td b');if(b&&(ev.key==='Enter'||ev.key===' ')){ev.preventDefault();show(b);}});
document.addEventListener('keydown',function(ev){if(ev.key==='Escape')hide();});
document.addEventListener('click',function(ev){if(!ev.target.closest('td b')&&!ev.target.closest('#ev-panel'))hide();});
function apply(){
var cat=fCat.value,cc=fCountry.value,co=fCompany.value,text=fText.value.toLowerCase(),shown=0;
rows.forEach(function(tr){
var ok=!text||tr.cells[0].textContent.toLowerCase().indexOf(text)>=0;
if(ok&&(cat||cc||co)){var tds=[].slice.call(tr.cells,2,11);if(cat)tds=[tds[+cat]];
ok=tds.some(function(td){return [].slice.call(td.querySelectorAll('b')).some(function(b){return (!cc||country(b)===cc||rootCountry(b)===cc)&&(!co||company(b)===co||b.getAttribute('data-ro')===co);});});}
tr.hidden=!ok;if(ok)shown++;});
bars.forEach(function(b){b.setAttribute('aria-pressed',String(co!==''&&b.getAttribute('data-company')===co));});
count.textContent=shown+' of '+rows.length+' companies shown';}
[fCat,fCountry,fCompany].forEach(function(s){s.addEventListener('change',apply);});fText.addEventListener('input',apply);
document.getElementById('f-clear').addEventListener('click',function(){fCat.value='';fCountry.value='';fCompany.value='';fText.value='';apply();});
bars.forEach(function(b){b.addEventListener('click',function(){var c=b.getAttribute('data-company');fCompany.value=(fCompany.value===c)?'':c;apply();});});
[].slice.call(table.tHead.rows[0].cells).forEach(function(th,i){var btn=th.querySelector('.sort');if(!btn)return;var asc=true;
btn.addEventListener('click',function(){var key=function(tr){return tr.cells[i].textContent.trim().toLowerCase();};
rows.sort(function(a,b){var x=key(a),y=key(b);return (x<y?-1:x>y?1:0)*(asc?1:-1);});asc=!asc;rows.forEach(function(tr){table.tBodies[0].appendChild(tr);});});});
apply();
})();
`;
