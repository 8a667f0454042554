// Domain lists: .txt (one domain or URL a line, # comments), .csv (a "domain" column; other
// columns are carried into each Result's input), stdin, or command-line arguments.
// A bad line costs only itself: it becomes a problem naming FILE:LINE and the reason.
import { readFile } from 'node:fs/promises';
import type { InputInfo } from '../types.js';
import { parseCsv } from './csv.js';
import { normalizeDomain } from './normalize.js';

export interface DomainEntry {
  domain: string;
  unicode?: string;
  input: InputInfo;
}

export interface InputProblem {
  file: string;
  line: number;
  reason: string;
  text: string;
  /** Duplicates are warnings: the domain is still scanned, once. */
  duplicate?: boolean;
}

export interface DomainList {
  entries: DomainEntry[];
  problems: InputProblem[];
}

/** Largest list file read, so a wrong path (a disk image, a log) fails fast instead of eating memory. */
export const MAX_LIST_BYTES = 256 * 1024 * 1024;

export function parseDomainList(text: string, file: string, kind: 'txt' | 'csv' | 'auto' = 'auto'): DomainList {
  const k = kind === 'auto' ? sniffKind(file, text) : kind;
  return k === 'csv' ? parseCsvList(text, file) : parseTxtList(text, file);
}

function sniffKind(file: string, text: string): 'txt' | 'csv' {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.txt$/i.test(file)) return 'txt';
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  return /(^|,)\s*"?domain"?\s*(,|$)/i.test(first) && first.includes(',') ? 'csv' : 'txt';
}

function parseTxtList(text: string, file: string): DomainList {
  const list = new ListBuilder(file);
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    // Full-line comments, and trailing " # comments".
    // dotAll: without it `.` stops at U+2028 and the search turns quadratic on " # # # …\u2028".
    const content = raw.replace(/(^|\s)#.*$/s, '').trim();
    if (content === '') return;
    list.add(content, i + 1, {});
  });
  return list.result();
}

function parseCsvList(text: string, file: string): DomainList {
  const list = new ListBuilder(file);
  const { records, error } = parseCsv(text);
  const nonEmpty = records.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''));
  const header = nonEmpty[0];
  if (!header) return list.result();
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const col = names.indexOf('domain');
  if (col < 0) {
    list.problem(header.line, "CSV header has no 'domain' column", header.fields.join(','));
    return list.result();
  }
  for (const rec of nonEmpty.slice(1)) {
    if (rec.fields[0]?.trim().startsWith('#')) continue;
    const columns: Record<string, string> = {};
    names.forEach((name, i) => {
      if (i !== col && name !== '' && name !== 'line' && name !== 'file') columns[name] = rec.fields[i] ?? '';
    });
    list.add(rec.fields[col] ?? '', rec.line, columns);
  }
  if (error) list.problem(error.line, error.reason, '');
  return list.result();
}

class ListBuilder {
  private readonly entries: DomainEntry[] = [];
  private readonly problems: InputProblem[] = [];
  private readonly seen = new Map<string, number>();

  constructor(private readonly file: string) {}

  add(text: string, line: number, columns: Record<string, string>): void {
    const n = normalizeDomain(text);
    if (!n.ok) {
      this.problem(line, n.reason, text);
      return;
    }
    const first = this.seen.get(n.domain);
    if (first !== undefined) {
      this.problems.push({ file: this.file, line, reason: `duplicate of line ${first}, scanned once`, text, duplicate: true });
      return;
    }
    this.seen.set(n.domain, line);
    const input: InputInfo = { line, ...columns };
    this.entries.push(n.unicode ? { domain: n.domain, unicode: n.unicode, input } : { domain: n.domain, input });
  }

  problem(line: number, reason: string, text: string): void {
    this.problems.push({ file: this.file, line, reason, text });
  }

  result(): DomainList {
    return { entries: this.entries, problems: this.problems };
  }
}

export async function readDomainFile(file: string, readStdin: () => Promise<string> = stdinText): Promise<DomainList> {
  if (file === '-') return parseDomainList(await readStdin(), '<stdin>');
  const text = await readFile(file, 'utf8');
  if (text.length > MAX_LIST_BYTES) throw new Error(`${file}: larger than ${MAX_LIST_BYTES} bytes`);
  return parseDomainList(text, file);
}

async function stdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_LIST_BYTES) throw new Error(`<stdin>: larger than ${MAX_LIST_BYTES} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Merge several lists (arguments, files, stdin) into one, deduplicating across them. Arguments
 * are their own "file" named `<args>` whose line is the argument's position.
 */
export function mergeLists(lists: DomainList[]): DomainList {
  const entries: DomainEntry[] = [];
  const problems: InputProblem[] = [];
  const seen = new Map<string, DomainEntry>();
  for (const l of lists) {
    problems.push(...l.problems);
    for (const e of l.entries) {
      const prev = seen.get(e.domain);
      if (prev) {
        problems.push({
          file: e.input.file ?? '<input>',
          line: e.input.line,
          reason: `duplicate of ${prev.input.file ?? '<input>'}:${prev.input.line}, scanned once`,
          text: e.domain,
          duplicate: true,
        });
        continue;
      }
      seen.set(e.domain, e);
      entries.push(e);
    }
  }
  return { entries, problems };
}
