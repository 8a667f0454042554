// Real (AS number, organisation) pairs turned into a world and labels: each pair becomes the only
// signal of one synthetic company — its site's address lies in a prefix that AS announces, under
// that organisation name, as Team Cymru would answer — so scanning the world end to end and
// scoring it measures how hosting is attributed from networks. fixtures/asn/pairs.json holds pairs
// from the embedded database; `world from-asn-pairs` builds a world from any such file.
import { readFileSync } from 'node:fs';
import { CATEGORIES, type Category } from '../types.js';
import type { World } from './types.js';
import { InputError } from '../errors.js';

export class AsnPairsError extends InputError {
  override name = 'AsnPairsError';
  constructor(readonly problems: string[]) {
    super('ASN_PAIRS', problems.join('\n'));
  }
}

export interface AsnPair {
  asn: number;
  /** The organisation or AS name, as the source gives it. */
  name: string;
  /** Companies (vendor-data ids) a scan must name per category; none for a decoy. */
  labels: Partial<Record<Category, string[]>>;
  /** Why the pair is there (free text: "company", "decoy"…). */
  why?: string;
}

/** The labels `whoserves eval` reads (src/eval/score.ts LabelFile): company ids per category, per domain. */
export interface PairLabels {
  labels: 1;
  level: 'company';
  domains: Record<string, Partial<Record<Category, string[]>>>;
  sources: Record<string, string>;
}

/** Prefixes from 127.64.0.0 on, one /24 per pair: room for 16,384 pairs on loopback. */
const MAX_PAIRS = 16_384;
/** The registry country the Cymru answers carry: the database gives none, "ZZ" says unknown. */
const UNKNOWN_COUNTRY = 'ZZ';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export function parseAsnPairs(text: string, file: string): AsnPair[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new AsnPairsError([`${file}: invalid JSON: ${e instanceof Error ? e.message : String(e)}`]);
  }
  if (!isObject(data) || data.pairs !== 1 || !Array.isArray(data.items)) throw new AsnPairsError([`${file}: not a pairs file (expected {"pairs": 1, "items": [...]})`]);
  const problems: string[] = [];
  const items = data.items as unknown[];
  if (items.length > MAX_PAIRS) problems.push(`${file}: items: at most ${MAX_PAIRS} pairs, got ${items.length}`);
  const out: AsnPair[] = [];
  const names = new Map<number, { name: string; at: number }>();
  items.slice(0, MAX_PAIRS).forEach((p, i) => {
    const at = `${file}: items[${i}]`;
    if (!isObject(p)) return void problems.push(`${at}: expected an object`);
    if (!Number.isInteger(p.asn) || (p.asn as number) < 1 || (p.asn as number) > 4294967295) problems.push(`${at}.asn: expected an AS number, got ${JSON.stringify(p.asn)}`);
    if (typeof p.name !== 'string' || p.name.trim() === '' || p.name.length > 500) problems.push(`${at}.name: expected a non-empty name (at most 500 characters)`);
    const first = names.get(p.asn as number);
    if (first && first.name !== p.name) problems.push(`${at}.asn: AS${String(p.asn)} is already items[${first.at}] under another name (a world answers one name per AS)`);
    else if (!first) names.set(p.asn as number, { name: p.name as string, at: i });
    const labels = p.labels ?? {};
    if (!isObject(labels)) return void problems.push(`${at}.labels: expected an object of category → company ids`);
    for (const [k, v] of Object.entries(labels)) {
      if (!(CATEGORIES as readonly string[]).includes(k)) problems.push(`${at}.labels.${k}: not a category (${CATEGORIES.join(', ')})`);
      else if (!Array.isArray(v) || !v.every((c) => typeof c === 'string' && c !== '')) problems.push(`${at}.labels.${k}: expected an array of company ids`);
    }
    out.push({ asn: p.asn as number, name: p.name as string, labels: labels as AsnPair['labels'], ...(typeof p.why === 'string' ? { why: p.why } : {}) });
  });
  if (problems.length > 0) throw new AsnPairsError(problems);
  return out;
}

export function readAsnPairs(file: string): AsnPair[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AsnPairsError([`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`]);
  }
  return parseAsnPairs(text, file);
}

/** One synthetic company a pair: "as16509-0.com" at 127.64.0.1, in AS16509 named as the pair says. */
export function buildAsnPairsWorld(pairs: AsnPair[]): { world: World; labels: PairLabels } {
  const domains: string[] = [];
  const asns: NonNullable<World['asns']> = [];
  const zones: Record<string, string[]> = {};
  const world: World = { world: 1, description: "ASN/organisation pairs: each company's only signal is the network its address lies in", domains, asns, cas: [], zones, sites: {} };
  const labels: PairLabels = { labels: 1, level: 'company', domains: {}, sources: {} };
  pairs.forEach((p, i) => {
    const net = `127.${64 + (i >> 8)}.${i & 255}`;
    const domain = `as${p.asn}-${i}.com`;
    domains.push(domain);
    asns.push({ asn: p.asn, name: p.name, country: UNKNOWN_COUNTRY, prefixes: [`${net}.0/24`] });
    zones[domain] = [`@ A ${net}.1`];
    labels.domains[domain] = Object.fromEntries(Object.entries(p.labels).filter(([, v]) => v && v.length > 0));
    labels.sources[domain] = `AS${p.asn} ${p.name}${p.why ? ` (${p.why})` : ''}`;
  });
  return { world, labels };
}
