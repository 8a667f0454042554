// The shipped target lists are data with a schema: every list parses, every domain is a
// registrable domain given once, every entry says why it is listed, every domain has its source,
// and an entry without a domain says why. The checks themselves are tested on broken lists.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getDomain } from 'tldts';
import { LIST_DIR, ListError, listDomains, listNames, listProblems, loadList, readList, summarize, type TargetList } from '../../src/input/lists.js';

const shipped = listNames();

describe('shipped lists', () => {
  it('include the two sourced lists', () => {
    expect(shipped).toEqual(expect.arrayContaining(['entity-list-surveillance', 'spyware-vendors']));
  });

  it.each(shipped)('%s: parses and passes every check', (name) => {
    const list = readList(path.join(LIST_DIR, `${name}.json`));
    expect(listProblems(list, name)).toEqual([]);
    for (const e of list.entries) {
      expect(e.why.length, e.entity).toBeGreaterThan(0);
      for (const d of e.domains) {
        expect(getDomain(d.domain), d.domain).toBe(d.domain);
        expect(d.source.url, d.domain).toMatch(/^https?:\/\/\S+$/);
      }
      if (e.domains.length === 0) expect(e.noDomain, e.entity).toMatch(/\S/);
    }
  });

  it('entity-list-surveillance: every entry cites its Federal Register notice (document number and date, page where verified)', () => {
    const list = loadList('entity-list-surveillance');
    for (const e of list.entries) {
      expect(e.listing, e.entity).toBeDefined();
      expect(e.listing!.document, e.entity).toMatch(/^\d{4}-\d{4,6}$/);
      expect(e.listing!.date.slice(0, 4), e.entity).toBe(e.listing!.document.slice(0, 4));
      if (e.listing!.fr) expect(e.listing!.fr).toMatch(/^\d+ FR \d+$/);
    }
    // The tranches the list is built from.
    expect([...new Set(list.entries.map((e) => e.listing!.date))].sort()).toEqual(['2019-10-09', '2020-06-05', '2021-11-04', '2023-07-19', '2024-02-27']);
    // A page is given only where a source states it; a notice without one is cited by its FR document number.
    expect(list.entries.find((e) => e.entity === 'Sandvine Inc.')!.listing!.fr).toBe('89 FR 14403');
    expect(list.entries.find((e) => e.entity === 'Hikvision')!.listing!.fr).toBeUndefined();
  });

  it('summaries count entries, domains and entries left without a domain', () => {
    const list = loadList('spyware-vendors');
    const s = summarize(list);
    expect(s.entries).toBe(list.entries.length);
    expect(s.domains + s.withoutDomain).toBeGreaterThanOrEqual(s.entries);
    expect(s.withoutDomain).toBe(list.entries.filter((e) => e.domains.length === 0).length);
  });

  it('as scan input, each domain carries its entry: entity, list, country, notice', () => {
    const list = loadList('entity-list-surveillance');
    const { entries, problems } = listDomains(list);
    expect(problems).toEqual([]);
    expect(entries.length).toBe(summarize(list).domains);
    const hik = entries.find((e) => e.domain === 'hikvision.com');
    expect(hik?.input).toMatchObject({ entity: 'Hikvision', list: 'entity-list-surveillance', country: 'CN', notice: 'FR Doc. 2019-22210', listed: '2019-10-09' });
    expect(entries.find((e) => e.domain === 'sandvine.com')?.input).toMatchObject({ notice: '89 FR 14403', listed: '2024-02-27' });
  });

  it('an unknown name is refused, naming the lists there are', () => {
    expect(() => loadList('no-such-list')).toThrow(ListError);
    expect(() => loadList('../etc/passwd')).toThrow(/available: .*entity-list-surveillance/);
  });
});

describe('list checks', () => {
  const src = { title: 't', url: 'https://example.org/a' };
  const base = (entries: unknown[]): TargetList =>
    ({ list: 1, name: 'test', title: 'T', updated: '2026-01-01', description: 'd', entries }) as TargetList;
  const entry = (over: Record<string, unknown>) => ({ entity: 'E', country: 'CN', why: [src], domains: [{ domain: 'example.com', source: src }], ...over });

  it('accepts a well-formed list', () => {
    expect(listProblems(base([entry({})]), 'test')).toEqual([]);
  });

  it.each([
    ['a host below the registrable domain', 'www.example.com', /not a normalised domain.*write 'example.com'/],
    ['a subdomain', 'mail.example.com', /not a registrable domain.*'example.com'/],
    ['a public suffix', 'co.uk', /a public suffix/],
    ['an uppercase name', 'Example.com', /not a normalised domain/],
    ['an IP address', '10.1.2.3', /not a normalised domain.*IP address/],
  ])('refuses %s', (_what, domain, message) => {
    expect(listProblems(base([entry({ domains: [{ domain, source: src }] })]), 'test').join('\n')).toMatch(message);
  });

  it('refuses a domain without its source, an entry without a reason, and an empty entry without noDomain', () => {
    expect(listProblems(base([entry({ domains: [{ domain: 'example.com' }] })]), 'test').join('\n')).toMatch(/source/);
    expect(listProblems(base([entry({ why: [] })]), 'test').join('\n')).toMatch(/why.*fewer than 1|must NOT have fewer than 1/);
    expect(listProblems(base([entry({ domains: [] })]), 'test').join('\n')).toMatch(/noDomain/);
    expect(listProblems(base([entry({ domains: [], noDomain: 'no source found' })]), 'test')).toEqual([]);
  });

  it('refuses a domain given twice, a name that is not the file name, and a source that is not a URL', () => {
    expect(listProblems(base([entry({ entity: 'A' }), entry({ entity: 'B' })]), 'test').join('\n')).toMatch(/'example.com' is also listed for A/);
    expect(listProblems(base([entry({})]), 'other').join('\n')).toMatch(/differs from the file name/);
    expect(listProblems(base([entry({ why: [{ title: 't', url: 'example.org' }] })]), 'test').join('\n')).toMatch(/url/);
  });

  it('a broken file is reported with its name, every problem at once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'whoserves-lists-'));
    const file = path.join(dir, 'test.json');
    writeFileSync(file, JSON.stringify(base([entry({ domains: [{ domain: 'a.example.com', source: src }, { domain: 'co.uk', source: src }] })])));
    let message = '';
    try {
      readList(file);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toHaveLength(2);
    expect(message).toContain(file);
    writeFileSync(file, '{ not json');
    expect(() => readList(file)).toThrow(new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
});
