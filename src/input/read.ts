// Domain lists: text (one domain or URL a line, # comments) or a table with a "domain" column
// (CSV, TSV, or semicolon-separated as Excel writes it in many locales; other columns are
// carried into each Result's input), from a file, stdin, or command-line arguments. A file is
// read by its content, whatever its name. A bad line costs only itself: it becomes a problem
// naming FILE:LINE and the reason.
import { readFile, stat } from 'node:fs/promises';
import { UsageError } from '../errors.js';
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

export type ListKind = 'txt' | 'csv' | 'auto';

export function parseDomainList(text: string, file: string, kind: ListKind = 'auto'): DomainList {
  const k: Sniffed = kind === 'auto' ? sniffKind(file, text) : kind === 'csv' ? { kind: 'csv', delimiter: ',' } : { kind: 'txt' };
  return k.kind === 'csv' ? parseCsvList(k.sep !== undefined ? blankLine(text, k.sep) : text, file, k.delimiter) : parseTxtList(text, file);
}

type Sniffed = { kind: 'txt' } | { kind: 'csv'; delimiter: string; sep?: number };

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * By content: a first line (after comments) with a "domain" cell makes a table, its delimiter
 * the one that splits that cell out; Excel's `sep=;` line names it outright. Otherwise a .csv
 * or .tsv name still makes a table (so a missing column is reported), anything else text.
 */
function sniffKind(file: string, text: string): Sniffed {
  const lines = text.split(/\r\n|\n|\r/, 200);
  const at = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const first = (at >= 0 ? lines[at]! : '').replace(/^\ufeff/, '');
  const sep = /^"?sep=(.)"?\s*$/i.exec(first);
  if (sep && at >= 0) return { kind: 'csv', delimiter: sep[1]!, sep: at };
  for (const d of DELIMITERS) {
    const cells = parseCsv(first, d).records[0]?.fields ?? [];
    if (cells.some((c) => c.trim().toLowerCase() === 'domain') && (cells.length > 1 || d === ',')) return { kind: 'csv', delimiter: d };
  }
  if (/\.tsv$/i.test(file)) return { kind: 'csv', delimiter: '\t' };
  if (/\.csv$/i.test(file)) {
    // A header without a domain column: the delimiter it uses most, to name its columns.
    const count = (d: string) => first.split(d).length;
    return { kind: 'csv', delimiter: [...DELIMITERS].sort((a, b) => count(b) - count(a))[0]! };
  }
  return { kind: 'txt' };
}

/** The text with line `index` (0-based) emptied: line numbers stay those of the file. */
function blankLine(text: string, index: number): string {
  const parts = text.split(/(\r\n|\n|\r)/);
  parts[index * 2] = '';
  return parts.join('');
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

function parseCsvList(text: string, file: string, delimiter = ','): DomainList {
  const list = new ListBuilder(file);
  const { records, error } = parseCsv(text, delimiter);
  const nonEmpty = records.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''));
  // Comment lines before the header are skipped too.
  const start = nonEmpty.findIndex((r) => !r.fields[0]?.trim().startsWith('#'));
  const header = start >= 0 ? nonEmpty[start] : undefined;
  if (!header) return list.result();
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const col = names.indexOf('domain');
  if (col < 0) {
    list.problem(header.line, "CSV header has no 'domain' column", header.fields.join(delimiter));
    return list.result();
  }
  // A header naming a column twice: the first is kept (a header never repeats in our output either).
  const keep = names.map((name, i) => i !== col && name !== '' && name !== 'line' && name !== 'file' && names.indexOf(name) === i);
  names.forEach((name, i) => {
    if (name !== '' && names.indexOf(name) !== i) list.problem(header.line, `CSV header repeats column '${name}' (columns ${names.indexOf(name) + 1} and ${i + 1}); the first is kept`, header.fields.join(delimiter));
  });
  for (const rec of nonEmpty.slice(start + 1)) {
    if (rec.fields[0]?.trim().startsWith('#')) continue;
    const columns: Record<string, string> = {};
    names.forEach((name, i) => {
      if (keep[i]) columns[name] = rec.fields[i] ?? '';
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

export async function readDomainFile(file: string, readStdin: () => Promise<Buffer> = stdinBytes): Promise<DomainList> {
  if (file === '-') return parseBytes(await readStdin(), '<stdin>');
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? (e as Error).message})`);
  }
  if (info.isDirectory()) throw new UsageError(`${file}: a directory, not a list of domains (give a text file with one domain a line, or a CSV with a 'domain' column)`);
  if (info.size > MAX_LIST_BYTES) throw new UsageError(`${file}: larger than ${MAX_LIST_BYTES} bytes`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseBytes(bytes, file);
}

/**
 * Bytes → text: UTF-8 (a BOM is dropped), or UTF-16 with its BOM (Excel's "Unicode text"). A
 * file with NUL bytes is not a list; bytes that are not UTF-8 (a legacy ANSI export) are read
 * with replacement characters and reported on their line.
 */
export function parseBytes(bytes: Buffer, file: string): DomainList {
  let text: string;
  const problems: InputProblem[] = [];
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) throw new UsageError(`${file}: a ZIP archive (an Excel or OpenDocument workbook?), not a list of domains: save it as CSV (UTF-8)`);
    if (looksBinary(bytes)) throw new UsageError(`${file}: a binary file, not a list of domains`);
    text = new TextDecoder('utf-8').decode(bytes);
    if (text.includes('\ufffd') && !bytes.includes(Buffer.from('\ufffd'))) {
      const line = text.slice(0, text.indexOf('\ufffd')).split('\n').length;
      problems.push({ file, line, reason: 'not UTF-8 (save the list as UTF-8, e.g. Excel\'s "CSV UTF-8"): other columns may read wrong', text: '', duplicate: true });
    }
  }
  const list = parseDomainList(text.replace(/^\ufeff/, ''), file);
  return { entries: list.entries, problems: [...problems, ...list.problems] };
}

/**
 * Many control bytes (NUL and the like, not tab or line ends) at the start: an image, an archive,
 * a database. A list with a stray control character in a cell is still a list (and that cell is
 * neutralised on output).
 */
function looksBinary(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 8192);
  let controls = 0;
  for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) controls++;
  return head.length > 0 && controls / head.length > 0.1;
}

async function stdinBytes(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_LIST_BYTES) throw new UsageError(`<stdin>: larger than ${MAX_LIST_BYTES} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
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
