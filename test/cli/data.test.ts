// `whoserves data ccadb`: a newer CCADB report rebuilt into an index that scan and classify take
// with --ccadb; bad input named by file and line, exit 2, and an existing index left untouched.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorldCa } from '../../src/world/types.js';
import { cli, scanJson, tempDir, writeWorld } from '../e2e/helpers.js';
import { caPems, reportCsv } from '../vendors/ccadb/report.js';

const CAS: WorldCa[] = [
  { id: 'root', subject: { C: 'US', O: 'DigiCert Inc', OU: 'www.digicert.com', CN: 'Future Global Root G9' } },
  { id: 'ta', issuer: 'root', subject: { C: 'CN', O: 'TrustAsia Technologies, Inc.', CN: 'TrustAsia Future TLS CA 2031' }, ski: '31'.repeat(20) },
];

describe('whoserves data ccadb', () => {
  it('builds an index from a report that scan --ccadb then uses', async () => {
    const dir = tempDir();
    const pems = await caPems(CAS);
    const report = path.join(dir, 'AllCertificatePEMsCSVFormat.csv');
    writeFileSync(report, reportCsv([pems.get('root')!, pems.get('ta')!]));
    const index = path.join(dir, 'ccadb.json');
    const built = cli(['data', 'ccadb', report, '-o', index]);
    expect(built.status, built.stderr).toBe(0);
    expect(built.stderr).toMatch(/^ccadb: 2 rows, 2 CA certificates, 2 kept .* 1 TLS intermediates valid on \d{4}-\d{2}-\d{2}: 1 brands, 1 root owners; \d+ KB, version [0-9a-f]{12}\n$/);
    expect(JSON.parse(readFileSync(index, 'utf8')).cas).toHaveLength(2);

    // A world whose site has a certificate from that (new) CA: the shipped index does not know it, the rebuilt one does.
    const world = writeWorld(dir, {
      world: 1,
      cas: CAS,
      zones: { 'future.cn': ['@ A 127.31.0.1', 'www A 127.31.0.1'] },
      sites: { 'www.future.cn': { tls: { ca: 'ta' }, http: { body: 'ok' } }, 'future.cn': { tls: { ca: 'ta' }, http: { body: 'ok' } } },
    });
    const shipped = scanJson(['future.cn', '--world', world]).results[0]!.services.certificate[0]!;
    expect([shipped.vendor, shipped.root]).toEqual(['trustasia', undefined]); // the name rules know the brand only
    const rebuilt = scanJson(['future.cn', '--world', world, '--ccadb', index]).results[0]!.services.certificate[0]!;
    expect([rebuilt.vendor, rebuilt.root]).toEqual(['trustasia', { company: 'digicert', companyName: 'DigiCert, Inc.', country: 'US' }]);
    expect(rebuilt.evidence.some((e) => e.startsWith(`AKI ${'31'.repeat(20)} = SKI of CCADB CA sha256`))).toBe(true);
  }, 120_000);

  it('names the file and line of bad input, exits 2 and leaves an existing index alone', () => {
    const dir = tempDir();
    const index = path.join(dir, 'ccadb.json');
    writeFileSync(index, 'previous index');
    const notReport = path.join(dir, 'other.csv');
    writeFileSync(notReport, 'domain,entity\nexample.com,Example\n');
    const r = cli(['data', 'ccadb', notReport, '-o', index]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${notReport}:1: not a CCADB certificate report: no "X.509 Certificate (PEM)" column`);
    expect(readFileSync(index, 'utf8')).toBe('previous index');
    expect(existsSync(path.join(dir, `.ccadb.json.${process.pid}.tmp`))).toBe(false);
    const missing = cli(['data', 'ccadb', path.join(dir, 'nope.csv')]);
    expect([missing.status, missing.stderr.trim()]).toEqual([2, `whoserves: ${path.join(dir, 'nope.csv')}: no such file`]);
    const since = cli(['data', 'ccadb', notReport, '--since', 'yesterday']);
    expect([since.status, since.stderr.trim()]).toEqual([2, "whoserves: --since: expected a date YYYY-MM-DD, got 'yesterday'"]);
  });

  it('scan and classify refuse a broken --ccadb index with exit 2', () => {
    const dir = tempDir();
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ format: 1, version: 'x', companies: [], names: [], roots: [[5, -1, 0]], cas: [] }));
    const r = cli(['scan', 'example.com', '--ccadb', broken, '--no-http']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${broken}: roots[0]: expected [name, cert|-1, owner] within the tables`);
    const obs = path.join(dir, 'obs.ndjson');
    writeFileSync(obs, '');
    const c = cli(['classify', obs, '--ccadb', path.join(dir, 'missing.json')]);
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('missing.json: cannot read: ENOENT');
  });
});
