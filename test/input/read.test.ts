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
