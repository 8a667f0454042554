// Sourced target lists shipped with the tool (fixtures/lists/NAME.json, format in
// ./list.schema.json), selectable by name: `whoserves scan --list NAME`, `whoserves lists`.
// A list entry says why the company is on the list; a domain is there only with the source that
// ties it to the company, and an entry without one says why (so a guess is never scanned).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AjvModule from 'ajv';
import { getDomain } from 'tldts';
import schema from './list.schema.json' with { type: 'json' };
import { InputError } from '../errors.js';
import { fromRoot } from '../paths.js';
import { normalizeDomain } from './normalize.js';
import type { DomainEntry, DomainList } from './read.js';

export interface Source {
  title: string;
  url: string;
  date?: string;
}

export interface ListEntry {
  entity: string;
  aliases?: string[];
  country: string;
  /** The Federal Register notice that added the entity (Entity List lists). */
  listing?: { fr?: string; document: string; date: string; source: Source; note?: string };
  why: Source[];
  domains: { domain: string; source: Source }[];
  noDomain?: string;
  note?: string;
}

export interface TargetList {
  list: 1;
  name: string;
  title: string;
  updated: string;
  description: string;
  notes?: string[];
  entries: ListEntry[];
}

/** Bad list name or file: the user's input, exit 2. */
export class ListError extends InputError {
  override name = 'ListError';
  constructor(message: string) {
    super('LIST', message);
  }
}

export const LIST_DIR = fromRoot('fixtures/lists');

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

const Ajv = AjvModule.default;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Names of the shipped lists, sorted. */
export function listNames(dir = LIST_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** The list called `name`; throws ListError naming the choices when there is none. */
export function loadList(name: string, dir = LIST_DIR): TargetList {
  const names = listNames(dir);
  if (!NAME.test(name) || !names.includes(name)) {
    throw new ListError(`--list: no list '${name}' (available: ${names.join(', ')}; see whoserves lists)`);
  }
  return readList(path.join(dir, `${name}.json`));
}

/** Reads and checks one list file; every problem is reported at once, naming the file. */
export function readList(file: string): TargetList {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ListError(`${file}: ${(err as Error).message}`);
  }
  const problems = listProblems(data, path.basename(file, '.json'));
  if (problems.length) throw new ListError(problems.map((p) => `${file}: ${p}`).join('\n'));
  return data as TargetList;
}

/** Schema and meaning: the name matches the file, every domain is a registrable domain, once. */
export function listProblems(data: unknown, fileName: string): string[] {
  if (!validate(data)) {
    return [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`))];
  }
  const list = data as unknown as TargetList;
  const out: string[] = [];
  if (list.name !== fileName) out.push(`name '${list.name}' differs from the file name '${fileName}'`);
  const seen = new Map<string, string>();
  list.entries.forEach((e, i) => {
    for (const { domain } of e.domains) {
      const where = `/entries/${i}/domains (${e.entity})`;
      const n = normalizeDomain(domain);
      if (!n.ok || n.domain !== domain) out.push(`${where}: '${domain}' is not a normalised domain${n.ok ? ` (write '${n.domain}')` : `: ${n.reason}`}`);
      else if (getDomain(domain) !== domain) out.push(`${where}: '${domain}' is not a registrable domain (its registrable domain is '${getDomain(domain) ?? 'none'}')`);
      const prev = seen.get(domain);
      if (prev !== undefined) out.push(`${where}: '${domain}' is also listed for ${prev}`);
      seen.set(domain, e.entity);
    }
  });
  return out;
}

/** What a notice is cited as: volume and page when known, else the FR document number. */
export function noticeLabel(e: ListEntry): string {
  if (!e.listing) return '';
  return e.listing.fr ?? `FR Doc. ${e.listing.document}`;
}

/**
 * The list as scan input. Each domain carries its entry's columns into the Results (entity, list,
 * country, notice, listed), like the columns of a CSV list; `line` is the entry's position.
 */
export function listDomains(list: TargetList): DomainList {
  const entries: DomainEntry[] = [];
  list.entries.forEach((e, i) => {
    for (const { domain } of e.domains) {
      const input = { line: i + 1, entity: e.entity, list: list.name, country: e.country, ...(e.listing ? { notice: noticeLabel(e), listed: e.listing.date } : {}) };
      entries.push({ domain, input });
    }
  });
  return { entries, problems: [] };
}

export interface ListSummary {
  name: string;
  title: string;
  updated: string;
  entries: number;
  domains: number;
  /** Entries left without a domain for lack of a source. */
  withoutDomain: number;
  sources: number;
}

export function summarize(list: TargetList): ListSummary {
  const urls = new Set<string>();
  for (const e of list.entries) {
    for (const s of [...e.why, ...(e.listing ? [e.listing.source] : []), ...e.domains.map((d) => d.source)]) urls.add(s.url);
  }
  return {
    name: list.name,
    title: list.title,
    updated: list.updated,
    entries: list.entries.length,
    domains: list.entries.reduce((n, e) => n + e.domains.length, 0),
    withoutDomain: list.entries.filter((e) => e.domains.length === 0).length,
    sources: urls.size,
  };
}
