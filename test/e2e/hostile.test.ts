// Hostile strings (issue 8): a site whose title, headers, certificate issuer, TXT records and AS
// name carry terminal escapes, BEL, bidi overrides, NULs, 10 KB lengths and spreadsheet formulas.
// No text format may pass them to a terminal or a spreadsheet unneutralised; JSON stays valid.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Observation, Result } from '../../src/types.js';
import type { World } from '../../src/world/types.js';
import { BIN, cli, tempDir, writeWorld } from './helpers.js';

function run(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** OSC 8 hyperlink, BEL, CSI colour, bidi override, NUL: what a terminal would act on; and format characters (Cf) that reorder or hide text. */
const ESCAPES = '\u001b]8;;http://evil\u0007click\u001b]8;;\u0007\u001b[31m red \u0007 bel \u202eevil-rtl\u0000nul \u061calm\u200bzw\u2066iso\ufeffbom';
const SCRIPT = '<script>alert(1)</script>';
const BIG = 'x'.repeat(10 * 1024);
/** Spreadsheet formulas, one per leading character a spreadsheet runs. */
const FORMULAS = ['=HYPERLINK("http://evil","x")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)'];
const RAW_BAD = ['\u001b', '\u0007', '\u0000', '\u202e', '\u061c', '\u200b', '\u2066', '\ufeff'];

/** Zone-file presentation of a TXT string: every byte outside printable ASCII as \DDD. */
function zoneTxt(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${String(b).padStart(3, '0')}`;
  return `"${out}"`;
}

/** A string's UTF-8 bytes as latin1 chars: what node:http puts on the wire byte for byte. */
const bytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

const DOMAINS = FORMULAS.map((_, i) => `evil${i}.test`);

function hostileWorld(): World {
  const zones: World['zones'] = { 'alidns.com': ['ns1 A 127.37.0.53'] };
  const sites: NonNullable<World['sites']> = {};
  const cas: NonNullable<World['cas']> = [];
  const asns: NonNullable<World['asns']> = [{ asn: 37963, name: 'ALIBABA-CN-NET', country: 'CN', prefixes: ['127.37.0.0/16'] }];
  DOMAINS.forEach((d, i) => {
    const formula = FORMULAS[i]!;
    // Each domain its own network and CA, whose names start with a formula and carry the escapes.
    asns.push({ asn: 64512 + i, name: `${formula} ${ESCAPES} ${SCRIPT}${i === 0 ? BIG : ''}`, country: 'ZZ', prefixes: [`127.200.${i}.0/24`] });
    cas.push({ id: `ca${i}`, subject: { O: `${formula} ${ESCAPES} ${SCRIPT}`, CN: `${formula}${i === 1 ? BIG : ''}`, C: 'ZZ' } });
    zones[d] = [
      '@ NS ns1.alidns.com.',
      `@ MX 10 ${formula.replace(/[^a-z0-9]/gi, '').toLowerCase() || 'mx'}.${d}.`,
      `@ TXT ${zoneTxt(`v=spf1 include:${formula} ${ESCAPES} -all`)}`,
      `@ TXT ${zoneTxt(`${formula}${ESCAPES}${SCRIPT}`)}`,
      `@ TXT ${zoneTxt(BIG.slice(0, 4000))}`,
      `@ A 127.200.${i}.10`,
    ];
    sites[d] = {
      tls: { ca: `ca${i}` },
      http: {
        status: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          // node:http sends header strings as latin1 and refuses C0 controls: a server sending
          // UTF-8 bytes (a bidi override) is written as those bytes, read back as latin1 (C1 controls).
          server: `${formula} ${bytes('\u202e')} ${SCRIPT} ${BIG}`,
          'x-powered-by': formula,
          'set-cookie': [`${formula}=1; Path=/`, `a=${bytes('\u202e')}${SCRIPT}; Path=/`],
        },
        body: `<html><head><title>${formula}${ESCAPES}&lt;script&gt;${BIG}</title><meta name="generator" content="${formula} ${ESCAPES}"></head><body>${SCRIPT}</body></html>`,
      },
    };
  });
  return { world: 1, description: 'hostile strings (test/e2e/hostile.test.ts)', asns, cas, zones, sites };
}

describe('hostile strings reach no terminal or spreadsheet unneutralised', () => {
  const out: Record<string, string> = {};
  let raw = '';

  beforeAll(async () => {
    const dir = tempDir();
    const world = writeWorld(dir, hostileWorld());
    // The list is hostile too: an input column of formulas and escapes.
    const list = path.join(dir, 'list.csv');
    writeFileSync(list, 'domain,entity\n' + DOMAINS.map((d, i) => `${d},"${FORMULAS[i]!.replace(/"/g, '""')} ${ESCAPES}"`).join('\n') + '\n');
    const rawFile = path.join(dir, 'raw.ndjson');
    const base = ['scan', list, '--world', world, '--quiet', '--timeout', '30'];
    // Three scans at once (each starts its own world); the other formats re-render the JSON
    // through the same renderers with `report`.
    const [json, table, csv] = await Promise.all([
      run([...base, '--format', 'json', '--raw', rawFile]),
      run([...base, '--format', 'table'], { COLUMNS: '100' }),
      run([...base, '--format', 'csv']),
    ]);
    for (const [name, r] of Object.entries({ json, table, csv })) {
      if (r.status !== 0) throw new Error(`scan --format ${name} exited ${r.status}: ${r.stderr}`);
      out[name] = r.stdout;
      out[`${name}:err`] = r.stderr;
    }
    raw = readFileSync(rawFile, 'utf8');
    const results = path.join(dir, 'results.json');
    writeFileSync(results, json.stdout);
    for (const [name, args] of Object.entries({ tsv: ['--format', 'tsv'], markdown: ['--format', 'markdown'], html: ['--format', 'html'], 'csv-long': ['--format', 'csv', '--long'], 'table-provider': ['--format', 'table', '--by', 'provider'] })) {
      const x = cli(['report', results, ...args]);
      if (x.status !== 0) throw new Error(`report ${args.join(' ')} exited ${x.status}: ${x.stderr}`);
      out[name] = x.stdout;
      out[`${name}:err`] = x.stderr;
    }
  }, 120_000);

  it('the hostile strings got as far as the results (so the checks below mean something)', () => {
    const results = JSON.parse(out.json!) as Result[];
    expect(results.map((r) => r.domain)).toEqual(DOMAINS);
    const text = JSON.stringify(results);
    expect(text).toContain('\\u001b]8;;http://evil\\u0007');
    expect(text).toContain('HYPERLINK');
    const observations = raw.trim().split('\n').map((l) => JSON.parse(l) as Observation);
    const o = observations.find((x) => x.domain === 'evil0.test')!;
    expect(o.http[0]?.html?.title).toContain('\u001b]8;;http://evil');
    expect(o.http[0]?.headers.map(([k]) => k)).toContain('set-cookie');
    expect(o.dns.txt.join(' ')).toContain('\u202e');
  });

  const TEXT_FORMATS = ['table', 'table-provider', 'csv', 'csv-long', 'tsv', 'markdown'];

  it('no text format carries ESC, BEL, NUL, a bidi override or any other control', () => {
    // C0 except tab/CR/LF, DEL, C1, bidi embeddings, overrides and isolates, line/paragraph separators.
    const unsafe = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u;
    for (const f of TEXT_FORMATS) {
      const text = out[f]!;
      expect(text.length, f).toBeGreaterThan(0);
      for (const c of RAW_BAD) expect(text.includes(c), `${f} contains U+${c.codePointAt(0)!.toString(16)}`).toBe(false);
      expect(unsafe.exec(text)?.[0], f).toBeUndefined();
      expect(unsafe.exec(out[`${f}:err`] ?? '')?.[0], `${f} stderr`).toBeUndefined();
    }
    // The escapes are shown, not dropped: a reader can see the site tried something.
    expect(out.csv).toContain('\\x1b]8;;http://evil');
  });

  it('the table fits the terminal width however long the strings', () => {
    for (const line of out.table!.split('\n')) expect([...line].length, line.slice(0, 80)).toBeLessThanOrEqual(100);
  });

  it('no CSV or TSV cell starts a formula unless neutralised with a quote', () => {
    const checked: string[] = [];
    for (const f of ['csv', 'csv-long', 'tsv']) {
      const rows = f === 'tsv' ? out[f]!.split('\r\n').filter(Boolean).map((l) => l.split('\t')) : parseCsv(out[f]!);
      expect(rows.length, f).toBe(f === 'csv-long' ? rows.length : DOMAINS.length + 1);
      const width = rows[0]!.length;
      for (const row of rows) {
        expect(row.length, `${f}: ${row.join('|').slice(0, 80)}`).toBe(width);
        for (const cell of row) {
          expect(/^[=+\-@\t\r]/.test(cell), `${f} cell ${cell.slice(0, 60)}`).toBe(false);
          if (/^'[=+\-@]/.test(cell)) checked.push(cell);
        }
      }
    }
    // Every formula arrived and was neutralised (entity column and certificate issuer at least).
    for (const formula of FORMULAS) expect(checked.some((c) => c.startsWith(`'${formula}`)), formula).toBe(true);
  });

  it('JSON stays valid JSON with the strings escaped, not altered', () => {
    for (const text of [out.json!, raw]) {
      for (const c of RAW_BAD) expect(text.includes(c)).toBe(false);
    }
    const results = JSON.parse(out.json!) as Result[];
    const cert = results[0]!.services.certificate[0]!;
    expect(cert.vendorName).toContain(ESCAPES);
    expect(String(results[0]!.input.entity)).toBe(`${FORMULAS[0]} ${ESCAPES}`);
    for (const line of raw.trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('HTML has no markup from the data: only its own two script elements, controls escaped', () => {
    const html = out.html!;
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    // The data's <script> is there, as text: escaped in the table or \u003c in the evidence JSON.
    expect(html.includes('&lt;script&gt;alert(1)') || html.includes('\\u003cscript>alert(1)')).toBe(true);
    for (const c of RAW_BAD) expect(html.includes(c)).toBe(false);
  });
});

/** RFC 4180: quoted fields with doubled quotes, CRLF rows; enough to check every cell. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    }
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

