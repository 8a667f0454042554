// The terminal footer explains each mark it uses, and only those (issue 20); one category order
// everywhere, whichever domain came first.
import { describe, expect, it } from 'vitest';
import { renderResults } from '../../src/report/output.js';
import { pivotByProvider } from '../../src/report/pivot.js';
import { CATEGORIES } from '../../src/types.js';
import { attr, result } from '../monitor/fixtures.js';

const ok = result('a.com', { email: [attr('microsoft', 'US')], hosting: [attr('amazon', 'US')] });
const partial = result('b.com', { hosting: [attr('alibaba', 'CN')] }, { status: 'partial', errors: [{ stage: 'tls', code: 'TCP_RESET', message: 'reset' }] });
const failed = result('c.com', {}, { status: 'failed', errors: [{ stage: 'dns', code: 'DNS_TIMEOUT', message: 'no answer' }] });
const table = (rs: Parameters<typeof renderResults>[0], simulated?: string) => renderResults(rs, { format: 'table', width: 200, simulated });

describe('the table footer', () => {
  it('explains the U.S. count; [partial] and [failed] only when a row carries them', () => {
    const plain = table([ok]);
    expect(plain).toContain('US: how many U.S. companies provide something to the domain');
    expect(plain).not.toContain('[partial]');
    expect(plain).not.toContain('[failed]');
    const mixed = table([ok, partial, failed]);
    expect(mixed).toContain('[partial]: some probes failed');
    expect(mixed).toContain('[failed]: nothing could be measured');
    expect(table([ok, failed])).not.toContain('[partial]');
  });

  it('says when the data comes from a simulated world, first', () => {
    const footer = table([ok], 'w.json').split('\n\n').pop()!;
    expect(footer.trim().split('\n')[0]).toBe('SIMULATED WORLD (w.json): not measured data.');
    expect(table([ok])).not.toContain('SIMULATED');
  });
});

describe('one category order', () => {
  it('the pivot lists categories in CATEGORIES order whatever the input order', () => {
    const first = result('x.com', { saas: [attr('amazon', 'US')], email: [attr('amazon', 'US')] });
    const second = result('y.com', { hosting: [attr('amazon', 'US')], cdn: [attr('amazon', 'US')] });
    const row = pivotByProvider([first, second]).find((p) => p.company === 'amazon')!;
    const order = Object.keys(row.byCategory);
    expect(order).toEqual([...order].sort((a, b) => CATEGORIES.indexOf(a as never) - CATEGORIES.indexOf(b as never)));
    expect(table([first, second])).toContain('Hosting 1, CDN 1, E-mail 1, SaaS 1');
  });
});
