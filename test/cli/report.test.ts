import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from '../e2e/helpers.js';
import { sampleResults } from '../report/sample.js';

describe('whoserves report', () => {
  const dir = tempDir();
  const file = path.join(dir, 'results.json');
  writeFileSync(file, JSON.stringify(sampleResults()));

  it('re-renders saved results by provider', () => {
    const r = cli(['report', file, '--by', 'provider', '--format', 'markdown']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Amazon/);
    expect(r.stdout).toMatch(/Hikvision|hikvision\.com/);
  });

  it('round-trips json', () => {
    const r = cli(['report', file, '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(4);
  });

  it('refuses a broken file with exit 2 naming it', () => {
    const bad = path.join(dir, 'bad.ndjson');
    const good = JSON.stringify(sampleResults()[0]);
    writeFileSync(bad, `${good}\nnot json\n${good}\n`);
    const r = cli(['report', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bad.ndjson:2');
  });
});
