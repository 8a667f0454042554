import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import { emptyObservation } from '../../src/types.js';
import { SAMPLE, tempDir } from '../vendors/helpers.js';

const BIN = fromRoot('bin/whoserves.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('whoserves classify / vendors', () => {
  const dir = tempDir();
  const overlay = path.join(dir, 'mine.json');
  writeFileSync(overlay, JSON.stringify({ vendors: SAMPLE }));

  it('classifies good lines and reports bad ones as FILE:LINE: reason', () => {
    const o = emptyObservation('example.com', { line: 1 });
    o.dns.mx = [{ preference: 10, exchange: 'example-com.mail.protection.outlook.com' }];
    const file = path.join(dir, 'obs.ndjson');
    writeFileSync(file, `${JSON.stringify(o)}\n{"observation":1}\n`);
    const r = run(['classify', file, '--vendors', overlay, '-f', 'json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${file}:2: domain: expected a non-empty string`);
    const results = JSON.parse(r.stdout) as { services: { email: { vendor: string }[] } }[];
    expect(results).toHaveLength(1);
    expect(results[0]!.services.email.map((a) => a.vendor)).toEqual(['microsoft-365']);
  });

  it('lists, shows and lints', () => {
    const list = run(['vendors', '--vendors', overlay, '--country', 'CN']);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('baidu-tongji');
    expect(list.stdout).not.toContain('cloudfront');
    const show = run(['vendors', 'show', 'cloudfront', '--vendors', overlay]);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: 'cloudfront', company: { id: 'amazon' } });
    const bad = path.join(dir, 'bad.json');
    const broken = structuredClone(SAMPLE);
    broken[0]!.rules[0]!.examples.match = ['mycloudfront.net'];
    writeFileSync(bad, JSON.stringify({ vendors: broken }));
    const lint = run(['vendors', 'lint', bad]);
    expect(lint.status).toBe(1);
    expect(lint.stderr).toContain('vendor cloudfront: rules[0].examples.match[0]: "mycloudfront.net" did not attribute cloudfront (cdn)');
  });
});
