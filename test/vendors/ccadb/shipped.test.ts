// The shipped CCADB index (src/vendors/ccadb/index.json): generated and untouched since (its
// version is the hash of its content), small, quick to load, every root owner a company with a
// country that agrees with the vendor database, and — where the CCADB report it was built from is
// on this machine — exactly what the build script makes of it (regenerate and diff).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../../src/paths.js';
import { buildIndex, GENERATED_NOTE, indexVersion, serializeIndex } from '../../../src/vendors/ccadb/build.js';
import { readCcadbReport } from '../../../src/input/ccadb.js';
import { DEFAULT_CCADB_INDEX, indexProblems, lazyCcadbIndex, loadCcadbIndex } from '../../../src/vendors/ccadb/index.js';
import { orgKey } from '../../../src/vendors/ccadb/names.js';
import { DEFAULT_ORGANIZATIONS, organizationProblems, readOrganizations } from '../../../src/vendors/ccadb/organizations.js';
import type { CcadbIndexFile } from '../../../src/vendors/ccadb/types.js';
import { loadVendorDb } from '../../../src/vendors/load.js';
import { classify } from '../../../src/classify/index.js';
import { emptyObservation } from '../../../src/types.js';

const text = readFileSync(DEFAULT_CCADB_INDEX, 'utf8');
const file = JSON.parse(text) as CcadbIndexFile;
const db = loadVendorDb({ ccadb: false });

// The report snapshot is data outside the repository (16 MB): WHOSERVES_CCADB_REPORTS names its
// directory; the default is where the project keeps it beside the main checkout.
const reportsDir = process.env.WHOSERVES_CCADB_REPORTS ?? path.resolve(fromRoot(), '../shared/data/ccadb');
const reports = existsSync(reportsDir) ? readdirSync(reportsDir).filter((n) => n.endsWith('.csv')).sort() : [];
if (reports.length === 0) console.warn(`\n*** SKIPPING the regenerate-and-diff of the CCADB index: no reports in ${reportsDir} (set WHOSERVES_CCADB_REPORTS) ***\n`);

describe('the shipped CCADB index', () => {
  it('says it is generated, and is exactly what was generated (its version hashes its content)', () => {
    expect(file.generated).toBe(GENERATED_NOTE);
    expect(file.version).toBe(indexVersion(file));
    expect(serializeIndex(file)).toBe(text);
    expect(indexProblems(file)).toEqual([]);
    // The loader reads the version from the head of the file without parsing the rest.
    expect(lazyCcadbIndex().version).toBe(file.version);
  });

  it('is under 1 MB and loads in a few milliseconds', () => {
    const size = statSync(DEFAULT_CCADB_INDEX).size;
    expect(size).toBeLessThan(1024 * 1024);
    loadCcadbIndex(); // warm: the first load also compiles the loader
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      loadCcadbIndex();
      times.push(performance.now() - t);
    }
    const median = times.sort((a, b) => a - b)[2]!;
    console.log(`CCADB index: ${(size / 1024).toFixed(0)} KB, ${file.cas.length} CA certificates, load ${median.toFixed(1)} ms (median of 5)`);
    expect(median).toBeLessThan(200); // a loose bound on a shared machine; the figure is printed
  });

  it('gives every root an owner company with a country, the vendor database agreeing on name and country', () => {
    const ix = loadCcadbIndex();
    const owners = new Set<string>();
    for (const ca of ix.all()) {
      expect(ca.root.owner.country, ca.root.dn).toMatch(/^[A-Z]{2}$/);
      owners.add(ca.root.owner.id);
    }
    for (const id of owners) {
      const c = db.companies.get(id);
      expect(c, `root owner ${id} is not a company of the vendor database`).toBeDefined();
      const row = file.companies.find((r) => r[0] === id)!;
      expect([row[1], row[2]]).toEqual([c!.name, c!.country]);
    }
    console.log(`CCADB index: ${owners.size} root owners`);
  });

  it('keeps brand-to-owner history: GeoTrust, Thawte, RapidSSL and Symantec are DigiCert; WoSign is WoTrus; Comodo is Sectigo', () => {
    const orgs = readOrganizations(DEFAULT_ORGANIZATIONS);
    const owner = (o: string) => orgs.organizations[orgKey(o)];
    expect(['GeoTrust Inc.', 'thawte, Inc.', 'Symantec Corporation', 'VeriSign, Inc.', 'DigiCert Inc'].map(owner)).toEqual(Array(5).fill('digicert'));
    expect([owner('WoSign CA Limited'), owner('COMODO CA Limited'), owner('The USERTRUST Network')]).toEqual(['wotrus', 'sectigo', 'sectigo']);
  });

  it('maps organisations by keys in the form orgKey gives, to companies the vendor database has', () => {
    const raw = JSON.parse(readFileSync(DEFAULT_ORGANIZATIONS, 'utf8')) as unknown;
    expect(organizationProblems(raw)).toEqual([]);
    const orgs = readOrganizations(DEFAULT_ORGANIZATIONS);
    const ids = new Set([...Object.values(orgs.organizations), ...Object.values(orgs.roots ?? {}), ...Object.keys(orgs.brands ?? {})]);
    expect([...ids].filter((id) => !db.companies.has(id))).toEqual([]);
    expect(organizationProblems({ organizations: { 'DigiCert, Inc.': 'digicert' } })).toEqual([`organizations: key 'DigiCert, Inc.' is not normalised (orgKey gives 'digicert')`]);
  });

  it("classifies at least 98 % of the snapshot's TLS intermediates: brand and root owner, by AKI and by name alone", () => {
    const full = loadVendorDb();
    const ix = full.ccadb!;
    const valid = ix.all().filter((c) => c.tls && c.root.cert !== c.at && c.root.dn !== c.dn && c.notBefore <= ix.source.newest && ix.source.newest <= c.notAfter);
    const share = (withAki: boolean) => {
      let brand = 0;
      let root = 0;
      for (const ca of valid) {
        const o = emptyObservation('example.com', { line: 1 });
        const leaf = { subject: { CN: 'example.com' }, issuer: ca.subject, san: [], validFrom: ix.source.newest, validTo: '', serial: '1', fingerprint256: '', ...(withAki && ca.ski ? { aki: ca.ski } : {}) };
        o.tls = [{ host: 'example.com', address: '127.0.0.1', port: 443, authorized: true, chain: [leaf] }];
        const [a] = classify(o, full).services.certificate;
        if (a?.vendor && a.company && a.country) brand++;
        if (a?.root?.company && a.root.country) root++;
      }
      return { brand: brand / valid.length, root: root / valid.length };
    };
    const byAki = share(true);
    const byName = share(false);
    const brands = new Set(valid.map((c) => c.brand.id)).size;
    const owners = new Set(valid.map((c) => c.root.owner.id)).size;
    console.log(
      `CCADB index: ${valid.length} TLS intermediates valid on ${ix.source.newest} (${brands} brands, ${owners} root owners); ` +
        `by AKI: brand ${(byAki.brand * 100).toFixed(1)} %, root owner ${(byAki.root * 100).toFixed(1)} %; ` +
        `by name: brand ${(byName.brand * 100).toFixed(1)} %, root owner ${(byName.root * 100).toFixed(1)} %`,
    );
    for (const s of [byAki, byName]) {
      expect(s.brand).toBeGreaterThanOrEqual(0.98);
      expect(s.root).toBeGreaterThanOrEqual(0.98);
    }
  });

  it.skipIf(reports.length === 0)('is what `whoserves data ccadb` makes of the report (regenerate and diff)', () => {
    const read = reports.map((n) => readCcadbReport(n, readFileSync(path.join(reportsDir, n), 'utf8')));
    expect(read.flatMap((r) => r.problems)).toEqual([]);
    const { index, problems, stats } = buildIndex(read.flatMap((r) => r.rows), readOrganizations(DEFAULT_ORGANIZATIONS), db.companies, { since: file.source.since });
    expect(problems).toEqual([]);
    expect(stats.unmappedOwners).toEqual([]);
    expect(serializeIndex(index!)).toBe(text);
  }, 300_000);
});
