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
