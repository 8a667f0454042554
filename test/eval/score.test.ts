import { describe, expect, it } from 'vitest';
import { parseLabels, renderScores, score, type LabelFile } from '../../src/eval/score.js';
import { emptyServices, type Attribution, type Result } from '../../src/types.js';

function attr(company: string | null, vendor: string | null = company): Attribution {
  return { vendor, vendorName: vendor, company, companyName: company, country: 'US', confidence: 0.9, evidence: ['e'] };
}
function result(domain: string, services: Partial<Result['services']>): Result {
  return { domain, input: { line: 1 }, status: 'ok', services: { ...emptyServices(), ...services }, errors: [] };
}

describe('score', () => {
  const labels: LabelFile = { labels: 1, level: 'company', domains: { 'a.com': { dns: ['amazon'], email: ['microsoft'] }, 'b.cn': { hosting: ['alibaba'] } } };

  it('counts hits, false claims and misses per category', () => {
    const { scores, mistakes } = score(labels, [
      result('a.com', { dns: [attr('amazon')], email: [attr('google')] }),
      result('b.cn', { hosting: [attr('alibaba')] }),
    ]);
    const email = scores.find((s) => s.category === 'email')!;
    expect(email).toMatchObject({ tp: 0, fp: 1, fn: 1, precision: 0, recall: 0 });
    const all = scores.find((s) => s.category === 'all')!;
    expect(all).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(mistakes.map((m) => `${m.domain} ${m.category} ${m.kind} ${m.company}`).sort()).toEqual([
      'a.com email false-positive google',
      'a.com email missed microsoft',
    ]);
  });

  it('ignores attributions without a vendor, and a missing result misses everything', () => {
    const { scores } = score(labels, [result('a.com', { dns: [attr('amazon'), attr(null, null)] })]);
    expect(scores.find((s) => s.category === 'hosting')).toMatchObject({ tp: 0, fp: 0, fn: 1 });
    expect(scores.find((s) => s.category === 'dns')).toMatchObject({ tp: 1, fp: 0, precision: 1 });
    expect(renderScores(scores)).toContain('precision');
  });

  it('rejects a file that is not a label file', () => {
    expect(() => parseLabels('{"x":1}', 'l.json')).toThrow(/l\.json: not a label file/);
  });
});
