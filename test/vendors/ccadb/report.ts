// CCADB-style reports for tests: CA certificates made by the world's CA builder (real X.509, the
// subjects and key identifiers asked for), written as an AllCertificatePEMsCSVFormat CSV.
import { createHash, X509Certificate } from 'node:crypto';
import { CertAuthorities } from '../../../src/world/web/certs.js';
import type { WorldCa } from '../../../src/world/types.js';

const splitPems = (text: string): string[] => text.split(/(?<=-----END CERTIFICATE-----\r?\n)/).filter((p) => p.trim() !== '');

/** PEM of every CA of `cas`, by id (roots and intermediates alike). */
export async function caPems(cas: WorldCa[]): Promise<Map<string, string>> {
  const built = await CertAuthorities.build({ world: 1, cas });
  const out = new Map<string, string>();
  const roots = splitPems(built.rootsPem);
  cas.filter((c) => c.issuer === undefined).forEach((c, i) => out.set(c.id, roots[i]!));
  for (const c of cas) {
    if (c.issuer === undefined) continue;
    // A leaf's chain is the leaf, then its CA and the CA's parents: the CA's own certificate is second.
    const [, own] = splitPems((built.issueLeaf(['x.test'], c.id)).certPem);
    out.set(c.id, own!);
  }
  return out;
}

export const sha256Of = (pem: string): string => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex').toUpperCase();

/** The CSV CCADB publishes: a header, then fingerprint and quoted PEM per certificate. */
export function reportCsv(pems: string[]): string {
  return 'SHA-256 Fingerprint,X.509 Certificate (PEM)\r\n' + pems.map((p) => `${sha256Of(p)},"${p.replace(/\r/g, '').trim()}"\r\n`).join('');
}
