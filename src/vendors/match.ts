// The vendor rules compiled once into lookup structures. The classifier and the example
// checker (examples.ts) both go through these functions, so an example that passes lint
// behaves the same way in a scan.
import { getDomain } from 'tldts';
import type { Category } from '../types.js';
import type { Rule, RuleKind, VendorEntry } from './types.js';
import { requiredLiterals, topBranches } from './literal.js';
import { LiteralScan } from './literal-scan.js';
import { compileOrgFilter, compileOrgPattern, normalizeOrgName } from './asorg.js';

/** One rule that matched a value. */
export interface RuleHit {
  vendor: VendorEntry;
  rule: Rule;
  /** Index of the rule in the vendor's rules (for messages and example checks). */
  index: number;
  category: Category;
  confidence: number;
}

export type HostKind = 'ns' | 'mx' | 'cname' | 'spf' | 'soa-mname' | 'soa-rname' | 'autodiscover' | 'dmarc' | 'caa';
export type TextKind = 'generator' | 'script' | 'link' | 'url' | 'html' | 'analytics-id' | 'cookie';
export type IssuerField = 'O' | 'CN' | 'OU';

/** Default confidence per rule kind, used when a rule gives none. */
export const DEFAULT_CONFIDENCE: Record<RuleKind, number> = {
  ns: 0.95,
  soa: 0.6,
  mx: 0.95,
  cname: 0.95,
  spf: 0.8,
  txt: 0.9,
  dkim: 0.85,
  autodiscover: 0.85,
  dmarc: 0.8,
  // A CAA record authorises a CA; it does not show the certificate served.
  caa: 0.55,
  asn: 0.8,
  // A name rule is a little weaker than a number the company publishes.
  asorg: 0.75,
  issuer: 0.95,
  header: 0.85,
  cookie: 0.7,
  generator: 0.9,
  script: 0.8,
  link: 0.8,
  url: 0.7,
  html: 0.6,
  'analytics-id': 0.9,
};

interface RegexRule {
  re: RegExp;
  ref: Ref;
  /** Text one of which a matching value contains (literal.ts); undefined: always run the regex. */
  lits: string[] | undefined;
  /** The pattern starts `^(https?:)?\/\/`: only an absolute or scheme-relative URL can match. */
  absolute: boolean;
}

const ABSOLUTE_PATTERN = '^(https?:)?\\/\\/';
const ABSOLUTE_URL = /^(https?:)?\/\//i;

function regexRule(pattern: string, ref: Ref): RegexRule {
  return { re: new RegExp(pattern, 'i'), ref, lits: requiredLiterals(pattern), absolute: pattern.startsWith(ABSOLUTE_PATTERN) && topBranches(pattern).length === 1 };
}

/** Regex rules of one kind, with the scan that finds which of them a value may match. */
interface RuleList {
  rules: RegexRule[];
  scan: LiteralScan;
}

function ruleList(rules: RegexRule[]): RuleList {
  return { rules, scan: new LiteralScan(rules.map((r) => r.lits)) };
}

/**
 * The rules whose regex matches `value`, in rule order, cheap tests first: the rules one of whose
 * literals the value contains (most values, first-party URLs above all, contain none), then per
 * rule the URL shape and its regex.
 */
function matching(list: RuleList, value: string): Ref[] {
  let absolute: boolean | undefined;
  const out: Ref[] = [];
  for (const i of list.scan.candidates(value.toLowerCase())) {
    const r = list.rules[i]!;
    if (r.absolute && !(absolute ??= ABSOLUTE_URL.test(value))) continue;
    if (r.re.test(value)) out.push(r.ref);
  }
  return out;
}

/**
 * Answers per value, kept for the next domain that shows the same value (mail and DNS
 * providers' hosts, common script URLs): bounded, and emptied when full. Only what the rules
 * alone decide is kept (rule references, never the hits handed out).
 */
class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max = 5_000) {}
  get(key: string, make: () => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      v = make();
      if (this.map.size >= this.max) this.map.clear();
      this.map.set(key, v);
    }
    return v;
  }
}

/** Values longer than this (page excerpts) are matched afresh each time. */
const MEMO_MAX_VALUE = 1024;
interface Ref {
  vendor: VendorEntry;
  rule: Rule;
  index: number;
}

export interface Matchers {
  /** Host-suffix rules, matched on whole labels from the registrable domain downward. */
  host(kind: HostKind, host: string): RuleHit[];
  /** TXT rules at the apex, or at the service name `name`. */
  txt(value: string, name?: string): RuleHit[];
  /** DKIM rules of this selector: a suffix rule needs a matching host in the chain, a bare one any key or chain. */
  dkim(selector: string, chain: string[]): RuleHit[];
  asn(asn: number): RuleHit[];
  /** Organisation-name rules for an AS's organisation or AS name (normalised here: asorg.ts). */
  asorg(name: string): RuleHit[];
  /** The same for a name already normalised with normalizeOrgName. */
  asorgNormalized(key: string): RuleHit[];
  /** Issuer attribute rules; `root` selects the rules with root: true. */
  issuer(field: IssuerField, value: string, root: boolean): RuleHit[];
  header(name: string, value: string): RuleHit[];
  text(kind: TextKind, value: string): RuleHit[];
}

function hit(ref: Ref): RuleHit {
  return {
    vendor: ref.vendor,
    rule: ref.rule,
    index: ref.index,
    category: ref.rule.category,
    confidence: ref.rule.confidence ?? DEFAULT_CONFIDENCE[ref.rule.kind],
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Normalise a host name: lowercase, no trailing dot. */
export function normalizeHost(host: string): string {
  return trimDots(host.trim().toLowerCase());
}

/** `s` without trailing dots. A loop, not /\.+$/: that regex is quadratic on a long run of dots then another character. */
export function trimDots(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 46) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Registrable domain (Public Suffix List, ICANN section), or null for IPs and bare suffixes. */
export function registrableDomain(host: string): string | null {
  return getDomain(normalizeHost(host), { allowPrivateDomains: false, validateHostname: false });
}

/**
 * The candidate suffixes of a host, most specific first, stopping at the registrable domain:
 * "a.b.cloudfront.net" → ["a.b.cloudfront.net", "b.cloudfront.net", "cloudfront.net"].
 */
export function hostSuffixes(host: string): string[] {
  const h = normalizeHost(host);
  // No DNS name is longer (RFC 1035); a hostile "x.....!" of 24k empty labels made this loop quadratic.
  if (h.length > 253) return [h];
  const domain = registrableDomain(h);
  if (!domain) return h === '' ? [] : [h];
  const labels = h.split('.');
  const stop = domain.split('.').length;
  const out: string[] = [];
  for (let i = 0; i + stop <= labels.length; i++) out.push(labels.slice(i).join('.'));
  return out;
}

export function compileMatchers(vendors: VendorEntry[]): Matchers {
  const hosts = new Map<HostKind, Map<string, Ref[]>>();
  /** Host rules with a pattern, matched against the registrable domain when no suffix rule matched. */
  const hostPatterns = new Map<HostKind, { re: RegExp; ref: Ref }[]>();
  const txt: Ref[] = [];
  const dkim = new Map<string, Ref[]>();
  const asns = new Map<number, Ref[]>();
  const orgRefs: Ref[] = [];
  const issuers = new Map<string, RegexRule[]>();
  const headers = new Map<string, { re: RegExp | null; ref: Ref }[]>();
  const texts = new Map<TextKind, RegexRule[]>();

  for (const vendor of vendors) {
    vendor.rules.forEach((rule, index) => {
      const ref = { vendor, rule, index };
      switch (rule.kind) {
        case 'ns':
        case 'mx':
        case 'cname':
        case 'spf':
        case 'autodiscover':
        case 'dmarc':
        case 'caa': {
          if ('pattern' in rule && rule.pattern !== undefined) {
            push(hostPatterns, rule.kind, { re: new RegExp(`^(?:${rule.pattern})$`, 'i'), ref });
            break;
          }
          const m = hosts.get(rule.kind) ?? new Map<string, Ref[]>();
          hosts.set(rule.kind, m);
          push(m, rule.suffix, ref);
          break;
        }
        case 'soa': {
          const kind: HostKind = rule.field === 'mname' ? 'soa-mname' : 'soa-rname';
          const m = hosts.get(kind) ?? new Map<string, Ref[]>();
          hosts.set(kind, m);
          push(m, rule.suffix, ref);
          break;
        }
        case 'txt':
          txt.push(ref);
          break;
        case 'dkim':
          push(dkim, rule.selector, ref);
          break;
        case 'asn':
          for (const n of rule.asns) push(asns, n, ref);
          break;
        case 'asorg':
          orgRefs.push(ref);
          break;
        case 'issuer':
          push(issuers, `${rule.field}:${rule.root === true}`, regexRule(rule.pattern, ref));
          break;
        case 'header':
          push(headers, rule.name.toLowerCase(), { re: rule.pattern ? new RegExp(rule.pattern, 'i') : null, ref });
          break;
        default:
          push(texts, rule.kind, regexRule(rule.pattern, ref));
      }
    });
  }

  const issuerLists = new Map([...issuers].map(([k, v]) => [k, ruleList(v)]));
  const textLists = new Map([...texts].map(([k, v]) => [k, ruleList(v)]));
  const hostMemo = new Memo<Ref[]>();
  const textMemo = new Memo<Ref[]>();
  const NONE: Ref[] = [];
  // Compiled on first use: hundreds of Unicode-aware patterns that only an AS name needs.
  let orgs: { all: { re: RegExp; ref: Ref }[]; any: RegExp | null } | undefined;
  const orgMemo = new Memo<Ref[]>();
  const asorgNormalized = (key: string): RuleHit[] => {
    orgs ??= {
      all: orgRefs.map((ref) => ({ re: compileOrgPattern((ref.rule as { pattern: string }).pattern), ref })),
      any: compileOrgFilter(orgRefs.map((ref) => (ref.rule as { pattern: string }).pattern)),
    };
    const o = orgs;
    // A scan meets few AS names, each for many addresses.
    const refs = orgMemo.get(key, () => (key === '' || !o.any?.test(key) ? NONE : o.all.filter((r) => r.re.test(key)).map((r) => r.ref)));
    return refs.map(hit);
  };

  return {
    host(kind, host) {
      const m = hosts.get(kind);
      const patterns = hostPatterns.get(kind);
      if (!m && !patterns) return [];
      const refs = hostMemo.get(`${kind}\u0000${host}`, () => {
        const suffixes = hostSuffixes(host);
        // The most specific suffix with rules wins: "s3.amazonaws.com" over "amazonaws.com".
        for (const s of m ? suffixes : []) {
          const found = m!.get(s);
          if (found) return found;
        }
        const domain = patterns && suffixes.length > 0 ? registrableDomain(host) : null;
        return domain ? patterns!.filter((r) => r.re.test(domain)).map((r) => r.ref) : NONE;
      });
      return refs.map(hit);
    },
    txt(value, name) {
      return txt.filter((r) => r.rule.kind === 'txt' && r.rule.name === name && value.startsWith(r.rule.prefix ?? '')).map(hit);
    },
    dkim(selector, chain) {
      const refs = dkim.get(selector) ?? [];
      const suffixed = refs.filter((r) => r.rule.kind === 'dkim' && r.rule.suffix !== undefined && chain.some((h) => hostSuffixes(h).includes((r.rule as { suffix: string }).suffix)));
      if (suffixed.length > 0) return suffixed.map(hit);
      // A bare selector rule (Google's "google" key) only when the chain names nobody else.
      return chain.length === 0 ? refs.filter((r) => r.rule.kind === 'dkim' && r.rule.suffix === undefined).map(hit) : [];
    },
    asn(n) {
      return (asns.get(n) ?? []).map(hit);
    },
    asorg: (name) => asorgNormalized(normalizeOrgName(name)),
    asorgNormalized,
    issuer(field, value, root) {
      const list = issuerLists.get(`${field}:${root}`);
      return list ? matching(list, value).map(hit) : [];
    },
    header(name, value) {
      return (headers.get(name.toLowerCase()) ?? []).filter((r) => !r.re || r.re.test(value)).map((r) => hit(r.ref));
    },
    text(kind, value) {
      const list = textLists.get(kind);
      if (!list) return [];
      const refs = value.length > MEMO_MAX_VALUE ? matching(list, value) : textMemo.get(`${kind}\u0000${value}`, () => matching(list, value));
      return refs.map(hit);
    },
  };
}

// ------------------------------------------------------------ parsing of signal values

/** `include:` and `redirect=` targets of an SPF record, lowercase. */
export function spfTargets(record: string): { mechanism: string; target: string }[] {
  if (!/^v=spf1(\s|$)/i.test(record.trim())) return [];
  const out: { mechanism: string; target: string }[] = [];
  for (const term of record.trim().split(/\s+/).slice(0, 50)) {
    const m = /^[+~?-]?(include):(.+)$/i.exec(term) ?? /^(redirect)=(.+)$/i.exec(term);
    if (m && m[1] && m[2]) out.push({ mechanism: m[1].toLowerCase(), target: normalizeHost(m[2]) });
  }
  return out;
}

/** Domains (and local parts) of the report addresses of a DMARC record: rua=/ruf= mailto: URIs, lowercase. */
export function dmarcTargets(record: string): { tag: string; target: string; local: string }[] {
  if (!/^v=DMARC1\s*(;|$)/i.test(record.trim())) return [];
  const out: { tag: string; target: string; local: string }[] = [];
  for (const part of record.split(';').slice(0, 30)) {
    const m = /^\s*(rua|ruf)\s*=\s*(.*)$/i.exec(part);
    if (!m || !m[1] || m[2] === undefined) continue;
    for (const uri of m[2].split(',').slice(0, 10)) {
      const addr = /^\s*mailto:([^!\s]+)/i.exec(uri)?.[1];
      const at = addr?.lastIndexOf('@') ?? -1;
      if (addr && at > 0) out.push({ tag: m[1].toLowerCase(), target: normalizeHost(addr.slice(at + 1)), local: addr.slice(0, at).toLowerCase() });
    }
  }
  return out;
}

/** DMARC rules matching one report address: its domain, and its local part where a rule names one. */
export function dmarcHits(m: Matchers, address: { target: string; local: string }): RuleHit[] {
  return m.host('dmarc', address.target).filter((h) => h.rule.kind !== 'dmarc' || h.rule.local === undefined || h.rule.local === address.local);
}

/** The CA domain of a CAA issue/issuewild value ("letsencrypt.org; validationmethods=dns-01"), or null. */
export function caaIssuer(value: string): string | null {
  const d = normalizeHost(value.split(';', 1)[0] ?? '');
  return d === '' ? null : d;
}

/** "/C=US/O=Let's Encrypt/CN=R3" → { C: "US", O: "Let's Encrypt", CN: "R3" }. */
export function parseIssuer(slash: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of slash.split(/\/(?=[A-Za-z][A-Za-z0-9.]*=)/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** { C: "US", O: "Let's Encrypt", CN: "R3" } → "/C=US/O=Let's Encrypt/CN=R3". */
// The usual order of a distinguished name, so evidence reads the same whatever order the map's
// keys come in (a saved Observation has its keys sorted).
const DN_ORDER = ['C', 'ST', 'L', 'O', 'OU', 'CN'];
const dnRank = (k: string): number => {
  const i = DN_ORDER.indexOf(k);
  return i < 0 ? DN_ORDER.length : i;
};

export function formatIssuer(name: Record<string, string>): string {
  return Object.entries(name)
    .sort(([a], [b]) => dnRank(a) - dnRank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `/${k}=${v}`)
    .join('');
}

/** The cookie name of a Set-Cookie value: "name=value; Path=/" → "name". */
export function cookieName(setCookie: string): string {
  const first = setCookie.split(';', 1)[0] ?? '';
  const eq = first.indexOf('=');
  return (eq >= 0 ? first.slice(0, eq) : first).trim();
}

/** "Name: value" → ["name", "value"]. */
export function parseHeaderLine(line: string): [string, string] {
  const colon = line.indexOf(':');
  if (colon < 0) return [line.trim().toLowerCase(), ''];
  return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
}

/** All issuer rules of a certificate name: CN first, then OU, then O (most specific brand first). */
export const ISSUER_FIELDS: IssuerField[] = ['CN', 'OU', 'O'];

/** Match an issuer name against the issuer rules, keeping only the most specific field that matched. */
export function matchIssuer(m: Matchers, name: Record<string, string>, root: boolean): RuleHit[] {
  for (const field of ISSUER_FIELDS) {
    const value = name[field];
    if (value === undefined) continue;
    const hits = m.issuer(field, value, root);
    if (hits.length > 0) return hits;
  }
  return [];
}
