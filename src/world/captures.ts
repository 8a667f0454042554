// Real captures (fixtures/real/*.jsonl, format in its README) turned into a world and labels: each
// capture becomes the only signal of one synthetic company, so scanning the world end to end and
// scoring it against the labels measures what the vendor database knows about the real internet.
// Everything else about a synthetic company is deliberately anonymous: self-hosted name servers
// in an unknown network, a private CA, a plain page.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { getDomain } from 'tldts';
import { CATEGORIES, type Category } from '../types.js';
import type { World, WorldSite } from './types.js';
import { InputError } from '../errors.js';

/** A bad capture file: every problem, `FILE:LINE: reason`, one a line (exit 2). */
export class CaptureError extends InputError {
  override name = 'CaptureError';
  constructor(readonly problems: string[]) {
    super('CAPTURES', problems.join('\n'));
  }
}

export interface CaptureLabel {
  category: Category;
  company: string;
  companyName?: string;
  country?: string;
}

interface CaptureBase {
  id: string;
  expect: CaptureLabel[];
  decoy?: boolean;
  reject?: { category: Category; company: string }[];
  source: string;
  captured: string;
  note?: string;
}
export type Capture = CaptureBase &
  (
    | { kind: 'headers'; host?: string; status?: number; headers: [string, string][] }
    | { kind: 'dns'; name: string; type: 'NS' | 'MX' | 'TXT' | 'CNAME' | 'CAA'; data: string }
    | { kind: 'html'; url?: string; html: string }
    | { kind: 'issuer'; issuer: string }
  );

export interface CaptureLabels {
  labels: 1;
  level: 'company';
  domains: Record<string, Partial<Record<Category, string[]>>>;
  /** Synthetic domain → the capture id it stands for. */
  sources: Record<string, string>;
}

const DNS_TYPES = new Set(['NS', 'MX', 'TXT', 'CNAME', 'CAA']);
const CATEGORY_SET: ReadonlySet<string> = new Set(CATEGORIES);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a parsed line is not a capture, or null. */
function problemOf(r: unknown): string | null {
  if (!isObj(r)) return 'not a JSON object';
  if (typeof r.id !== 'string' || r.id === '') return 'id: required';
  if (typeof r.source !== 'string' || !/^https?:\/\/\S+$/.test(r.source)) return 'source: a URL is required';
  if (typeof r.captured !== 'string' || !/^\d{4}-\d{2}(-\d{2})?$/.test(r.captured)) return 'captured: YYYY-MM or YYYY-MM-DD';
  if (!Array.isArray(r.expect)) return 'expect: an array of labels';
  for (const e of r.expect as unknown[]) {
    if (!isObj(e) || typeof e.category !== 'string' || !CATEGORY_SET.has(e.category)) return `expect: unknown category ${JSON.stringify(isObj(e) ? e.category : e)}`;
    if (typeof e.company !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(e.company)) return `expect: company must be a kebab-case id: ${JSON.stringify(e.company)}`;
  }
  if ((r.expect as unknown[]).length === 0 && r.decoy !== true) return 'expect: empty without "decoy": true';
  switch (r.kind) {
    case 'headers':
      if (!Array.isArray(r.headers) || r.headers.length === 0) return 'headers: a non-empty array of [name, value]';
      for (const h of r.headers as unknown[]) if (!Array.isArray(h) || h.length !== 2 || typeof h[0] !== 'string' || typeof h[1] !== 'string' || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(h[0])) return `headers: bad pair ${JSON.stringify(h)}`;
      return null;
    case 'dns':
      if (typeof r.name !== 'string' || !/^[a-z0-9_*]([a-z0-9_.-]*[a-z0-9])?$/.test(r.name)) return 'name: an absolute lowercase name without the trailing dot';
      if (typeof r.type !== 'string' || !DNS_TYPES.has(r.type)) return `type: one of ${[...DNS_TYPES].join(' ')}`;
      if (typeof r.data !== 'string' || r.data === '') return 'data: required';
      return null;
    case 'html':
      if (typeof r.html !== 'string' || r.html === '') return 'html: required';
      if (r.url !== undefined && (typeof r.url !== 'string' || !/^https?:\/\//.test(r.url))) return 'url: an http(s) URL';
      return null;
    case 'issuer':
      if (typeof r.issuer !== 'string' || !r.issuer.startsWith('/')) return 'issuer: a DN in slash form';
      return null;
    default:
      return `kind: headers, dns, html or issuer, got ${JSON.stringify(r.kind)}`;
  }
}

/** Parse one JSON Lines text; bad lines are `FILE:LINE: reason`, duplicates of `seen` ids too. */
export function parseCaptures(text: string, file: string, seen = new Map<string, string>()): { captures: Capture[]; problems: string[] } {
  const captures: Capture[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const at = `${file}:${i + 1}`;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      problems.push(`${at}: not valid JSON`);
      return;
    }
    const p = problemOf(r);
    if (p) return void problems.push(`${at}: ${p}`);
    const c = r as Capture;
    const prev = seen.get(c.id);
    if (prev) return void problems.push(`${at}: id ${c.id} is already used at ${prev}`);
    seen.set(c.id, at);
    captures.push(c);
  });
  return { captures, problems };
}

/** Every *.jsonl of the given files and directories, sorted by capture id; a bad line refuses the lot. */
export function readCaptures(paths: string[]): Capture[] {
  const files = paths.flatMap((p) => {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new CaptureError([`${p}: no such file or directory`]);
    }
    // companies.*.jsonl beside the captures list companies, not captures.
    return isDir ? readdirSync(p).filter((n) => n.endsWith('.jsonl') && !n.startsWith('companies.')).sort().map((n) => path.join(p, n)) : [p];
  });
  const seen = new Map<string, string>();
  const all: Capture[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const r = parseCaptures(readFileSync(file, 'utf8'), file, seen);
    all.push(...r.captures);
    problems.push(...r.problems);
  }
  if (problems.length > 0) throw new CaptureError(problems);
  return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Fixed service labels without an underscore (mail clients' autodiscover, Azure's and Zendesk's verification names). */
const SERVICE_LABELS = new Set(['autodiscover', 'autoconfig', 'asuid', 'zendeskverification']);

/** The network every synthetic address lives in: a private AS no vendor rule names. */
const ANON_ASN = { asn: 64512, name: 'CAPTURE-WORLD-ANONYMOUS', country: 'ZZ', prefixes: ['127.200.0.0/14'] };
const ROOT = { id: 'capture-root', subject: { CN: 'Capture World Root', O: 'whoserves capture world' } };
const PRIVATE_CA = { id: 'capture-ca', issuer: 'capture-root', subject: { CN: 'Capture World Issuing CA', O: 'whoserves capture world' } };
/** Response headers that describe the capture's framing, not its server: the world frames its own. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-encoding', 'location', 'content-range', 'upgrade', 'trailer', 'alt-svc']);

class Builder {
  readonly world: Required<Pick<World, 'zones' | 'sites' | 'asns' | 'cas' | 'domains'>> & World;
  readonly labels: CaptureLabels = { labels: 1, level: 'company', domains: {}, sources: {} };
  private next = 0;
  private readonly addr = new Map<string, string>();

  constructor() {
    this.world = { world: 1, description: '', domains: [], latencyMs: 0, asns: [ANON_ASN], cas: [ROOT, PRIVATE_CA], zones: {}, sites: {} };
  }

  /** A stable anonymous address per host name, in the order hosts are first met. */
  address(host: string): string {
    let a = this.addr.get(host);
    if (!a) {
      const n = ++this.next;
      a = `127.${200 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
      this.addr.set(host, a);
    }
    return a;
  }

  /** Add a record in its registrable domain's zone (created on first use). */
  record(owner: string, type: string, data: string): void {
    const zone = getDomain(owner, { allowPrivateDomains: false }) ?? owner;
    const rel = owner === zone ? '@' : owner.slice(0, -(zone.length + 1));
    const list = (this.world.zones[zone] ??= []);
    const line = `${rel} ${type} ${data}`;
    if (!list.includes(line)) list.push(line);
  }

  /** Make a third-party host resolvable (an anonymous address), unless it already has a record. */
  resolvable(host: string): void {
    const h = host.replace(/\.$/, '').toLowerCase();
    if (!/^[a-z0-9_]([a-z0-9_.-]*[a-z0-9])?$/.test(h) || !h.includes('.')) return;
    this.record(h, 'A', this.address(h));
  }
}

function quoteTxt(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The host a capture was taken from (its owner name, responding host or page URL), if any. */
function originalHost(c: Capture): string | null {
  const host = c.kind === 'dns' ? c.name.replace(/^_dmarc\./, '') : c.kind === 'headers' ? c.host : c.kind === 'html' && c.url ? new URL(c.url).hostname : undefined;
  return host ? host.toLowerCase() : null;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * DNS data: the capture's registrable domain becomes the synthetic one on whole labels, so a
 * self-hosted MX or name server stays self-hosted.
 */
function rehomeNames(text: string, from: string | null, to: string): string {
  if (!from) return text;
  return text.replace(new RegExp(`(?<![a-z0-9-])${escapeRe(from)}(?![a-z0-9-])`, 'gi'), to);
}

/**
 * Headers and pages: only URLs of the site's own host (and of its bare or www domain) move to the
 * synthetic company, so its paths stay first-party. Other hosts of the same domain keep their
 * names: on a platform's or a vendor's own site they are the vendor (hm.baidu.com on baidu.com,
 * "WordPress.com" on a *.wordpress.com blog), and a rule must still see them.
 */
function rehomeUrls(text: string, host: string | null, to: string): string {
  if (!host) return text;
  const domain = getDomain(host, { allowPrivateDomains: false });
  const end = '(?![a-z0-9.-])';
  let out = text.replace(new RegExp(`(?<=//)${escapeRe(host)}${end}`, 'gi'), `www.${to}`);
  if (domain) out = out.replace(new RegExp(`(?<=//)(www\\.)?${escapeRe(domain)}${end}`, 'gi'), (_m, www: string | undefined) => `${www ?? ''}${to}`);
  return out;
}

/**
 * A header value a client accepts: HTTP clients (undici among them) refuse raw bytes above 0x7F in
 * a header value, so a UTF-8 value (a Chinese file name) is served percent-encoded.
 */
function toWire(value: string): string {
  return /[^\u0000-\u007f]/.test(value) ? value.replace(/[^\u0000-\u007f]+/g, (m) => encodeURIComponent(m)) : value;
}

function page(domain: string, fragment: string): string {
  if (/<html[\s>]/i.test(fragment)) return fragment;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${domain}</title></head><body>\n${fragment}\n</body></html>`;
}

function addCapture(b: Builder, c: Capture, domain: string): void {
  const www = `www.${domain}`;
  const host = originalHost(c);
  const orig = host ? getDomain(host, { allowPrivateDomains: false }) : null;
  const zone = (b.world.zones[domain] ??= []);
  let wwwCname: string | null = null;
  const site: WorldSite = { tls: { ca: 'capture-ca', names: [domain, www] }, http: { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page(domain, '<p>ok</p>') } };
  switch (c.kind) {
    case 'headers': {
      const headers: Record<string, string | string[]> = {};
      for (const [name, joined] of c.headers) {
        if (FRAMING.has(name)) continue;
        // A HAR joins a repeated header (Set-Cookie, Server-Timing) with newlines; no header line may carry one.
        for (const value of joined.split(/\r?\n/)) {
          const v = toWire(rehomeUrls(value.trim(), host, domain));
          if (v === '') continue;
          const prev = headers[name];
          headers[name] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
        }
      }
      const status = c.status !== undefined && c.status >= 200 && c.status < 600 && (c.status < 300 || c.status >= 400) ? c.status : 200;
      // 204 and 304 carry no body: a client would take one as a protocol error.
      site.http = status === 204 || status === 304 ? { status, headers } : { status, headers, body: page(domain, '<p>ok</p>') };
      break;
    }
    case 'html':
      site.http!.body = page(domain, rehomeUrls(c.html, host, domain));
      break;
    case 'issuer': {
      const subject: Record<string, string> = {};
      for (const part of c.issuer.split(/\/(?=[A-Za-z.0-9]{1,30}=)/)) {
        const eq = part.indexOf('=');
        if (part === '' || eq < 1) continue;
        subject[part.slice(0, eq)] = part.slice(eq + 1);
      }
      const id = `ca-${c.id.replace(/[^a-z0-9-]+/gi, '-')}`;
      b.world.cas.push({ id, issuer: 'capture-root', subject });
      site.tls = { ca: id, names: [domain, www] };
      break;
    }
    case 'dns': {
      const data = rehomeNames(c.data, orig, domain);
      const target = (s: string) => s.trim().split(/\s+/).pop()!.replace(/\.$/, '').toLowerCase();
      // A service name keeps its place under the company's domain: the labels up to the last one
      // starting with "_" (_dmarc, selector1._domainkey, _amazonses, _vercel), or a well-known
      // fixed service label (autodiscover, asuid, zendeskverification); the scanner asks some of
      // them by name. The host it serves, and ordinary host names, collapse onto the apex or www.
      const labels = orig && c.name.endsWith(`.${orig}`) ? c.name.slice(0, -(orig.length + 1)).split('.') : [];
      const lastUnderscore = labels.map((l) => l.startsWith('_')).lastIndexOf(true);
      const service = lastUnderscore >= 0 ? labels.slice(0, lastUnderscore + 1).join('.') : labels[0] !== undefined && SERVICE_LABELS.has(labels[0]) ? labels[0] : null;
      if (c.type === 'NS') {
        zone.push(`@ NS ${target(data)}.`);
        b.resolvable(target(data));
      } else if (c.type === 'MX') {
        // DNS-as-code files often keep the preference in its own field: a bare host is preference 10.
        const parts = data.trim().split(/\s+/);
        const [pref, host] = parts.length === 1 && !/^\d+$/.test(parts[0]!) ? ['10', parts[0]] : parts;
        zone.push(`@ MX ${Number(pref) || 0} ${target(host ?? '.')}.`);
        b.resolvable(target(host ?? '.'));
      } else if (c.type === 'TXT') zone.push(`${service ?? '@'} TXT ${quoteTxt(data)}`);
      else if (c.type === 'CAA') zone.push(`@ CAA ${data}`);
      else if (c.type === 'CNAME' && service) {
        zone.push(`${service} CNAME ${target(data)}.`);
        b.resolvable(target(data));
      } else if (c.type === 'CNAME') {
        // The scanner follows the apex and www: a CNAME at the apex (flattened ALIAS) or at another
        // of the company's host names is served at www, where a CNAME is legal.
        wwwCname = target(data);
        b.resolvable(wwwCname);
      }
      break;
    }
  }
  // Name servers of its own, unless the capture is the NS record.
  if (!zone.some((l) => l.startsWith('@ NS '))) zone.push(`@ NS ns1.${domain}.`, `ns1 A ${b.address(`ns1.${domain}`)}`);
  const apexAddress = b.address(domain);
  zone.push(`@ A ${apexAddress}`);
  if (wwwCname) zone.push(`www CNAME ${wwwCname}.`);
  else zone.push(`www A ${b.address(www)}`);
  b.world.sites[domain] = { tls: site.tls!, http: { status: 301, headers: { location: `https://${www}/` } } };
  b.world.sites[www] = site; // served by name (SNI, Host), whichever address DNS led to
}

/** The synthetic company domain of the n-th capture (1-based): neutral, so no rule matches its name. */
export function captureDomain(n: number): string {
  return `rc${String(n).padStart(4, '0')}.com`;
}

export function buildCaptureWorld(captures: Capture[], description = 'Real captures (fixtures/real): each capture is the only signal of one synthetic company.'): { world: World; labels: CaptureLabels } {
  const b = new Builder();
  b.world.description = description;
  captures.forEach((c, i) => {
    const domain = captureDomain(i + 1);
    b.labels.sources[domain] = c.id;
    b.world.domains.push(domain);
    addCapture(b, c, domain);
    const want: Partial<Record<Category, string[]>> = {};
    for (const e of c.expect) {
      const list = (want[e.category] ??= []);
      if (!list.includes(e.company)) list.push(e.company);
    }
    b.labels.domains[domain] = want;
  });
  return { world: b.world, labels: b.labels };
}
