// The embedded IP → ASN database through the vendor rules: no AS is two companies', every company
// that hosts or fronts sites has its networks named, the 300 organisations announcing the most
// address space are attributed unless they host no one, and `vendors asns` / `vendors show` say so.
import { describe, expect, it } from 'vitest';
import { loadDb } from '../../src/collect/asn/db.js';
import { summarizeTable } from '../../src/collect/asn/summary.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { networkReport, organisations } from '../../src/vendors/networks.js';
import { cli } from '../e2e/helpers.js';

const db = loadVendorDb();
const rows = summarizeTable(loadDb().table);
const report = networkReport(db, rows);

/**
 * Companies that host or front sites on other companies' networks: no organisation of theirs in
 * the database. A new hosting or CDN company gets organisation rules (hosting.json), or a line here.
 */
const NO_OWN_NETWORK = new Set([
  'acquia', 'cloudinary', 'codeberg', 'epages', 'freshworks', 'ghost', 'gitlab', 'happyfox', 'hubspot', 'jimdo', 'kinsta', 'netlify', 'readthedocs',
  'replit', 'section', 'shoper', 'substack', 'vercel', 'webflow', 'wp-engine', // on AWS, Google Cloud, Azure, Cloudflare, Fastly
  'baishan', 'dnion', 'upyun', // Chinese CDNs whose edges sit in the carriers' networks under the carriers' names
  'anaconda', 'chloi', 'framer', 'hashnode', 'indusface', 'koyeb', 'ngrok', 'readme', // on AWS, Google Cloud, DigitalOcean, Vercel and rented servers
  'better-stack', 'gumroad', 'kajabi', // SaaS pages on cloud networks
  'ifastnet', // free hosting (InfinityFree, ByetHost) in rented data-centre space
  'knownsec', 'qianxin', // Chinese WAF edges (Jiasule, 360 Website Guard) in the carriers' networks
  'duda', 'gitbook', 'hatena', 'help-scout', 'intercom', 'litespeed', 'ngenix', 'umbraco', 'unbounce', 'uptimerobot', // platforms and SaaS on cloud networks
  'cafe24', 'huggingface', 'instapage', 'mintlify', 'northflank', 'scalingo', 'kinghost', 'liferay', 'raidboxes', 'shopline', 'vtex', 'wasmer', 'zeabur', // app, page and docs platforms on cloud networks (Scalingo on Outscale)
  'dbappsecurity', // Chinese cloud WAF (Xuanwudun) edges in the carriers' networks
  'base-inc', 'beehiiv', 'big-cartel', 'fc2', 'gmo-pepabo', 'imweb', 'insales', 'lightspeed', 'medium', 'shoptet', 'strikingly', 'teachable', 'thinkific', 'tilda', 'ucoz', 'webador', // hosted builders, shops and blogs (page evidence) on cloud or rented networks
]);

/** Among the 300 largest organisations, those that host no one's sites: governments, universities, enterprises, an RIR. */
const NOT_PROVIDERS = new Set([
  'United States Department of Defense (DoD)', 'DoD Network Information Center', 'Headquarters, USAISC', 'UK Ministry of Defence', 'USDA',
  'United States Postal Service', 'National Aeronautics and Space Administration', 'General Services Commission', 'California Department of Technology',
  'China eGovNet Information Center', 'China Networks Inter-Exchange', 'RIPE Network Coordination Centre',
  'University of California, San Diego', 'Universitaet Stuttgart', 'Massachusetts Institute of Technology', 'Board of Regents of the University System of Georgia',
  'Apple', 'Ford Motor', 'Mercedes-Benz Group', 'The Prudential Insurance Company of America', 'Eli Lilly and', 'Bank of America, National Association',
  'The Procter and Gamble', 'Merck and', 'Electricite de France', 'NCR', 'Wal-Mart Stores', 'Exxon Mobil', 'Credit Suisse Group', 'Ericsson', 'CISCO SYSTEMS',
]);

describe('the embedded database through the vendor rules', () => {
  it('names no AS as two companies’', () => {
    expect(report.conflicts.map((a) => `AS${a.asn} ${a.name}: ${a.vendors.map((v) => v.id).join(', ')}`)).toEqual([]);
  });

  it('every company that hosts or fronts sites has its networks named (or runs on others’)', () => {
    const networked = new Set(db.vendors.filter((v) => v.rules.some((r) => r.kind === 'asn' || r.kind === 'asorg')).map((v) => v.company.id));
    const hosts = [...new Set(db.vendors.filter((v) => v.categories.includes('hosting') || v.categories.includes('cdn')).map((v) => v.company.id))];
    const missing = hosts.filter((c) => !networked.has(c) && !NO_OWN_NETWORK.has(c)).sort();
    expect(missing, 'add organisation rules (kind "asorg", hosting.json) or list the company in NO_OWN_NETWORK').toEqual([]);
    const attributed = new Set(report.companies.map((c) => c.company.id));
    for (const c of networked) expect(attributed.has(c), `${c}: its network rules attribute no AS of the database`).toBe(true);
  });

  it('the 300 organisations announcing the most IPv4 space are attributed, unless they host no one', () => {
    const byAsn = new Map(report.asns.map((a) => [a.asn, a]));
    const top = organisations(rows).slice(0, 300);
    const unattributed = top.filter((g) => !g.asns.some((a) => (byAsn.get(a.asn)?.vendors.length ?? 0) > 0)).map((g) => g.name);
    expect(unattributed.filter((n) => !NOT_PROVIDERS.has(n)), 'a hosting, cloud, CDN or carrier network among the largest is unattributed (`whoserves vendors asns --orgs --top 300`)').toEqual([]);
  });

  it('attributes two thirds of the announced IPv4 space to a named company', () => {
    const share = report.attributedIpv4 / report.totalIpv4;
    expect(share).toBeGreaterThan(0.65);
    expect(report.companies.length).toBeGreaterThan(300);
  });
});

describe('whoserves vendors asns / show', () => {
  it('lists companies with their ASNs, the largest unattributed organisations, and the largest of all', () => {
    const companies = cli(['vendors', 'asns', '--top', '3', '--format', 'json']);
    expect(companies.status, companies.stderr).toBe(0);
    const c = JSON.parse(companies.stdout) as { companies: { company: string; asns: { asn: number; by: string }[] }[]; attributedIpv4: number; totalIpv4: number };
    expect(c.companies.map((x) => x.company)).toEqual(report.companies.slice(0, 3).map((x) => x.company.id));
    expect(c.companies[0]!.asns.some((a) => a.asn === 16509 && a.by === 'asn')).toBe(true);
    expect(c.attributedIpv4).toBe(report.attributedIpv4);

    const gaps = cli(['vendors', 'asns', '--unmatched', '--top', '5']);
    expect(gaps.status, gaps.stderr).toBe(0);
    expect(gaps.stdout).toContain('United States Department of Defense (DoD)');
    expect(gaps.stdout).not.toMatch(/Amazon|Chinanet/);
    expect(gaps.stdout).toMatch(/companies, [\d,]+ ASNs attributed: [\d,]+ of [\d,]+ announced IPv4 addresses \(\d+\.\d\d%\)/);

    const orgs = cli(['vendors', 'asns', '--orgs', '--top', '4']);
    expect(orgs.stdout.split('\n').filter((l) => /^\s*\d+ {2}/.test(l)).map((l) => l.trim().split(/\s{2,}/).pop())).toEqual(['-', 'amazon', 'att', 'china-telecom']);

    const bad = cli(['vendors', 'asns', '--orgs', '--unmatched']);
    expect(bad.status).toBe(2);
  }, 120_000);

  it('vendors show lists a vendor’s and a company’s ASNs', () => {
    const v = cli(['vendors', 'show', 'alibaba-cloud']);
    expect(v.status, v.stderr).toBe(0);
    const vendor = JSON.parse(v.stdout) as { id: string; networks: { asns: { asn: number; name: string; by: string }[] } };
    expect(vendor.id).toBe('alibaba-cloud');
    expect(vendor.networks.asns).toContainEqual(expect.objectContaining({ asn: 37963, name: 'Hangzhou Alibaba Advertising Co.,Ltd.' }));
    const c = JSON.parse(cli(['vendors', 'show', 'china-telecom']).stdout) as { company: { id: string }; vendors: string[]; networks: { asns: { by: string }[] } };
    expect(c.company.id).toBe('china-telecom');
    expect(c.networks.asns.some((a) => a.by === 'asorg')).toBe(true);
    expect(cli(['vendors', 'show', 'no-such-thing']).status).toBe(2);
  }, 120_000);
});
