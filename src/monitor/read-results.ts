// Read saved Results in any shape the tool writes: a JSON array, a JSON object
// { meta, results } (scan --format json --meta), or ndjson (one Result a line, optionally
// preceded by a { "meta": ... } line). A half-written last ndjson line — a scan killed
// mid-write — is dropped with a warning; anything else malformed is an error naming FILE:LINE.
import { createReadStream } from 'node:fs';
import { UsageError } from '../errors.js';
import type { Result } from '../types.js';
import { readLines } from './lines.js';
import type { Scan, ScanMeta } from './meta.js';
import { checkMeta, checkResult, isObject } from './validate.js';

export interface ReadScan extends Scan {
  /** Things the reader tolerated (a dropped half-written last line); for stderr. */
  warnings: string[];
}

/** `file` may be '-' for stdin. Throws UsageError naming the file (and line) on bad input. */
export async function readResults(file: string): Promise<ReadScan> {
  const name = file === '-' ? '<stdin>' : file;
  const stream = file === '-' ? process.stdin : createReadStream(file);
  try {
    return await parse(name, stream);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${name}: ${code ?? (err as Error).message}`);
  }
}

async function parse(name: string, stream: AsyncIterable<Buffer | string>): Promise<ReadScan> {
  let mode: 'unknown' | 'json' | 'ndjson' = 'unknown';
  const json: string[] = [];
  const results: Result[] = [];
  const warnings: string[] = [];
  let meta: ScanMeta | undefined;
  let unparsed: { line: number; reason: string } | undefined; // a bad line, fatal unless it is the last
  let lines = 0;
  let lastTerminated = true;

  for await (const line of readLines(stream)) {
    lines = line.number;
    lastTerminated = line.terminated;
    if (mode === 'json') {
      json.push(line.text);
      continue;
    }
    const text = line.text.trim();
    if (text === '') continue;
    if (mode === 'unknown') {
      if (text.startsWith('[')) mode = 'json';
      else if (!text.startsWith('{')) throw new UsageError(`${name}:${line.number}: expected a JSON array, a JSON object or ndjson`);
      else {
        const first = tryParse(text);
        // A pretty-printed { meta, results } object starts with a line that is not JSON on its own.
        const whole = !first.ok || (isObject(first.value) && !('domain' in first.value) && 'results' in first.value);
        mode = whole ? 'json' : 'ndjson';
      }
      if (mode === 'json') {
        json.push(line.text);
        continue;
      }
    }
    if (unparsed) throw new UsageError(`${name}:${unparsed.line}: ${unparsed.reason}`);
    const parsed = tryParse(text);
    if (!parsed.ok) {
      unparsed = { line: line.number, reason: `not valid JSON (${parsed.message})` };
      continue;
    }
    const value = parsed.value;
    if (results.length === 0 && meta === undefined && isObject(value) && 'meta' in value && !('domain' in value)) {
      meta = at(name, line.number, () => checkMeta(value.meta));
      continue;
    }
    results.push(at(name, line.number, () => checkResult(value)));
  }

  if (mode === 'json') {
    const text = json.join('\n');
    const parsed = tryParse(text);
    if (!parsed.ok) {
      // One unterminated line that is not JSON: an ndjson file killed during its first write.
      if (lines === 1 && !lastTerminated && text.trimStart().startsWith('{')) {
        warnings.push(`${name}:1: dropped a half-written last line`);
        return { results, warnings };
      }
      throw new UsageError(`${name}${lineOf(text, parsed.message)}: not valid JSON (${parsed.message})`);
    }
    return { ...fromJson(name, parsed.value), warnings };
  }
  if (unparsed) warnings.push(`${name}:${unparsed.line}: dropped a half-written last line`);
  return meta ? { meta, results, warnings } : { results, warnings };
}

function fromJson(name: string, value: unknown): Scan {
  let list: unknown;
  let meta: ScanMeta | undefined;
  if (Array.isArray(value)) list = value;
  else if (isObject(value) && Array.isArray(value.results)) {
    list = value.results;
    if (value.meta !== undefined) meta = at(name, 0, () => checkMeta(value.meta));
  } else throw new UsageError(`${name}: expected an array of Results or an object with "results"`);
  const results = (list as unknown[]).map((item, i) => at(`${name}: result #${i + 1}`, 0, () => checkResult(item)));
  return meta ? { meta, results } : { results };
}

/** Runs a check, turning its reason into a UsageError that names where. */
function at<T>(where: string, line: number, check: () => T): T {
  try {
    return check();
  } catch (err) {
    throw new UsageError(`${where}${line > 0 ? `:${line}` : ''}: ${(err as Error).message}`);
  }
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function tryParse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, message: (err as Error).message.slice(0, 200) };
  }
}

/** ":LINE" from a JSON.parse message's "position N", when it gives one. */
function lineOf(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const pos = Number(m[1]);
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return `:${line}`;
}
