// The demo's world reproduces the study's headline, and keeps its correction: Google is a
// relationship only where a company configured it (mail, analytics), never for loaded fonts.
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../src/paths.js';
import { pivotByProvider } from '../../src/report/pivot.js';
import path from 'node:path';
import { cli, scanJson, tempDir } from './helpers.js';

describe('the study world (npm run demo)', () => {
  it('finds Amazon for 9 of 18, Google for 5, Microsoft for 4, every site reachable', () => {
    const raw = path.join(tempDir(), 'raw.ndjson');
    const { results } = scanJson([fromRoot('fixtures/domains/entity-list-2019.csv'), '--world', fromRoot('fixtures/worlds/study-2020.json'), '--raw', raw]);
    // Re-classifying the saved evidence offline gives the very same Results, in the same order.
    const again = cli(['classify', raw, '--format', 'json']);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(results);
    expect(results).toHaveLength(18);
    const served = new Map(pivotByProvider(results).map((p) => [p.company, p.domains.length]));
    expect(served.get('amazon')).toBe(9);
    expect(served.get('google')).toBe(5);
    expect(served.get('microsoft')).toBe(4);
    for (const r of results) {
      // NetPosa serves plain HTTP only: its TLS probe fails, and that is the only failure in the world.
      if (r.domain === 'netposa.com') expect(r.errors.every((e) => e.stage === 'tls')).toBe(true);
      else expect(r.errors, r.domain).toEqual([]);
      for (const c of ['hosting', 'cdn'] as const) expect(r.services[c].map((a) => a.company)).not.toContain('google');
    }
    const sensetime = results.find((r) => r.domain === 'sensetime.com')!;
    expect(sensetime.services.email.map((a) => a.company)).toEqual(['microsoft']);
    expect(sensetime.services.assets.map((a) => a.company)).toContain('google');
  }, 120_000);
});
