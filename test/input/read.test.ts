import { describe, expect, it } from 'vitest';
import { mergeLists, parseDomainList } from '../../src/input/read.js';
import { parseCsv } from '../../src/input/csv.js';

describe('txt lists', () => {
  it('reads domains and URLs, skips comments and blanks, reports bad lines with their line', () => {
    const text = ['# Entity List 2019', 'hikvision.com', '', 'https://www.dahuasecurity.com/', 'bad..name  # a comment', '10.1.2.3', 'megvii.com # trailing comment'].join('\n');
    const list = parseDomainList(text, 'list.txt');
    expect(list.entries.map((e) => [e.domain, e.input.line])).toEqual([
      ['hikvision.com', 2],
      ['dahuasecurity.com', 4],
      ['megvii.com', 7],
    ]);
    expect(list.problems.map((p) => [p.line, p.reason])).toEqual([
      [5, 'empty label'],
      [6, 'an IP address, not a domain'],
    ]);
  });

  it('scans duplicates once and reports them as such', () => {
    const list = parseDomainList('a.com\nwww.a.com\nhttps://A.com/\n', 'l.txt');
    expect(list.entries.map((e) => e.domain)).toEqual(['a.com']);
    expect(list.problems.map((p) => [p.line, p.duplicate, p.reason])).toEqual([
      [2, true, 'duplicate of line 1, scanned once'],
      [3, true, 'duplicate of line 1, scanned once'],
    ]);
  });

  it('handles CRLF line endings', () => {
    expect(parseDomainList('a.com\r\nb.com\r\n', 'x.txt').entries.map((e) => e.input.line)).toEqual([1, 2]);
  });
});

describe('csv lists', () => {
  it('carries other columns into input', () => {
    const csv = 'Domain,entity,list\nhikvision.com,Hikvision,"Entity List 2019-10"\n"sensetime.com","SenseTime, Ltd.",Entity List 2019-10\n';
    const list = parseDomainList(csv, 'firms.csv');
    expect(list.entries).toEqual([
      { domain: 'hikvision.com', input: { line: 2, entity: 'Hikvision', list: 'Entity List 2019-10' } },
      { domain: 'sensetime.com', input: { line: 3, entity: 'SenseTime, Ltd.', list: 'Entity List 2019-10' } },
    ]);
  });

  it('reports a missing domain column on the header line', () => {
    const list = parseDomainList('name,entity\nx.com,X\n', 'bad.csv');
    expect(list.entries).toEqual([]);
    expect(list.problems[0]).toMatchObject({ file: 'bad.csv', line: 1, reason: "CSV header has no 'domain' column" });
  });

  it('keeps going after a bad row and names its line, even after a quoted newline', () => {
    const csv = 'domain,note\n"a.com","two\nlines"\nnot a domain,x\nb.com,y\n';
    const list = parseDomainList(csv, 'f.csv');
    expect(list.entries.map((e) => [e.domain, e.input.line])).toEqual([
      ['a.com', 2],
      ['b.com', 5],
    ]);
    expect(list.problems).toMatchObject([{ line: 4, reason: 'contains a space' }]);
  });

  it('sniffs CSV on stdin by its header', () => {
    expect(parseDomainList('domain,entity\nx.com,X\n', '<stdin>').entries[0]?.input).toEqual({ line: 2, entity: 'X' });
    expect(parseDomainList('x.com\ny.com\n', '<stdin>').entries).toHaveLength(2);
  });

  it('reports an unterminated quote', () => {
    expect(parseCsv('a,"b\n').error).toEqual({ line: 1, reason: 'unterminated quoted field' });
  });
});

describe('mergeLists', () => {
  it('dedupes across sources and keeps first-seen order', () => {
    const a = parseDomainList('x.com\ny.com\n', 'a.txt');
    const b = parseDomainList('y.com\nz.com\n', 'b.txt');
    const m = mergeLists([a, b]);
    expect(m.entries.map((e) => e.domain)).toEqual(['x.com', 'y.com', 'z.com']);
    expect(m.problems.filter((p) => p.duplicate)).toHaveLength(1);
  });
});

// Files are read by their content, whatever their name (issue 20): a .list of domains, a TSV, a
// semicolon CSV as Excel writes it in many locales, Excel's sep= line, UTF-16; directories and
// binary files are refused clearly; a header never carries a column twice.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { parseBytes, readDomainFile } from '../../src/input/read.js';
import { normalizeDomain } from '../../src/input/normalize.js';

describe('lists read by content', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'whoserves-read-'));
  const file = (name: string, content: string | Buffer) => {
    const f = path.join(dir, name);
    writeFileSync(f, content);
    return f;
  };

  it('reads a text list whatever its extension', async () => {
    const list = await readDomainFile(file('domains.list', 'hikvision.com\n# c\nmegvii.com\n'));
    expect(list.entries.map((e) => e.domain)).toEqual(['hikvision.com', 'megvii.com']);
  });

  it('reads a TSV, a semicolon CSV and a sep= line by their header', async () => {
    const tsv = await readDomainFile(file('tab.tsv', 'entity\tdomain\nHikvision\thikvision.com\n'));
    expect(tsv.entries).toEqual([{ domain: 'hikvision.com', input: { line: 2, entity: 'Hikvision' } }]);
    const semi = await readDomainFile(file('excel.csv', 'domain;entity;note\r\nsensetime.com;"SenseTime; Ltd.";a,b\r\n'));
    expect(semi.entries).toEqual([{ domain: 'sensetime.com', input: { line: 2, entity: 'SenseTime; Ltd.', note: 'a,b' } }]);
    const sep = await readDomainFile(file('sep.txt', 'sep=;\ndomain;entity\nmegvii.com;Megvii\n'));
    expect(sep.entries).toEqual([{ domain: 'megvii.com', input: { line: 3, entity: 'Megvii' } }]);
    // A header of one "domain" column is a table too.
    expect((await readDomainFile(file('one.dat', 'domain\nx.com\n'))).entries.map((e) => e.input.line)).toEqual([2]);
  });

  it('reads UTF-16 with its BOM (Excel\'s "Unicode text") and keeps CJK names', () => {
    const text = '\ufeffdomain\tentity\nbaidu.com\t百度\n';
    const list = parseBytes(Buffer.from(text, 'utf16le'), 'u16.txt');
    expect(list.entries).toEqual([{ domain: 'baidu.com', input: { line: 2, entity: '百度' } }]);
  });

  it('warns on bytes that are not UTF-8, naming the line, and still reads the list', () => {
    const list = parseBytes(Buffer.concat([Buffer.from('domain,entity\nbaidu.com,'), Buffer.from([0xb0, 0xd9, 0xb6, 0xc8]), Buffer.from('\n')]), 'gbk.csv');
    expect(list.entries.map((e) => e.domain)).toEqual(['baidu.com']);
    expect(list.problems).toMatchObject([{ file: 'gbk.csv', line: 2, reason: expect.stringMatching(/not UTF-8/) }]);
  });

  it('refuses a directory and a binary file, clearly', async () => {
    const d = path.join(dir, 'results');
    mkdirSync(d);
    await expect(readDomainFile(d)).rejects.toThrow(/results: a directory, not a list of domains/);
    await expect(readDomainFile(file('img.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])))).rejects.toThrow(/img\.png: a binary file, not a list of domains/);
    await expect(readDomainFile(path.join(dir, 'missing.txt'))).rejects.toThrow(/missing\.txt: no such file/);
    await expect(readDomainFile(file('firms.xlsx', Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000', 'latin1')))).rejects.toThrow(/firms\.xlsx: a ZIP archive \(an Excel or OpenDocument workbook\?\), not a list of domains: save it as CSV \(UTF-8\)/);
    // A stray control character in a cell does not make a list binary (the cell is neutralised on output).
    expect((await readDomainFile(file('odd.csv', 'domain,entity\nx.com,"a\u0000b"\n'))).entries.map((e) => e.domain)).toEqual(['x.com']);
  });

  it('keeps the first of a repeated header column and says so', () => {
    const list = parseDomainList('domain,country,Country\nx.com,CN,US\n', 'dup.csv');
    expect(list.entries[0]?.input).toEqual({ line: 2, country: 'CN' });
    expect(list.problems).toMatchObject([{ line: 1, reason: "CSV header repeats column 'country' (columns 2 and 3); the first is kept" }]);
  });

  it('refuses a bare public suffix with its reason, not a company domain under it', () => {
    expect(normalizeDomain('co.uk')).toEqual({ ok: false, reason: 'a public suffix (companies register names under it), not a company domain' });
    expect(normalizeDomain('com.cn')).toMatchObject({ ok: false });
    expect(normalizeDomain('example.co.uk')).toEqual({ ok: true, domain: 'example.co.uk' });
    expect(normalizeDomain('github.io')).toEqual({ ok: true, domain: 'github.io' });
  });
});
