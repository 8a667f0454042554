// The certificate category: which CA issued the company's certificates, whose brand it is and
// who owns the root it chains to. The issuing CA is found in the CCADB index by, in order, the
// leaf's Authority Key Identifier (= the CA's Subject Key Identifier), the issuer name exactly,
// the issuer's (O, CN) loosely; failing those, by the vendor database's issuer-name rules.
// Evidence says which. A CA found nowhere stays vendor null with what its name says.
import type { RootOwner } from '../types.js';
import type { CcadbCa, CcadbIndex, MatchKind } from '../vendors/ccadb/index.js';
import { formatIssuer, matchIssuer, type Matchers } from '../vendors/match.js';
import type { Attributions } from './attribute.js';
import { clip, type CertSignal, type Signals } from './signals.js';

const UNMATCHED = 0.6;
/** An exact match (key identifier or name) is as strong as a vendor rule; the loose one a little less. */
const CONFIDENCE: Record<MatchKind, number> = { aki: 0.95, dn: 0.95, 'o-cn': 0.9 };

export function classifyCertificates(s: Signals, m: Matchers, ccadb: CcadbIndex | null, acc: Attributions): void {
  for (const cert of s.certs) {
    const leafEvidence = `issuer ${clip(formatIssuer(cert.leaf), 200)}`;
    const found = ccadb ? findCa(ccadb, cert) : null;
    if (found) {
      const { ca, how } = found;
      const owner = ca.root.owner;
      const root: RootOwner = { company: owner.id, companyName: owner.name, country: owner.country };
      const evidence = [leafEvidence, matchEvidence(how, cert, ca), `root ${clip(ca.root.dn, 200)} (CCADB): ${owner.name} (${owner.country ?? '??'})`];
      const confidence = CONFIDENCE[how];
      // The brand as the vendor database names it (GeoTrust, RapidSSL: DigiCert's), else as the CA's
      // own subject does; the CA found, not the name the leaf claims (its key may say otherwise).
      const hits = matchIssuer(m, ca.subject, false);
      for (const hit of hits) acc.add({ category: 'certificate', vendor: hit.vendor, confidence, evidence, root });
      if (hits.length === 0) {
        const b = ca.brand;
        acc.add({ category: 'certificate', vendor: null, brand: { id: b.id, name: b.brand, company: b.id, companyName: b.name, country: b.country }, confidence, evidence, root });
      }
      continue;
    }
    let hits = matchIssuer(m, cert.leaf, false);
    let evidence = [leafEvidence];
    if (hits.length === 0) {
      hits = matchIssuer(m, cert.root, true);
      evidence = [leafEvidence, `root ${clip(formatIssuer(cert.root), 200)}`];
    }
    for (const hit of hits) acc.add({ category: hit.category, vendor: hit.vendor, confidence: hit.confidence, evidence });
    if (hits.length === 0) {
      acc.add({ category: 'certificate', vendor: null, name: cert.leaf.O ?? cert.leaf.CN ?? formatIssuer(cert.leaf), confidence: UNMATCHED, evidence: [leafEvidence] });
    }
  }
}

/** The CCADB certificate of the leaf's issuer, and how it was found. */
export function findCa(ix: CcadbIndex, cert: CertSignal): { ca: CcadbCa; how: MatchKind } | null {
  const tries: [MatchKind, () => number[]][] = [
    ['aki', () => (cert.aki ? ix.bySubjectKeyId(cert.aki) : [])],
    ['dn', () => ix.byName(cert.leaf)],
    ['o-cn', () => ix.byOrgAndCn(cert.leaf)],
  ];
  for (const [how, lookup] of tries) {
    const found = lookup();
    if (found.length > 0) return { ca: pick(ix, found.map((i) => ix.ca(i)), cert), how };
  }
  return null;
}

/**
 * Several CCADB certificates share a key or a name (re-issued and cross-signed intermediates).
 * The one the server sent wins; then one signed by the key (else the name) the served
 * intermediate names as its issuer; then one with the leaf's issuer name, TLS-capable, valid when
 * the leaf was issued, valid longest; then the index order (SHA-256), so the choice is stable.
 */
function pick(ix: CcadbIndex, cas: CcadbCa[], cert: CertSignal): CcadbCa {
  if (cas.length === 1) return cas[0]!;
  const issued = cert.validFrom.slice(0, 10);
  const dn = formatIssuer(cert.leaf);
  const nextIssuer = cert.next ? formatIssuer(cert.next.issuer) : undefined;
  const parentOf = (c: CcadbCa): { ski: string; dn: string } => {
    if (c.parent === null) return { ski: '', dn: c.root.cert === c.at ? c.dn : c.root.dn };
    const p = ix.ca(c.parent);
    return { ski: p.ski, dn: p.dn };
  };
  const score = (c: CcadbCa): number[] => [
    cert.served.includes(c.sha256) ? 0 : 1,
    cert.next?.aki && parentOf(c).ski === cert.next.aki ? 0 : 1,
    nextIssuer !== undefined && parentOf(c).dn === nextIssuer ? 0 : 1,
    c.dn === dn ? 0 : 1,
    c.tls ? 0 : 1,
    issued !== '' && c.notBefore <= issued && issued <= c.notAfter ? 0 : 1,
  ];
  return [...cas].sort((a, b) => {
    const sa = score(a);
    const sb = score(b);
    for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i]! - sb[i]!;
    return a.notAfter !== b.notAfter ? (a.notAfter < b.notAfter ? 1 : -1) : a.at - b.at;
  })[0]!;
}

function matchEvidence(how: MatchKind, cert: CertSignal, ca: CcadbCa): string {
  if (how === 'aki') return `AKI ${clip(cert.aki ?? '', 80)} = SKI of CCADB CA sha256 ${ca.sha256}`;
  if (how === 'dn') return `issuer name = CCADB CA sha256 ${ca.sha256}`;
  return `issuer O and CN ≈ CCADB CA sha256 ${ca.sha256} ${clip(ca.dn, 200)}`;
}
