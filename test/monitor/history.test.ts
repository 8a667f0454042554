// The history's rules on inline Results: intervals with evidence at both ends, gaps that never
// end a relationship (failed scan, failed probe, company not in the scan), renames, the pivot
// over time, and the renderings of one History.
import { describe, expect, it } from 'vitest';
import { buildHistory, type HistoryRun } from '../../src/monitor/history.js';
import { renderHistory } from '../../src/monitor/history-format.js';
import { renderHistoryHtml } from '../../src/monitor/history-html.js';
import type { Result } from '../../src/types.js';
import { attr, result } from './fixtures.js';

const M = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01'];

function run(date: string, results: Result[], vendorDb = 'db1'): HistoryRun {
  return { source: `${date}.json`, meta: { tool: 'whoserves', version: '0.1.0', vendorDb, startedAt: `${date}T06:17:00.000Z`, options: {} }, results };
}

function named(r: Result, entity: string): Result {
  r.input = { line: 1, entity };
  return r;
}

const tencent = attr('tencent', 'CN', 'tencent-exmail', ['MX 10 mxbiz1.qq.com']);
const microsoft = attr('microsoft', 'US', 'microsoft-365', ['MX 0 a-com.mail.protection.outlook.com']);
const alibaba = attr('alibaba', 'CN', 'alibaba-cloud', ['A 127.37.0.10 AS37963']);
const failed = (domain: string) => result(domain, {}, { status: 'failed', errors: [{ stage: 'dns', code: 'DNS_SERVFAIL', message: 'x' }] });

/** Four months of a.com: mail moves from Tencent to Microsoft while the March scan fails. */
function mailMove(): HistoryRun[] {
  return [
    run(M[0]!, [result('a.com', { email: [tencent], hosting: [alibaba] })]),
    run(M[1]!, [result('a.com', { email: [tencent], hosting: [alibaba] })]),
    run(M[2]!, [failed('a.com')]),
    run(M[3]!, [result('a.com', { email: [microsoft], hosting: [alibaba] })]),
  ];
}

function track(h: ReturnType<typeof buildHistory>, domain: string, category: string, key: string) {
  const t = h.companies.find((c) => c.domain === domain)?.tracks.find((x) => x.category === category && x.provider.key === key);
  if (!t) throw new Error(`no track ${domain} ${category} ${key}`);
  return t;
}

describe('intervals', () => {
  it('a failed month is a gap, never an end; the end keeps the evidence last seen and what replaced it', () => {
    const h = buildHistory(mailMove());
    expect(h.runs.map((r) => [r.date, r.failed])).toEqual([[M[0], 0], [M[1], 0], [M[2], 1], [M[3], 0]]);
    const t = track(h, 'a.com', 'email', 'tencent');
    expect(t.cells).toEqual(['seen', 'seen', 'not-measured', 'absent']);
    expect(t.intervals).toHaveLength(1);
    const iv = t.intervals[0]!;
    expect(iv.start).toMatchObject({ date: M[0], sinceFirst: true, evidence: ['MX 10 mxbiz1.qq.com'] });
    expect(iv.last).toMatchObject({ date: M[1], evidence: ['MX 10 mxbiz1.qq.com'] });
    expect(iv.end).toMatchObject({ date: M[3], after: ['MX 0 a-com.mail.protection.outlook.com'] });
    expect(iv.status).toBe('ended');
    expect(iv.gaps).toEqual([M[2]]);

    const ms = track(h, 'a.com', 'email', 'microsoft');
    expect(ms.cells).toEqual(['absent', 'absent', 'not-measured', 'seen']);
    expect(ms.intervals[0]!.start).toMatchObject({ date: M[3], sinceFirst: false, before: ['MX 10 mxbiz1.qq.com'] });
    expect(ms.intervals[0]!.status).toBe('present');

    // Hosting did not change: one interval through the failed month.
    const host = track(h, 'a.com', 'hosting', 'alibaba');
    expect(host.intervals.map((i) => [i.start.date, i.last.date, i.status, i.gaps])).toEqual([[M[0], M[3], 'present', [M[2]]]]);
  });

  it('events: what a reporter writes, in order, with the evidence on both sides', () => {
    const h = buildHistory(mailMove());
    expect(h.events.map((e) => [e.date, e.domain, e.category, e.kind, e.provider.key, e.evidence, e.other, e.lastSeen])).toEqual([
      [M[3], 'a.com', 'email', 'ended', 'tencent', ['MX 10 mxbiz1.qq.com'], ['MX 0 a-com.mail.protection.outlook.com'], M[1]],
      [M[3], 'a.com', 'email', 'added', 'microsoft', ['MX 0 a-com.mail.protection.outlook.com'], ['MX 10 mxbiz1.qq.com'], undefined],
    ]);
  });

  it('a probe failure leaves only its categories unmeasured', () => {
    const mxTimeout = { stage: 'dns' as const, code: 'DNS_TIMEOUT' as const, message: 't', target: 'a.com MX' };
    const h = buildHistory([
      run(M[0]!, [result('a.com', { email: [tencent], hosting: [alibaba] })]),
      run(M[1]!, [result('a.com', { hosting: [alibaba] }, { status: 'partial', errors: [mxTimeout] })]),
      run(M[2]!, [result('a.com', { email: [tencent] })]),
    ]);
    expect(track(h, 'a.com', 'email', 'tencent').cells).toEqual(['seen', 'not-measured', 'seen']);
    expect(track(h, 'a.com', 'email', 'tencent').intervals).toHaveLength(1);
    // Hosting was measured in March and Alibaba was gone: that is an end.
    expect(track(h, 'a.com', 'hosting', 'alibaba').intervals[0]).toMatchObject({ status: 'ended', end: { date: M[2], after: [] } });
  });

  it('a company missing from a scan is a gap; missing from the latest scans, its relationships are unknown, not ended', () => {
    const h = buildHistory([
      run(M[0]!, [result('a.com', { dns: [alibaba] }), result('b.com', { dns: [alibaba] })]),
      run(M[1]!, [result('b.com', { dns: [alibaba] })]),
      run(M[2]!, [result('a.com', { dns: [alibaba] }), result('b.com', { dns: [alibaba] })]),
      run(M[3]!, [result('b.com', { dns: [alibaba] })]),
    ]);
    const a = track(h, 'a.com', 'dns', 'alibaba');
    expect(a.cells).toEqual(['seen', 'not-listed', 'seen', 'not-listed']);
    expect(a.intervals.map((i) => [i.status, i.last.date, i.gaps])).toEqual([['unknown', M[2], [M[1]]]]);
    expect(h.companies.find((c) => c.domain === 'a.com')!.statuses).toEqual(['ok', 'not-listed', 'ok', 'not-listed']);
  });

  it('a provider that leaves and comes back has two intervals', () => {
    const h = buildHistory([run(M[0]!, [result('a.com', { cdn: [alibaba] })]), run(M[1]!, [result('a.com')]), run(M[2]!, [result('a.com', { cdn: [alibaba] })])]);
    const t = track(h, 'a.com', 'cdn', 'alibaba');
    expect(t.intervals.map((i) => [i.start.date, i.status, i.start.sinceFirst])).toEqual([[M[0], 'ended', true], [M[2], 'present', false]]);
  });

  it('a new entity name for the same domain is a rename: one company, former names kept, intervals unbroken', () => {
    const h = buildHistory([
      run(M[0]!, [named(result('g.com', { hosting: [alibaba] }), 'Gamma Vision Ltd')]),
      run(M[1]!, [named(result('g.com', { hosting: [alibaba] }), 'Gamma Vision Ltd')]),
      run(M[2]!, [named(result('g.com', { hosting: [alibaba] }), 'Gamma AI Group')]),
    ]);
    expect(h.companies).toHaveLength(1);
    expect(h.companies[0]!.entity).toBe('Gamma AI Group');
    expect(h.companies[0]!.names).toEqual([{ name: 'Gamma Vision Ltd', from: M[0] }, { name: 'Gamma AI Group', from: M[2] }]);
    expect(track(h, 'g.com', 'hosting', 'alibaba').intervals).toHaveLength(1);
    expect(renderHistory(h, 'table')).toContain('g.com — Gamma AI Group (formerly Gamma Vision Ltd until 2026-03-01)');
  });
});

describe('scans', () => {
  it('are ordered by their scan date, not by the order given; --last keeps the latest', () => {
    const runs = mailMove();
    const shuffled = [runs[2]!, runs[0]!, runs[3]!, runs[1]!];
    expect(JSON.stringify(buildHistory(shuffled))).toBe(JSON.stringify(buildHistory(runs)));
    expect(buildHistory(shuffled, { last: 2 }).runs.map((r) => r.date)).toEqual([M[2], M[3]]);
  });

  it('two scans on one day are told apart by time', () => {
    const a = run(M[0]!, [result('a.com')]);
    const b = { ...run(M[0]!, [result('a.com')]), source: 'later.json' };
    b.meta = { ...b.meta, startedAt: '2026-01-01T18:00:00.000Z' };
    expect(buildHistory([b, a]).runs.map((r) => r.date)).toEqual(['2026-01-01 06:17', '2026-01-01 18:00']);
  });

  it('warns when consecutive scans used different vendor databases', () => {
    const h = buildHistory([run(M[0]!, [result('a.com')]), run(M[1]!, [result('a.com')], 'db2')]);
    expect(h.warnings.join('\n')).toMatch(/2026-01-01 → 2026-02-01: vendor database differs \(OLD db1, NEW db2\)/);
  });
});

describe('pivot over time', () => {
  it('counts companies served per provider per scan (assets apart) and the share served by U.S. providers', () => {
    const font = attr('google', 'US', 'google-fonts', ['link fonts.googleapis.com']);
    const h = buildHistory([
      run(M[0]!, [result('a.com', { email: [tencent], assets: [font] }), result('b.com', { hosting: [alibaba] })]),
      run(M[1]!, [result('a.com', { email: [microsoft] }), result('b.com', { email: [microsoft], hosting: [alibaba] })]),
      run(M[2]!, [failed('a.com'), result('b.com', { email: [microsoft] })]),
    ]);
    const counts = Object.fromEntries(h.pivot.providers.map((p) => [p.key, p.counts]));
    expect(counts).toEqual({ microsoft: [0, 2, 1], alibaba: [1, 1, 0], tencent: [1, 0, 0] });
    expect(h.pivot.us).toEqual([{ served: 0, measured: 2 }, { served: 2, measured: 2 }, { served: 1, measured: 1 }]);
  });
});

describe('renderings', () => {
  const h = buildHistory(mailMove());

  it('table and markdown carry the change with its date and evidence', () => {
    const text = renderHistory(h, 'table');
    expect(text).toContain('2026-04-01  a.com  E-mail: − tencent Inc. (CN) via TENCENT-EXMAIL (last seen 2026-02-01)  [MX 10 mxbiz1.qq.com] (now: MX 0 a-com.mail.protection.outlook.com)');
    expect(text).toMatch(/E-mail\s+tencent Inc\. \(CN\) via TENCENT-EXMAIL\s+2026-01-01 \(already at the first scan\) → 2026-02-01, ended 2026-04-01; not measured 2026-03-01/);
    expect(text).toMatch(/served by a U\.S\. provider\s+0 of 1 \(0%\)\s+0 of 1 \(0%\)\s+–\s+1 of 1 \(100%\)/);
    const md = renderHistory(h, 'markdown');
    expect(md).toContain('| 2026-04-01 | a.com | E-mail: − tencent Inc. (CN) via TENCENT-EXMAIL (last seen 2026-02-01) | MX 10 mxbiz1.qq.com | now: MX 0 a-com.mail.protection.outlook.com |');
    expect(md).toContain('| **Served by a U.S. provider** | | 0 of 1 (0%) | 0 of 1 (0%) | – | 1 of 1 (100%) |');
  });

  it('csv: one row per interval, both ends with their evidence', () => {
    const lines = renderHistory(h, 'csv').trimEnd().split('\r\n');
    const intervals = h.companies.flatMap((c) => c.tracks.flatMap((t) => t.intervals));
    expect(lines).toHaveLength(1 + intervals.length);
    expect(lines).toContain('a.com,,,email,tencent Inc. (CN) via TENCENT-EXMAIL,tencent,CN,TENCENT-EXMAIL,2026-01-01,yes,MX 10 mxbiz1.qq.com,,2026-02-01,MX 10 mxbiz1.qq.com,ended,2026-04-01,MX 0 a-com.mail.protection.outlook.com,2026-03-01');
  });

  it('json is deterministic', () => {
    expect(renderHistory(buildHistory(mailMove()), 'json')).toBe(renderHistory(h, 'json'));
  });

  it('html escapes what the sites and the list sent', () => {
    const evil = attr('evil', 'US', 'evil', ['header <script>alert(1)</script>']);
    const page = renderHistoryHtml(buildHistory([run(M[0]!, [named(result('a.com', { cdn: [evil] }), '<img src=x onerror=alert(2)>')])]));
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });
});
