// Bad files the user hands to `scan` are input errors (exit 2, one line each naming the file),
// and never leave a world or a socket running behind them.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import { cli, tempDir } from '../e2e/helpers.js';

const dir = tempDir();
const world = fromRoot('fixtures/worlds/study-2020.json');

describe('scan: bad input files', () => {
  it('a broken vendor overlay names the file, the vendor and the field', () => {
    const f = path.join(dir, 'vendors.json');
    writeFileSync(f, JSON.stringify({ vendors: [{ id: 'BAD' }] }));
    const r = cli(['scan', 'hikvision.com', '--vendors', f, '--world', world, '--no-http']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${f}: vendor BAD: name: required`);
  });

  it('the same bad overlay prints the same message under scan, classify and vendors', () => {
    const f = path.join(dir, 'overlay.json');
    writeFileSync(f, JSON.stringify({ vendors: [{ id: 'x', name: 'X', company: 'no-such-company', categories: ['cdn'], source: 'https://x.example/', rules: [] }] }));
    const obs = path.join(dir, 'obs.ndjson');
    writeFileSync(obs, '');
    const runs = [
      cli(['scan', 'hikvision.com', '--vendors', f, '--world', world, '--no-http']),
      cli(['classify', obs, '--vendors', f]),
      cli(['vendors', '--vendors', f]),
    ];
    for (const r of runs) {
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`whoserves: ${f}: vendor x: company: no company 'no-such-company' (add it to companies.json)\n`);
    }
  });

  it('a broken --asn-db file names FILE:LINE, and the world is shut down (the process exits)', () => {
    const f = path.join(dir, 'asn.csv');
    writeFileSync(f, 'not,a,prefix\n');
    const r = cli(['scan', 'hikvision.com', '--asn-db', f, '--world', world, '--no-http']);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${f}:`);
  });

  it('a missing --ca-file is named', () => {
    const r = cli(['scan', 'hikvision.com', '--ca-file', path.join(dir, 'none.pem'), '--world', world]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('none.pem: no such file');
  });
});
