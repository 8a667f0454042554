// The generated world uses real providers' conventions: every NS, MX, CNAME and SPF host, AS
// number, CA and CDN edge header it emits is one the vendor database (src/vendors/data) knows,
// so a benchmark scan of it exercises real rules, not made-up names.
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/world/generate.js';
import { compileDnsWorld } from '../../src/world/dns/server.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { registrableDomain, type HostKind } from '../../src/vendors/match.js';

const db = loadVendorDb();
const world = generateWorld({ domains: 3000, seed: 9 });
const { store } = compileDnsWorld(world);

const txtOf = (name: string): string[] => store.all(name).flatMap((r) => (r.type === 'TXT' ? [r.data.map((b) => b.toString()).join('')] : []));
const mxOf = (name: string): string[] => store.all(name).flatMap((r) => (r.type === 'MX' ? [r.data.exchange] : []));
const includes = (txt: string): string[] => [...txt.matchAll(/\binclude:(\S+)/g)].map((m) => m[1]!);

/**
 * Provider host names the world points its company domains at, by the rule kind that should match.
 * A mailbox provider's own SPF include (spf.protection.outlook.com) is left out: the database
 * attributes mail by MX, and keeps `spf` rules for third-party senders (docs/contracts.md "saas").
 */
function providerHosts(): Map<HostKind, Set<string>> {
  const out = new Map<HostKind, Set<string>>([['ns', new Set()], ['mx', new Set()], ['cname', new Set()], ['spf', new Set()]]);
  for (const d of world.domains!) {
    for (const r of store.all(d)) if (r.type === 'NS') out.get('ns')!.add(r.data);
    const mxDomains = new Set(mxOf(d).map((h) => registrableDomain(h)));
    for (const h of mxOf(d)) out.get('mx')!.add(h);
    for (const h of txtOf(d).flatMap(includes)) if (!mxDomains.has(registrableDomain(h))) out.get('spf')!.add(h);
    for (const r of store.all(`www.${d}`)) if (r.type === 'CNAME') out.get('cname')!.add(r.data);
  }
  return out;
}

describe('generated world × vendor database', () => {
  const hosts = providerHosts();

  for (const kind of ['ns', 'mx', 'cname', 'spf'] as const) {
    it(`every ${kind} host matches a vendor rule`, () => {
      const list = [...hosts.get(kind)!];
      expect(list.length).toBeGreaterThan(0);
      expect(list.filter((h) => db.matchers.host(kind, h).length === 0)).toEqual([]);
    });
  }

  it('every SPF include is a known sender or belongs to the MX provider', () => {
    for (const d of world.domains!) {
      const mxDomains = new Set(mxOf(d).map((h) => registrableDomain(h)));
      for (const h of txtOf(d).flatMap(includes)) {
        expect(mxDomains.has(registrableDomain(h)) || db.matchers.host('spf', h).length > 0, `${d}: include:${h}`).toBe(true);
      }
    }
  });

  it('every TXT verification token is a known one', () => {
    const tokens = world.domains!.flatMap((d) => txtOf(d)).filter((t) => !t.startsWith('v=spf1'));
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.filter((t) => db.matchers.txt(t).length === 0)).toEqual([]);
  });

  it('every network is a known AS number', () => {
    expect(world.asns!.filter((a) => db.matchers.asn(a.asn).length === 0).map((a) => `AS${a.asn} ${a.name}`)).toEqual([]);
  });

  it('every issuing CA matches an issuer rule', () => {
    const leafCas = new Set(Object.values(world.sites!).map((s) => s.tls!.ca));
    const unmatched = world.cas!.filter((c) => leafCas.has(c.id)).filter((c) => {
      const s = c.subject;
      return (['O', 'CN', 'OU'] as const).every((f) => s[f] === undefined || db.matchers.issuer(f, s[f]!, false).length === 0);
    });
    expect(unmatched.map((c) => c.id)).toEqual([]);
  });

  it('every CDN site carries an edge header of the CDN its www CNAME points at', () => {
    let checked = 0;
    for (const d of world.domains!) {
      const cname = store.all(`www.${d}`).find((r) => r.type === 'CNAME');
      if (!cname) continue;
      const cdn = new Set(db.matchers.host('cname', cname.data as string).map((h) => h.vendor.id));
      const headers = Object.entries(world.sites![`www.${d}`]!.http!.headers!);
      const vendors = new Set(headers.flatMap(([k, v]) => [v].flat().flatMap((x) => db.matchers.header(k, x).map((h) => h.vendor.id))));
      expect([...cdn].some((id) => vendors.has(id)), `www.${d} → ${cname.data as string}: header vendors ${[...vendors].join(',')}`).toBe(true);
      if (++checked >= 200) break;
    }
    expect(checked).toBeGreaterThan(50);
  });
});
