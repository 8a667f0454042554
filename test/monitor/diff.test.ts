import { describe, expect, it } from 'vitest';
import { diffScans } from '../../src/monitor/diff.js';
import { renderDiff } from '../../src/monitor/diff-format.js';
import { parseFailOn } from '../../src/monitor/fail-on.js';
import type { ScanMeta } from '../../src/monitor/meta.js';
import { attr, result } from './fixtures.js';

const amazon = attr('amazon', 'US', 'cloudfront');
const alibaba = attr('alibaba', 'CN', 'aliyun');
const meta = (over: Partial<ScanMeta> = {}): ScanMeta => ({
  tool: 'whoserves', version: '0.1.0', vendorDb: 'db1', asnSource: 'db', asnDate: '2026-01-01',
  startedAt: '2026-01-01T00:00:00Z', options: {}, ...over,
});

describe('diffScans', () => {
  it('identical scans: no change, not failing, "no changes" in every format', () => {
    const rs = [result('a.com', { cdn: [amazon] }), result('b.cn', { hosting: [alibaba] })];
    const d = diffScans({ results: rs }, { results: structuredClone(rs) }, { failOn: 'any' });
    expect(d.changes).toEqual([]);
    expect(d.failing).toBe(false);
    expect(renderDiff(d, 'text')).toBe('no changes (2 domain(s) compared)\n');
    expect(renderDiff(d, 'markdown')).toContain('\nno changes (2 domain(s) compared)\n');
    expect(JSON.parse(renderDiff(d, 'json'))).toMatchObject({ headline: 'no changes (2 domain(s) compared)' });
  });

  it('reports a provider added and one removed at company level, with vendor and evidence', () => {
    const d = diffScans(
      { results: [result('a.com', { cdn: [amazon] })] },
      { results: [result('a.com', { cdn: [alibaba] })] },
      { failOn: 'any' },
    );
    expect(d.changes.map((c) => [c.kind, 'provider' in c ? c.provider.key : ''])).toEqual([
      ['provider-removed', 'amazon'],
      ['provider-added', 'alibaba'],
    ]);
    const added = d.changes.find((c) => c.kind === 'provider-added');
    expect(added && 'provider' in added && added.provider.vendors).toEqual([{ id: 'aliyun', name: 'ALIYUN' }]);
    expect(added && 'provider' in added && added.provider.evidence).toEqual(['ev aliyun']);
    expect(d.failing).toBe(true);
    expect(renderDiff(d, 'text')).toContain('alibaba Inc. (CN) via ALIYUN');
  });

  it('a brand change inside the same company is no change', () => {
    const d = diffScans(
      { results: [result('a.com', { dns: [attr('amazon', 'US', 'route53')] })] },
      { results: [result('a.com', { dns: [attr('amazon', 'US', 'cloudfront')] })] },
      { failOn: 'any' },
    );
    expect(d.changes).toEqual([]);
  });

  it('a domain that failed now is a status change, never a loss of providers', () => {
    const d = diffScans(
      { results: [result('a.com', { cdn: [amazon], dns: [amazon] })] },
      { results: [result('a.com', {}, { status: 'failed', errors: [{ stage: 'dns', code: 'DNS_TIMEOUT', message: 't' }] })] },
      { failOn: 'any' },
    );
    expect(d.changes.map((c) => c.kind)).toEqual(['status-changed']);
    expect(d.summary.providersRemoved).toBe(0);
  });

  it('a partial domain: categories its errors mask are not measured (never counted), others are compared', () => {
    const d = diffScans(
      { results: [result('a.com', { certificate: [attr('digicert', 'US')], dns: [amazon] })] },
      {
        results: [
          result('a.com', {}, { status: 'partial', errors: [{ stage: 'tls', code: 'TCP_TIMEOUT', message: 't' }] }),
        ],
      },
      { failOn: 'added' },
    );
    const kinds = d.changes.map((c) => `${c.kind}:${'category' in c ? c.category : ''}`);
    expect(kinds).toEqual(['status-changed:', 'not-measured:certificate', 'provider-removed:dns']);
    expect(d.changes.find((c) => c.kind === 'not-measured')?.counts).toBe(false);
  });

  it('domains added and removed; a new domain brings its providers as added', () => {
    const d = diffScans(
      { results: [result('old.com', { cdn: [amazon] })] },
      { results: [result('new.com', { cdn: [amazon] })] },
      { failOn: 'us' },
    );
    expect(d.changes.map((c) => `${c.domain} ${c.kind} ${c.counts}`)).toEqual([
      'new.com domain-added false',
      'new.com provider-added true',
      'old.com domain-removed false',
    ]);
  });

  it('status change ok → partial counts under any, not under added', () => {
    const o = { results: [result('a.com')] };
    const n = { results: [result('a.com', {}, { status: 'partial', errors: [{ stage: 'html', code: 'HTTP_BAD_ENCODING', message: 'x' }] })] };
    expect(diffScans(o, n, { failOn: 'any' }).failing).toBe(true);
    expect(diffScans(o, n, { failOn: 'added' }).failing).toBe(false);
    expect(diffScans(o, n, { failOn: 'any' }).changes[0]).toMatchObject({ kind: 'status-changed', from: 'ok', to: 'partial' });
  });

  it('--fail-on narrows: us, country:CN, added', () => {
    const o = { results: [result('a.com', { email: [attr('tencent', 'CN')] })] };
    const usAdded = { results: [result('a.com', { email: [attr('tencent', 'CN'), attr('microsoft', 'US')] })] };
    const cnAdded = { results: [result('a.com', { email: [attr('tencent', 'CN')], dns: [alibaba] })] };
    const removedOnly = { results: [result('a.com')] };
    expect(diffScans(o, usAdded, { failOn: parseFailOn('us') }).failing).toBe(true);
    expect(diffScans(o, cnAdded, { failOn: parseFailOn('us') }).failing).toBe(false);
    expect(diffScans(o, cnAdded, { failOn: parseFailOn('country:cn') }).failing).toBe(true);
    expect(diffScans(o, usAdded, { failOn: parseFailOn('country:CN') }).failing).toBe(false);
    expect(diffScans(o, removedOnly, { failOn: 'added' }).failing).toBe(false);
    expect(diffScans(o, removedOnly, { failOn: 'any' }).failing).toBe(true);
  });

  it('--fail-on us counts a certificate whose root a U.S. company owns', () => {
    const digicertRoot = { company: 'digicert', companyName: 'DigiCert, Inc.', country: 'US' };
    const trustasia = { ...attr('trustasia', 'CN'), root: digicertRoot };
    const ownRoot = { ...attr('trustasia', 'CN'), root: { company: 'trustasia', companyName: 'trustasia Inc.', country: 'CN' } };
    const o = { results: [result('a.cn')] };
    const d = diffScans(o, { results: [result('a.cn', { certificate: [trustasia] })] }, { failOn: parseFailOn('us') });
    expect(d.failing).toBe(true);
    expect(renderDiff(d, 'text')).toContain('trustasia Inc. (CN) via TRUSTASIA → DigiCert, Inc. (US) root');
    expect(diffScans(o, { results: [result('a.cn', { certificate: [trustasia] })] }, { failOn: parseFailOn('country:CN') }).failing).toBe(true);
    expect(diffScans(o, { results: [result('a.cn', { certificate: [ownRoot] })] }, { failOn: parseFailOn('us') }).failing).toBe(false);
    // A Result from a file may carry anything in root: ignored unless well-formed.
    const junk = { ...attr('trustasia', 'CN'), root: 'DigiCert' as unknown as typeof digicertRoot };
    expect(diffScans(o, { results: [result('a.cn', { certificate: [junk] })] }, { failOn: parseFailOn('us') }).failing).toBe(false);
  });

  it('a new asset is reported but does not fail --fail-on us', () => {
    const d = diffScans(
      { results: [result('a.com')] },
      { results: [result('a.com', { assets: [attr('google', 'US')] })] },
      { failOn: 'us' },
    );
    expect(d.changes).toHaveLength(1);
    expect(d.failing).toBe(false);
  });

  it('parseFailOn rejects nonsense', () => {
    expect(() => parseFailOn('country:USA')).toThrow(/--fail-on/);
    expect(() => parseFailOn('everything')).toThrow(/--fail-on/);
  });

  it('warns when the scans used different databases or versions', () => {
    const d = diffScans({ meta: meta(), results: [] }, { meta: meta({ vendorDb: 'db2', version: '0.2.0' }), results: [] }, { failOn: 'any' });
    expect(d.warnings.join('\n')).toMatch(/vendor database differs \(OLD db1, NEW db2\)/);
    expect(d.warnings.join('\n')).toMatch(/tool version differs/);
    expect(diffScans({ meta: meta(), results: [] }, { meta: meta(), results: [] }, { failOn: 'any' }).warnings).toEqual([]);
  });

  it('markdown is a table fit for a job summary, and escapes hostile evidence', () => {
    const evil = attr('evil', 'US', 'evil', ['header x: |bad| <script>']);
    const d = diffScans({ results: [result('a.com')] }, { results: [result('a.com', { cms: [evil] })] }, { failOn: 'any' });
    const md = renderDiff(d, 'markdown');
    expect(md).toContain('| Domain | Change | Evidence |');
    expect(md).toContain('\\|bad\\| \\<script\\>');
    const json = JSON.parse(renderDiff(d, 'json')) as { failing: boolean; changes: unknown[] };
    expect(json.failing).toBe(true);
    expect(json.changes).toHaveLength(1);
  });
});
