// A world whose CAs copy real certificate authorities from the CCADB index: their subjects
// attribute by attribute (C, ST, L, O, OU, long CNs, names beyond ASCII), their chains up to the
// root, and (with keyIds) their Subject Key Identifiers, so a leaf's AKI names the real CA. One
// company domain per CA, served with a leaf that CA issued. Deterministic: the same index and
// options give the same world. Tests scan it to check the certificate column at scale.
import type { CcadbCa, CcadbIndex } from '../vendors/ccadb/index.js';
import type { World, WorldCa, WorldSite } from './types.js';

export interface CcadbWorldOptions {
  /** How many TLS intermediates to copy (each gets a company domain). */
  cas: number;
  /** Copy the real SKIs into the world's CA certificates (else the world makes its own). */
  keyIds?: boolean;
  /** The day (YYYY-MM-DD) the intermediates must be valid on; default: the index's newest notBefore. */
  validOn?: string;
}

export interface CcadbWorld {
  world: World;
  /** Company domain → the index position of the intermediate that issues its certificate. */
  issuers: Record<string, number>;
}

/**
 * TLS intermediates valid on the day, one per subject name, taken round-robin over brands (in
 * brand id order, each brand's in index order) so a few hundred cover as many CA companies as exist.
 */
export function pickIntermediates(ix: CcadbIndex, n: number, validOn = ix.source.newest): CcadbCa[] {
  const byBrand = new Map<string, CcadbCa[]>();
  const all = ix.all();
  // Roots issue no leaves, and neither do their cross-signed copies (which carry a root's name).
  const rootNames = new Set(all.filter((ca) => ca.root.cert === ca.at || ca.root.dn === ca.dn).map((ca) => ca.dn));
  const seen = new Set<string>(rootNames);
  for (const ca of all) {
    if (!ca.tls) continue;
    if (ca.notBefore > validOn || ca.notAfter < validOn || seen.has(ca.dn)) continue;
    seen.add(ca.dn);
    byBrand.set(ca.brand.id, [...(byBrand.get(ca.brand.id) ?? []), ca]);
  }
  const queues = [...byBrand.keys()].sort().map((k) => byBrand.get(k)!);
  const out: CcadbCa[] = [];
  for (let round = 0; out.length < n && queues.some((q) => q.length > round); round++) {
    for (const q of queues) if (q[round] && out.length < n) out.push(q[round]!);
  }
  return out;
}

export function ccadbWorld(ix: CcadbIndex, o: CcadbWorldOptions): CcadbWorld {
  const picked = pickIntermediates(ix, o.cas, o.validOn);
  const cas: WorldCa[] = [];
  const byDn = new Map<string, WorldCa>();
  /**
   * The world CA for a name, made once per distinct name. Only the CAs that issue the leaves get
   * their real SKI: a root (or a CA named like one) with its real SKI would be taken by a client
   * for the real root in its trust store, whose key does not verify the world's signatures.
   */
  const caFor = (dn: string, subject: Record<string, string>, issuer: string | undefined, ski?: string): string => {
    let ca = byDn.get(dn);
    if (!ca) {
      ca = { id: `ca${String(byDn.size + 1).padStart(4, '0')}`, ...(issuer ? { issuer } : {}), subject };
      byDn.set(dn, ca);
      cas.push(ca);
    }
    if (o.keyIds && ski) ca.ski = ski;
    return ca.id;
  };
  const worldCaOf = (ca: CcadbCa): string => {
    // The chain inside the index, root first; a root known only by name becomes a world root of that name.
    const chain: CcadbCa[] = [];
    for (let c: CcadbCa | null = ca; c && chain.length < 16; c = c.parent === null ? null : ix.ca(c.parent)) chain.unshift(c);
    const top = chain[0]!;
    let issuer: string | undefined;
    if (top.root.cert !== top.at && top.root.dn !== top.dn) {
      const rootCert = top.root.cert === null ? null : ix.ca(top.root.cert);
      issuer = caFor(top.root.dn, rootCert ? rootCert.subject : nameOf(top.root.dn), undefined);
    }
    for (const c of chain) issuer = caFor(c.dn, c.subject, issuer, c === ca ? c.ski : undefined);
    return issuer!;
  };

  const domains: string[] = [];
  const zones: Record<string, string[]> = {};
  const sites: Record<string, WorldSite> = {};
  const issuers: Record<string, number> = {};
  picked.forEach((ca, i) => {
    const domain = `ca${String(i + 1).padStart(4, '0')}.example`;
    const ip = `127.30.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    domains.push(domain);
    issuers[domain] = ca.at;
    zones[domain] = [`@ NS ns1.dns.example.`, `@ A ${ip}`, `www A ${ip}`];
    const tls = { ca: worldCaOf(ca), names: [domain, `www.${domain}`] };
    sites[domain] = { tls, http: { status: 301, headers: { location: `https://www.${domain}/` } } };
    sites[`www.${domain}`] = { tls, http: { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<html><head><title>${domain}</title></head><body>${domain}</body></html>` } };
  });
  zones['dns.example'] = ['@ NS ns1', 'ns1 A 127.30.255.1'];
  const world: World = {
    world: 1,
    description: `${picked.length} company domains, each with a certificate issued by a copy of a real TLS intermediate from the CCADB index ${ix.version} (subjects${o.keyIds ? ' and key identifiers' : ''} copied; keys are the world's own).`,
    domains,
    asns: [{ asn: 64530, name: 'CCADB-WORLD', country: 'ZZ', prefixes: ['127.30.0.0/16'] }],
    cas,
    zones,
    sites,
  };
  return { world, issuers };
}

/** A root's name as a world subject, from its dnKey string (names the index stores as strings read back exactly). */
function nameOf(dn: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of dn.split(/\/(?=[A-Za-z][A-Za-z0-9.]*=)/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}
