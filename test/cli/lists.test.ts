// `whoserves lists` and `scan --list NAME` through the real CLI: the shipped lists are found
// by name, their domains are scanned (here in the study's world) with their columns carried.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import { loadList, summarize } from '../../src/input/lists.js';
import { cli, tempDir } from '../e2e/helpers.js';
import type { Result } from '../../src/types.js';

describe('whoserves lists', () => {
  it('shows each list with its size, date and number of sources', () => {
    const r = cli(['lists']);
    expect(r.status, r.stderr).toBe(0);
    for (const name of ['entity-list-surveillance', 'spyware-vendors']) {
      const s = summarize(loadList(name));
      expect(r.stdout).toMatch(new RegExp(`^${name}\\s+${s.entries}\\s+${s.domains}\\s+${s.withoutDomain}\\s+${s.sources}\\s+${s.updated}\\s`, 'm'));
    }
    const json = cli(['lists', '--format', 'json']);
    expect((JSON.parse(json.stdout) as { name: string }[]).map((s) => s.name)).toEqual(['entity-list-surveillance', 'spyware-vendors']);
  });

  it('shows a list entry by entry, and exports the domains as a scan-ready CSV', () => {
    const table = cli(['lists', 'entity-list-surveillance']);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Yixin Science and Technology Co\. Ltd\.\s+CN\s+2019-10-09\s+FR Doc\. 2019-22210\s+\(none: no source\)/);
    const csv = cli(['lists', 'entity-list-surveillance', '--format', 'csv']);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('domain,entity,list,country,notice,listed,domain_source');
    expect(lines).toHaveLength(1 + summarize(loadList('entity-list-surveillance')).domains);
    expect(lines).toContain('nsogroup.com,NSO Group,entity-list-surveillance,IL,FR Doc. 2021-24123,2021-11-04,https://nsogroup.com/candidates-privacy-policy');
  });

  it('an unknown list: exit 2, naming the lists there are', () => {
    const r = cli(['lists', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no list 'nope' \(available: entity-list-surveillance, spyware-vendors/);
  });
});

describe('scan --list', () => {
  it('scans the list by name, carrying entity, list, country and notice into each Result', () => {
    const r = cli(['scan', '--list', 'entity-list-surveillance', '--world', fromRoot('fixtures/worlds/study-2020.json'), '--format', 'json', '--meta', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const { meta, results } = JSON.parse(r.stdout) as { meta: { options: Record<string, unknown> }; results: Result[] };
    const list = loadList('entity-list-surveillance');
    expect(results.map((x) => x.domain)).toEqual(list.entries.flatMap((e) => e.domains.map((d) => d.domain)));
    expect(meta.options.list).toBe('entity-list-surveillance');
    const hik = results.find((x) => x.domain === 'hikvision.com')!;
    expect(hik.input).toMatchObject({ entity: 'Hikvision', list: 'entity-list-surveillance', notice: 'FR Doc. 2019-22210' });
    expect(hik.status).toBe('ok');
  }, 120_000);

  it('a bad list name: exit 2 before anything is scanned or written', () => {
    const out = path.join(tempDir(), 'out.json');
    writeFileSync(out, 'previous results');
    const r = cli(['scan', '--list', 'nope', '--world', fromRoot('fixtures/worlds/study-2020.json'), '-o', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no list 'nope'");
    expect(existsSync(out) && readFileSync(out, 'utf8')).toBe('previous results');
  });
});
