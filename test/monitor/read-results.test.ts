import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readResults } from '../../src/monitor/read-results.js';
import { toJson, toNdjsonLine } from '../../src/report/json.js';
import { attr, result } from './fixtures.js';

const dir = await mkdtemp(path.join(tmpdir(), 'whoserves-read-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const rows = [result('a.com', { cdn: [attr('amazon', 'US')] }), result('b.cn')];
const meta = { tool: 'whoserves', version: '0.1.0', vendorDb: 'db1', startedAt: '2026-01-01T00:00:00Z', options: {} };

async function file(name: string, text: string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, text);
  return p;
}

describe('readResults', () => {
  it('reads a JSON array, a { meta, results } object and ndjson alike', async () => {
    const a = await readResults(await file('a.json', toJson(rows)));
    expect(a.results).toEqual(rows);
    expect(a.meta).toBeUndefined();
    const b = await readResults(await file('b.json', toJson({ meta, results: rows })));
    expect(b.results).toEqual(rows);
    expect(b.meta).toEqual(meta);
    const c = await readResults(await file('c.ndjson', rows.map(toNdjsonLine).join('')));
    expect(c.results).toEqual(rows);
    const d = await readResults(await file('d.ndjson', toNdjsonLine({ meta }) + rows.map(toNdjsonLine).join('')));
    expect(d.meta).toEqual(meta);
    expect(d.results).toEqual(rows);
  });

  it('drops a half-written last ndjson line with a warning', async () => {
    const text = rows.map(toNdjsonLine).join('') + toNdjsonLine(rows[0]).slice(0, 20);
    const r = await readResults(await file('torn.ndjson', text));
    expect(r.results).toEqual(rows);
    expect(r.warnings.join()).toMatch(/torn\.ndjson:3: dropped a half-written last line/);
  });

  it('names FILE:LINE and the reason for a bad line that is not the last', async () => {
    const text = toNdjsonLine(rows[0]) + '{"domain": 1}\n' + toNdjsonLine(rows[1]);
    await expect(readResults(await file('bad.ndjson', text))).rejects.toThrow(/bad\.ndjson:2: "domain" must be a non-empty string/);
    const broken = toNdjsonLine(rows[0]) + '{oops\n' + toNdjsonLine(rows[1]);
    await expect(readResults(await file('broken.ndjson', broken))).rejects.toThrow(/broken\.ndjson:2: not valid JSON/);
  });

  it('rejects something that is not Results, and a missing file', async () => {
    await expect(readResults(await file('x.txt', 'hello\n'))).rejects.toThrow(/x\.txt:1: expected/);
    await expect(readResults(await file('o.json', '{"foo": 1}\n'))).rejects.toThrow(/o\.json/);
    await expect(readResults(path.join(dir, 'nope.json'))).rejects.toThrow(/cannot read .*nope\.json: ENOENT/);
  });
});
