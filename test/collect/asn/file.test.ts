// A user-supplied database: prefix CSV/TSV, ip-location-db ranges, iptoasn TSV; bad lines name FILE:LINE.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AsnFileError, openAsnSource } from '../../../src/collect/asn/index.js';
import { FileAsnTable } from '../../../src/collect/asn/file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'whoserves-asnfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe('file source', () => {
  it('prefix,asn,name,country with a header, comments, AS prefix, longest match, IPv6', async () => {
    const f = write(
      'prefixes.csv',
      [
        'prefix,asn,name,country',
        '# a comment',
        '8.8.8.0/24,15169,GOOGLE,us',
        '8.0.0.0/8,AS3356,"LEVEL3, Inc.",US',
        '',
        '2001:4860::/32,15169,GOOGLE,US',
      ].join('\r\n'),
    );
    const src = await openAsnSource({ kind: 'file', file: f });
    expect(src.kind).toBe('file');
    expect(await src.lookup('8.8.8.8')).toEqual({ asn: 15169, asName: 'GOOGLE', country: 'US', prefix: '8.8.8.0/24', source: 'file' });
    expect(await src.lookup('8.1.2.3')).toEqual({ asn: 3356, asName: 'LEVEL3, Inc.', country: 'US', prefix: '8.0.0.0/8', source: 'file' });
    expect(await src.lookup('2001:4860:4860::8888')).toMatchObject({ asn: 15169, prefix: '2001:4860::/32' });
    expect(await src.lookup('9.9.9.9')).toEqual({ asn: null, source: 'file' });
    expect(await src.lookup('junk')).toEqual({ asn: null, source: 'file' });
  });

  it('TSV prefixes', () => {
    const t = FileAsnTable.parse('1.1.1.0/24\t13335\tCLOUDFLARENET\tUS\n', 'x.tsv');
    expect(t.lookup('1.1.1.1')).toEqual({ asn: 13335, asName: 'CLOUDFLARENET', country: 'US', prefix: '1.1.1.0/24' });
  });

  it("ip-location-db's format, numeric and text, IPv4 and IPv6", () => {
    const t = FileAsnTable.parse(
      [
        '16777216,16777471,13335,"Cloudflare, Inc."',
        '134744064,134744319,15169,Google LLC',
        '42541956101370907050197289607612071936,42541956180599069564461627201156022271,15169,Google LLC',
        '9.9.9.0,9.9.9.255,19281,Quad9',
        '2620:fe::,2620:fe::ffff,19281,Quad9',
      ].join('\n'),
      'db.csv',
    );
    expect(t.lookup('1.0.0.1')).toEqual({ asn: 13335, asName: 'Cloudflare, Inc.', prefix: '1.0.0.0/24' });
    expect(t.lookup('8.8.8.8')).toMatchObject({ asn: 15169, prefix: '8.8.8.0/24' });
    expect(t.lookup('2001:4860:4860::8888')).toMatchObject({ asn: 15169, prefix: '2001:4860::/32' });
    expect(t.lookup('9.9.9.9')).toMatchObject({ asn: 19281, asName: 'Quad9' });
    expect(t.lookup('2620:fe::fe')).toMatchObject({ asn: 19281, prefix: '2620:fe::/112' });
    expect(t.lookup('9.9.10.1')).toBeUndefined();
  });

  it("iptoasn's TSV: country and description, not-routed ranges skipped", () => {
    const t = FileAsnTable.parse(
      ['1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET', '1.0.1.0\t1.0.3.255\t0\tNone\tNot routed', '1.0.4.0\t1.0.7.255\t38803\tAU\tGTELECOM-AUSTRALIA Gtelecom Pty Ltd'].join('\n'),
      'ip2asn-v4.tsv',
    );
    expect(t.lookup('1.0.0.9')).toEqual({ asn: 13335, asName: 'CLOUDFLARENET', country: 'US', prefix: '1.0.0.0/24' });
    expect(t.lookup('1.0.2.1')).toBeUndefined();
    expect(t.lookup('1.0.5.1')).toMatchObject({ asn: 38803, country: 'AU', prefix: '1.0.4.0/22' });
  });

  it('bad lines are errors naming FILE:LINE', async () => {
    const cases: Array<[string, RegExp]> = [
      ['8.8.8.0/24,15169,GOOGLE,US\n8.8.4.0/33,15169,GOOGLE,US\n', /^bad\.csv:2: bad prefix/],
      ['prefix,asn\n1.1.1.0/24,notanumber,X,US\n', /^bad\.csv:2: bad AS number/],
      ['1.1.1.0/24,13335,X,US\n\n# c\nhello world\n', /^bad\.csv:4: expected/],
      ['1.0.0.0,0.255.0.0,1,X\n', /^bad\.csv:1: range end before its start/],
      ['1.0.0.0,::1,1,X\n', /^bad\.csv:1: range mixes IPv4 and IPv6/],
      ['1.1.1.0/24,13335,X,US\n300.1.1.1,300.1.1.2,1,X\n', /^bad\.csv:2: /],
      ['# only comments\n', /^bad\.csv:2: no entries/],
    ];
    for (const [text, want] of cases) {
      const f = write('bad.csv', text);
      const err = await openAsnSource({ kind: 'file', file: f }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AsnFileError);
      expect((err as Error).message.replace(dir + path.sep, '')).toMatch(want);
    }
    const missing = await openAsnSource({ kind: 'file', file: path.join(dir, 'nope.csv') }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/nope\.csv:0: cannot read: ENOENT/);
  });
});
