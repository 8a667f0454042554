// End to end: the CLI scans a small world over real DNS, TLS and HTTP on loopback.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, scanJson, tempDir, writeWorld } from './helpers.js';
import type { World } from '../../src/world/types.js';
import { CATEGORIES, type Observation } from '../../src/types.js';

const world: World = {
  world: 1,
  description: 'e2e test world',
  asns: [
    { asn: 16509, name: 'AMAZON-02', country: 'US', prefixes: ['127.16.0.0/16'] },
    { asn: 37963, name: 'ALIBABA-CN-NET', country: 'CN', prefixes: ['127.37.0.0/16'] },
    { asn: 8075, name: 'MICROSOFT-CORP-MSN-AS-BLOCK', country: 'US', prefixes: ['127.80.0.0/16'] },
  ],
  cas: [
    { id: 'root', subject: { CN: 'DigiCert Global Root CA', O: 'DigiCert Inc', C: 'US' } },
    { id: 'geotrust', issuer: 'root', subject: { CN: 'GeoTrust CN RSA CA G1', O: 'DigiCert Inc', C: 'US' } },
  ],
  zones: {
    'acme-vision.com': [
      '@ NS ns1.alidns.com.',
      '@ MX 10 acme-vision-com.mail.protection.outlook.com.',
      '@ TXT "v=spf1 include:spf.protection.outlook.com -all"',
      '@ TXT "MS=ms12345678"',
      '@ A 127.37.0.10',
      'www CNAME d1abc.cloudfront.net.',
    ],
    'cloudfront.net': ['d1abc A 127.16.0.20'],
    'outlook.com': ['acme-vision-com.mail.protection A 127.80.0.5'],
    'alidns.com': ['ns1 A 127.37.0.53'],
    'down-corp.cn': ['@ NS ns1.alidns.com.', '@ A 127.37.0.11', 'www A 127.37.0.11'],
  },
  sites: {
    'acme-vision.com': { tls: { ca: 'geotrust' }, http: { status: 301, headers: { location: 'https://www.acme-vision.com/' } } },
    'www.acme-vision.com': {
      tls: { ca: 'geotrust' },
      http: {
        status: 200,
        headers: { server: 'CloudFront', 'x-amz-cf-id': 'abc', 'content-type': 'text/html; charset=utf-8' },
        body: '<html><head><title>Acme Vision 智能</title><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"></head><body>hi</body></html>',
      },
    },
  },
  faults: { 'www.down-corp.cn': 'tcp-reset', 'down-corp.cn': 'tcp-reset' },
};

describe('scan --world (end to end)', () => {
  const dir = tempDir();
  const file = writeWorld(dir, world);

  it('attributes relationships with evidence and keeps loaded fonts apart', () => {
    const raw = path.join(dir, 'raw.ndjson');
    const { results } = scanJson(['acme-vision.com', 'down-corp.cn', '--world', file, '--raw', raw]);
    expect(results.map((r) => r.domain)).toEqual(['acme-vision.com', 'down-corp.cn']);
    const acme = results[0]!;
    for (const c of CATEGORIES) expect(acme.services[c]).toBeInstanceOf(Array);
    const companies = (c: (typeof CATEGORIES)[number]) => acme.services[c].map((a) => a.company);
    expect(companies('email')).toContain('microsoft');
    expect(companies('cdn')).toContain('amazon');
    expect(companies('certificate')).toContain('digicert');
    expect(companies('dns')).toContain('alibaba');
    expect(companies('hosting')).not.toContain('google');
    expect(companies('cdn')).not.toContain('google');
    expect(companies('assets')).toContain('google');
    expect(acme.services.email[0]!.evidence.join(' ')).toContain('mail.protection.outlook.com');
    // The failing site is a row with coded errors, not a crash.
    const down = results[1]!;
    expect(down.status).not.toBe('ok');
    expect(down.errors.map((e) => e.code)).toContain('TCP_RESET');
    expect(down.services.dns.map((a) => a.company)).toContain('alibaba');
    const observations = readFileSync(raw, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Observation);
    expect(observations.map((o) => o.domain).sort()).toEqual(['acme-vision.com', 'down-corp.cn']);
    const acmeObs = observations.find((o) => o.domain === 'acme-vision.com')!;
    expect(acmeObs.dns.hosts['www.acme-vision.com']?.cname).toEqual(['d1abc.cloudfront.net']);
    expect(acmeObs.addresses['127.16.0.20']?.asn).toBe(16509);
    expect(acmeObs.http.find((h) => h.url === 'https://acme-vision.com/')?.finalUrl).toBe('https://www.acme-vision.com/');
  });

  it('two scans of the same world are byte-identical', () => {
    // down-corp.cn fails (reset): its errors, too, must not carry anything of the run (ports).
    const a = cli(['scan', 'acme-vision.com', 'down-corp.cn', '--world', file, '--format', 'json', '--quiet']);
    const b = cli(['scan', 'acme-vision.com', 'down-corp.cn', '--world', file, '--format', 'json', '--quiet']);
    expect(a.stdout).toContain('TCP_RESET');
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('reports bad input lines with file:line and still scans the rest', () => {
    const list = path.join(dir, 'list.txt');
    writeFileSync(list, 'acme-vision.com\nnot a domain\n10.0.0.1\n');
    const r = cli(['scan', list, '--world', file, '--format', 'csv', '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${list}:2: contains a space: 'not a domain'`);
    expect(r.stderr).toContain(`${list}:3: an IP address, not a domain`);
    expect(r.stdout.split('\r\n').filter(Boolean)).toHaveLength(2);
  });

  it('exits 2 when no domain is usable, naming why', () => {
    const r = cli(['scan', 'not_a_domain', '--world', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no usable domain');
  });

  it('exits 2 on an invalid world with FILE: field: reason', () => {
    const bad = writeWorld(dir, { ...world, faults: { x: 'meltdown' as never } }, 'bad.json');
    const r = cli(['scan', 'acme-vision.com', '--world', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}: faults.x: unknown fault "meltdown"`);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
