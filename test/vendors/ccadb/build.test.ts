// The index builder on certificates made for the test: chains built inside the report, roots
// known by certificate or only by name, brands and owners through the organisation mapping,
// key identifiers kept, bad rows costing only themselves, and the same bytes whatever the order.
import { describe, expect, it } from 'vitest';
import { readCcadbReport } from '../../../src/input/ccadb.js';
import { buildIndex as buildRows, serializeIndex, type BuildOptions, type KnownCompany, type ReportRow } from '../../../src/vendors/ccadb/build.js';
import { CcadbIndex } from '../../../src/vendors/ccadb/index.js';
import type { OrganizationsFile } from '../../../src/vendors/ccadb/types.js';
import type { WorldCa } from '../../../src/world/types.js';
import { caPems, reportCsv, sha256Of } from './report.js';

const CAS: WorldCa[] = [
  { id: 'root', subject: { C: 'US', O: 'DigiCert Inc', OU: 'www.digicert.com', CN: 'Test Global Root G2' }, ski: '4e2254201895e6e36ee60ffafab912ed06178f39' },
  { id: 'ta', issuer: 'root', subject: { C: 'CN', O: 'TrustAsia Technologies, Inc.', CN: 'TrustAsia Test RSA DV TLS CA G2' }, ski: '5f4a0b1c2d3e4f5061728394a5b6c7d8e9f00112' },
  { id: 'sub', issuer: 'ta', subject: { C: 'CN', O: 'Example Reseller Co., Ltd.', CN: 'Reseller DV CA' } },
  // Its issuer is left out of the report: its root is known by name only.
  { id: 'old-root', subject: { C: 'GB', ST: 'Greater Manchester', L: 'Salford', O: 'Comodo CA Limited', CN: 'Test AAA Certificate Services' } },
  { id: 'gandi', issuer: 'old-root', subject: { C: 'FR', ST: 'Paris', O: 'Gandi', CN: 'Gandi Test Standard SSL CA 2' } },
  { id: 'sold-root', subject: { O: 'GlobalSign', OU: 'Test Root CA - R2', CN: 'GlobalSign' } },
  { id: 'gs', issuer: 'sold-root', subject: { C: 'BE', O: 'GlobalSign nv-sa', CN: 'GlobalSign Test CA' } },
];

const ORGS: OrganizationsFile = {
  brands: { trustasia: 'TrustAsia', digicert: 'DigiCert' },
  organizations: { digicert: 'digicert', 'trustasia technologies': 'trustasia', 'comodo ca': 'sectigo', gandi: 'gandi', globalsign: 'globalsign' },
  roots: { '/O=GlobalSign/OU=Test Root CA - R2/CN=GlobalSign': 'google' },
};

const KNOWN = new Map<string, KnownCompany>([
  ['digicert', { name: 'DigiCert, Inc.', country: 'US' }],
  ['trustasia', { name: 'TrustAsia Technologies, Inc.', country: 'CN' }],
  ['sectigo', { name: 'Sectigo Limited', country: 'US' }],
  ['gandi', { name: 'Gandi SAS', country: 'FR' }],
  ['globalsign', { name: 'GMO GlobalSign K.K.', country: 'JP' }],
  ['google', { name: 'Google LLC', country: 'US' }],
]);

/** Reports as files: read as the CLI reads them, then built. */
function buildIndex(files: { file: string; text: string }[], orgs: OrganizationsFile, known: ReadonlyMap<string, KnownCompany>, o?: BuildOptions) {
  const rows: ReportRow[] = [];
  const problems: string[] = [];
  for (const f of files) {
    const r = readCcadbReport(f.file, f.text);
    rows.push(...r.rows);
    problems.push(...r.problems);
  }
  const built = buildRows(rows, orgs, known, o);
  return { ...built, problems: [...problems, ...built.problems] };
}

describe('buildIndex', async () => {
  const pems = await caPems(CAS);
  const inReport = ['root', 'ta', 'sub', 'gandi', 'sold-root', 'gs'];
  const csv = reportCsv(inReport.map((id) => pems.get(id)!));

  it('builds chains inside the report and names brand, root and owner for each CA', () => {
    const { index, problems, stats } = buildIndex([{ file: 'r.csv', text: csv }], ORGS, KNOWN, { since: '2000-01-01' });
    expect(problems).toEqual([]);
    const ix = new CcadbIndex(index!);
    const by = (id: string) => ix.ca(ix.byName(Object.fromEntries(Object.entries(CAS.find((c) => c.id === id)!.subject)))[0]!);
    const sub = by('sub');
    expect([sub.brand.id, sub.brand.name, sub.brand.country]).toEqual(['example-reseller', 'Example Reseller Co., Ltd.', 'CN']);
    expect([sub.root.dn, sub.root.owner.id, sub.root.owner.country]).toEqual(['/C=US/O=DigiCert Inc/OU=www.digicert.com/CN=Test Global Root G2', 'digicert', 'US']);
    expect(ix.ca(sub.parent!).sha256).toBe(sha256Of(pems.get('ta')!));
    const ta = by('ta');
    expect([ta.brand.brand, ta.brand.country, ta.root.owner.brand, ta.ski, ta.tls]).toEqual(['TrustAsia', 'CN', 'DigiCert', CAS[1]!.ski, true]);
    expect(ix.bySubjectKeyId(CAS[1]!.ski!)).toEqual([ta.at]);
    // The root left out of the report is known by its name; the owner by the organisation mapping.
    const gandi = by('gandi');
    expect([gandi.parent, gandi.root.cert, gandi.root.dn, gandi.root.owner.id, gandi.brand.id]).toEqual([
      null, null, '/C=GB/ST=Greater Manchester/L=Salford/O=Comodo CA Limited/CN=Test AAA Certificate Services', 'sectigo', 'gandi',
    ]);
    // A root sold to another company is listed by name.
    expect(by('gs').root.owner.id).toBe('google');
    expect(by('gs').brand.id).toBe('globalsign');
    expect(stats).toMatchObject({ rows: 6, certificates: 6, roots: 3, unmappedOwners: [] });
  });

  it('is deterministic: the same bytes whatever the order of rows and files', () => {
    const a = serializeIndex(buildIndex([{ file: 'r.csv', text: csv }], ORGS, KNOWN, { since: '2000-01-01' }).index!);
    const rows = csv.trimEnd().split('\r\n');
    const shuffled = [rows[0], ...rows.slice(1).reverse()].join('\r\n');
    const half = [rows[0], ...rows.slice(1, 3)].join('\r\n');
    const rest = [rows[0], ...rows.slice(3)].join('\r\n');
    expect(serializeIndex(buildIndex([{ file: 's.csv', text: shuffled }], ORGS, KNOWN, { since: '2000-01-01' }).index!)).toBe(a);
    expect(serializeIndex(buildIndex([{ file: 'b.csv', text: rest }, { file: 'a.csv', text: half }, { file: 'c.csv', text: half }], ORGS, KNOWN, { since: '2000-01-01' }).index!)).toBe(a);
    expect(a.startsWith('{\n  "generated": "Generated by `whoserves data ccadb`')).toBe(true);
  });

  it('reports bad rows as FILE:LINE: reason and keeps the others', () => {
    const lines = csv.split('\r\n');
    const sha = lines[1]!.slice(0, 64);
    const wrongSha = lines[1]!.replace(sha, '00'.repeat(32));
    const garbage = `${sha},"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----"`;
    const text = [lines[0], wrongSha, garbage, ...lines.slice(2)].join('\r\n');
    const { index, problems } = buildIndex([{ file: 'bad.csv', text }], ORGS, KNOWN, { since: '2000-01-01' });
    expect(problems[0]).toMatch(/^bad\.csv:2: the SHA-256 fingerprint 0000000000000000… does not match the certificate/);
    expect(problems[1]).toMatch(/^bad\.csv:\d+: not a parsable certificate in the PEM column$/);
    expect(problems).toHaveLength(2);
    expect(index!.cas).toHaveLength(5);
    expect(buildIndex([{ file: 'x.csv', text: 'a,b\n1,2\n' }], ORGS, KNOWN).problems).toEqual(['x.csv:1: not a CCADB certificate report: no "X.509 Certificate (PEM)" column']);
    expect(buildIndex([{ file: 'x.csv', text: 'a,b\n1,2\n' }], ORGS, KNOWN).index).toBeNull();
  });

  it('refuses a mapping to a company the vendor database does not have, and names owners it cannot map', () => {
    const bad = buildIndex([{ file: 'r.csv', text: csv }], { ...ORGS, organizations: { ...ORGS.organizations, gandi: 'no-such-company' } }, KNOWN, { since: '2000-01-01' });
    expect(bad.index).toBeNull();
    expect(bad.problems[0]).toMatch(/company 'no-such-company' is not in the vendor database/);
    const partial = buildIndex([{ file: 'r.csv', text: csv }], { organizations: {} }, KNOWN, { since: '2000-01-01' });
    expect(partial.stats.unmappedOwners).toHaveLength(3);
    // Still an owner with a country: the root's own subject.
    const ix = new CcadbIndex(partial.index!);
    expect(ix.all().map((c) => `${c.root.owner.name} ${c.root.owner.country}`)).toContain('Comodo CA Limited GB');
  });

  it('leaves out certificates expired before --since, but keeps the chains of those it keeps', () => {
    const { index } = buildIndex([{ file: 'r.csv', text: csv }], ORGS, KNOWN, { since: '2999-01-01' });
    expect(index!.cas).toEqual([]);
  });
});
