#!/usr/bin/env node
// Checks the real-capture corpus (fixtures/real/*.jsonl) against the format in its README:
// one record a line, the fields each kind needs, a source and a date, unique ids. Prints one
// line per problem as FILE:LINE: reason and a count per file and kind; exit 1 on any problem.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const CATEGORIES = new Set(['hosting', 'cdn', 'email', 'certificate', 'dns', 'cms', 'analytics', 'assets', 'saas']);
const DNS_TYPES = new Set(['NS', 'MX', 'TXT', 'CNAME', 'CAA']);
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const targets = args.length ? args : ['fixtures/real'];
const files = targets.flatMap((t) => (statSync(t).isDirectory() ? readdirSync(t).filter((n) => n.endsWith('.jsonl') && !n.startsWith('companies.')).sort().map((n) => path.join(t, n)) : [t]));
const ids = new Map();
let problems = 0;
const counts = {};
const vendors = {};
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const at = `${file}:${i + 1}`;
    const bad = (why) => { problems++; console.log(`${at}: ${why}`); };
    let r;
    try { r = JSON.parse(text); } catch (e) { return bad(`not valid JSON: ${e.message}`); }
    if (typeof r.id !== 'string' || !r.id) bad('id missing');
    else if (ids.has(r.id)) bad(`id ${r.id} already used at ${ids.get(r.id)}`);
    else ids.set(r.id, at);
    if (typeof r.source !== 'string' || !/^https?:\/\//.test(r.source)) bad('source must be a URL');
    if (typeof r.captured !== 'string' || !/^\d{4}-\d{2}(-\d{2})?$/.test(r.captured)) bad('captured must be YYYY-MM or YYYY-MM-DD');
    if (!Array.isArray(r.expect)) bad('expect must be an array');
    else for (const e of r.expect) {
      if (!CATEGORIES.has(e.category)) bad(`expect: unknown category ${e.category}`);
      if (typeof e.company !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(e.company)) bad(`expect: company id must be kebab-case: ${e.company}`);
      if (typeof e.country !== 'string' || !/^[A-Z]{2}$/.test(e.country)) bad(`expect: country must be ISO alpha-2: ${e.country}`);
      if (typeof e.companyName !== 'string' || !e.companyName) bad('expect: companyName missing');
      const k = `${e.category}:${e.company}`;
      vendors[k] = (vendors[k] ?? 0) + 1;
    }
    if (Array.isArray(r.expect) && r.expect.length === 0 && r.decoy !== true) bad('an empty expect needs "decoy": true');
    switch (r.kind) {
      case 'headers':
        if (!Array.isArray(r.headers) || r.headers.length === 0) bad('headers: a non-empty array of [name, value]');
        else for (const h of r.headers) if (!Array.isArray(h) || h.length !== 2 || typeof h[0] !== 'string' || typeof h[1] !== 'string' || h[0] !== h[0].toLowerCase()) bad(`headers: bad pair ${JSON.stringify(h)} (names lowercase)`);
        break;
      case 'dns':
        if (typeof r.name !== 'string' || r.name.endsWith('.') || r.name !== r.name.toLowerCase()) bad('dns: name absolute, lowercase, no trailing dot');
        if (!DNS_TYPES.has(r.type)) bad(`dns: type must be one of ${[...DNS_TYPES].join(' ')}`);
        if (typeof r.data !== 'string' || !r.data) bad('dns: data missing');
        break;
      case 'html':
        if (typeof r.html !== 'string' || !r.html) bad('html: fragment missing');
        else if (r.html.length > 3000) bad(`html: fragment of ${r.html.length} characters (at most 3000)`);
        break;
      case 'issuer':
        if (typeof r.issuer !== 'string' || !r.issuer.startsWith('/')) bad('issuer: a DN in slash form');
        break;
      default:
        bad(`kind must be headers, dns, html or issuer: ${r.kind}`);
    }
    const key = `${path.basename(file)} ${r.kind}`;
    counts[key] = (counts[key] ?? 0) + 1;
  });
}
for (const [k, n] of Object.entries(counts).sort()) console.log(`${String(n).padStart(5)}  ${k}`);
console.log(`${ids.size} records, ${Object.keys(vendors).length} category:company labels, ${problems} problems`);
if (process.argv.includes('--labels')) for (const [k, n] of Object.entries(vendors).sort()) console.log(`${String(n).padStart(5)}  ${k}`);
process.exit(problems ? 1 : 0);
