// What the schema cannot say: which category each rule kind may attribute (the classifier reads
// the same table, so a rule lint accepts is never misplaced at scan time), companies stored once
// and referenced by id, and bounded patterns.
import { SOFTWARE_CATEGORIES, type Category } from '../types.js';
import type { Company, RuleKind, VendorEntry } from './types.js';
import { patternProblem } from './pattern.js';
import { compileOrgPattern } from './asorg.js';

const PAGE: readonly Category[] = ['cms', 'analytics', 'assets', 'saas'];

/**
 * The categories a rule of each kind can prove. DNS delegations prove DNS, MX mail (or, for a sender's bounce
 * MX, the sender), tokens and SPF senders and DMARC report addresses SaaS, DKIM keys and autodiscover the mail platform (or a
 * sender), CAA the CAs it authorises; the company's own host names, responses and networks (AS numbers and
 * organisation names) prove its host, CDN or CMS; what a
 * page loads proves its CMS, an analytics account, a SaaS — or is merely an asset.
 * vendors.schema.json carries the same table (test/vendors/semantics.test.ts keeps them equal).
 */
export const RULE_CATEGORIES: Readonly<Record<RuleKind, readonly Category[]>> = {
  ns: ['dns'],
  soa: ['dns'],
  mx: ['email', 'saas'], // saas: a sender's bounce host as the MX of its MAIL FROM domain (Amazon SES feedback-smtp)
  cname: ['hosting', 'cdn', 'cms'],
  spf: ['saas', 'email'],
  txt: ['saas'],
  dkim: ['email', 'saas'],
  autodiscover: ['email'],
  dmarc: ['saas'],
  caa: ['certificate'],
  asn: ['hosting', 'cdn'],
  asorg: ['hosting', 'cdn'],
  issuer: ['certificate'],
  header: ['hosting', 'cdn', 'cms'],
  cookie: ['hosting', 'cdn', 'cms'],
  generator: PAGE,
  script: PAGE,
  link: PAGE,
  url: PAGE,
  html: PAGE,
  'analytics-id': PAGE,
};

/** Whether a rule of this kind may attribute this category (the classifier drops anything else). */
export function kindProves(kind: RuleKind, category: Category): boolean {
  return RULE_CATEGORIES[kind].includes(category);
}

export interface SourcedCompany {
  file: string;
  company: Company;
  /** Inline in an overlay's vendor entry (the older format): no source required. */
  inline?: boolean;
}

/** A company name compared loosely: two ids for "Qihoo 360" and "Qihoo-360" are one company. */
function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export function companyProblems(companies: SourcedCompany[]): string[] {
  const out: string[] = [];
  const byId = new Map(companies.map((c) => [c.company.id, c]));
  const byName = new Map<string, SourcedCompany>();
  for (const c of companies) {
    const at = `${c.file}: company ${c.company.id}`;
    if (!c.inline && !c.company.source) out.push(`${at}: source: required (where the name and country come from)`);
    if (!c.inline && c.company.parent !== undefined && !byId.has(c.company.parent)) out.push(`${at}: parent: no company '${c.company.parent}'`);
    if (c.company.parent === c.company.id) out.push(`${at}: parent: a company cannot own itself`);
    const key = nameKey(c.company.name);
    const prev = byName.get(key);
    if (prev && prev.company.id !== c.company.id) out.push(`${at}: name: '${c.company.name}' is already company ${prev.company.id} (${prev.file}); store a company once`);
    else byName.set(key, c);
  }
  return out;
}

/** The scanner asks every DKIM selector and TXT service name the rules mention, plus autodiscover: a dozen queries a domain. */
export const MAX_EXTRA_NAMES = 11;

/** What a page or a response of the site's own host shows: all that can find self-hosted software. */
export const SOFTWARE_RULE_KINDS: readonly RuleKind[] = ['header', 'cookie', 'generator', 'script', 'link', 'url', 'html'];

/**
 * `software: true` says no company serves the site through this brand: only a CMS or analytics
 * (types.ts SOFTWARE_CATEGORIES) can be that, found on the site's pages. A CNAME or an address in
 * the vendor's network would prove a hosted service instead.
 */
function softwareProblems(at: string, entry: VendorEntry): string[] {
  if (!entry.software) return [];
  const out: string[] = [];
  if (entry.categories.length !== 1 || !SOFTWARE_CATEGORIES.includes(entry.categories[0]!)) out.push(`${at}: software: only one of ${SOFTWARE_CATEGORIES.join(', ')} can be self-hosted software (categories: ${entry.categories.join(', ')})`);
  entry.rules.forEach((rule, i) => {
    if (!SOFTWARE_RULE_KINDS.includes(rule.kind)) out.push(`${at}: rules[${i}].kind: a ${rule.kind} rule proves a service, not self-hosted software (software: true allows ${SOFTWARE_RULE_KINDS.join(', ')})`);
  });
  return out;
}

export function semanticProblems(entries: { file: string; entry: VendorEntry }[]): string[] {
  const out: string[] = [];
  const asked = new Set(entries.flatMap(({ entry }) => entry.rules.flatMap((r) => (r.kind === 'dkim' ? [`${r.selector}._domainkey`] : r.kind === 'txt' && r.name !== undefined ? [r.name] : []))));
  if (asked.size > MAX_EXTRA_NAMES) out.push(`dkim selectors and txt names come to ${asked.size} names (${[...asked].sort().join(', ')}); at most ${MAX_EXTRA_NAMES}, each one is a DNS query per domain`);
  const byId = new Map(entries.map(({ entry }) => [entry.id, entry]));
  for (const { file, entry } of entries) {
    const at = `${file}: vendor ${entry.id}`;
    out.push(...softwareProblems(at, entry));
    if (entry.hostedPlatform === true && !(entry.categories.includes('cms') && entry.categories.includes('hosting'))) {
      out.push(`${at}: hostedPlatform: a hosted platform lists both 'cms' and 'hosting' in its categories`);
    }
    for (const id of entry.supersedes ?? []) {
      const other = byId.get(id);
      if (!other) out.push(`${at}: supersedes: no vendor '${id}'`);
      else if (id === entry.id || !other.categories.some((c) => entry.categories.includes(c))) out.push(`${at}: supersedes: '${id}' shares no category with it`);
    }
    entry.rules.forEach((rule, i) => {
      if ('offsite' in rule && rule.offsite === true && rule.category !== 'cms') {
        out.push(`${at}: rules[${i}].offsite: only a cms rule is limited to the site's own hosts; drop offsite`);
      }
      if (!entry.categories.includes(rule.category)) {
        out.push(`${at}: rules[${i}].category: '${rule.category}' is not in the vendor's categories (${entry.categories.join(', ')})`);
      }
      if (!kindProves(rule.kind, rule.category)) {
        out.push(`${at}: rules[${i}].category: a ${rule.kind} rule cannot attribute '${rule.category}' (it can: ${RULE_CATEGORIES[rule.kind].join(', ')})`);
      }
      if ('pattern' in rule && typeof rule.pattern === 'string') {
        const p = patternProblem(rule.pattern) ?? (rule.kind === 'asorg' ? unicodeProblem(rule.pattern) : null);
        if (p) out.push(`${at}: rules[${i}].pattern: ${p}`);
      }
    });
  }
  return out;
}

/** asorg patterns compile with the u flag (whole-word lookarounds use Unicode scripts), which is stricter on escapes. */
function unicodeProblem(pattern: string): string | null {
  try {
    compileOrgPattern(pattern);
    return null;
  } catch (e) {
    return `does not compile with the u flag: ${e instanceof Error ? e.message : String(e)}`;
  }
}
