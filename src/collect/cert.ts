// A peer certificate (node:tls detail object) → CertInfo. Certificates come from scanned
// servers, so lists and strings are bounded like everything else they send.
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, PeerCertificate } from 'node:tls';
import type { CertInfo } from '../types.js';
import { keyIds, nameRecord } from '../x509.js';

const MAX_CHAIN = 10;
const MAX_SANS = 200;
const MAX_STRING = 2048;

const clip = (s: string): string => (s.length > MAX_STRING ? s.slice(0, MAX_STRING) : s);

/** The chain leaf first, following issuerCertificate until a self-reference, a repeat or MAX_CHAIN. */
export function chainOf(leaf: DetailedPeerCertificate | undefined): CertInfo[] {
  const out: CertInfo[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = leaf;
  while (cert && cert.raw && out.length < MAX_CHAIN) {
    const info = certInfo(cert);
    if (seen.has(info.fingerprint256)) break;
    seen.add(info.fingerprint256);
    out.push(info);
    if (cert.issuerCertificate === cert) break;
    cert = cert.issuerCertificate;
  }
  return out;
}

export function certInfo(cert: PeerCertificate): CertInfo {
  const info: CertInfo = {
    subject: nameRecord(cert.subject),
    issuer: nameRecord(cert.issuer),
    san: sans(cert.subjectaltname),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    serial: clip((cert.serialNumber ?? '').toUpperCase()),
    fingerprint256: cert.fingerprint256 ?? '',
  };
  const keyType = keyTypeOf(cert);
  if (keyType) info.keyType = keyType;
  // The key identifiers tie a leaf to its issuing CA exactly (the CCADB index is keyed by SKI).
  if (cert.raw) {
    const ids = keyIds(cert.raw);
    if (ids.ski !== undefined) info.ski = ids.ski;
    if (ids.aki !== undefined) info.aki = ids.aki;
  }
  return info;
}

/** "DNS:a.com, DNS:\"odd, name\", IP Address:1.2.3.4" → ["a.com", "odd, name", "1.2.3.4"]. */
export function sans(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|, )(DNS|IP Address):("(?:[^"\\]|\\.)*"|[^,]*)/g)) {
    if (out.length >= MAX_SANS) break;
    let v = m[2] ?? '';
    if (v.startsWith('"')) {
      try {
        v = JSON.parse(v) as string;
      } catch {
        v = v.slice(1, -1);
      }
    }
    out.push(clip(v.toLowerCase()));
  }
  return out;
}

function isoDate(text: string | undefined): string {
  const d = new Date(text ?? '');
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/**
 * "rsa-2048", "ec-prime256v1", "ed25519". The detail object already names RSA sizes and EC
 * curves; parsing the certificate again (new X509Certificate) only for the rest saves ~1 ms a
 * certificate, which was 6 % of a scan's CPU.
 */
function keyTypeOf(cert: PeerCertificate): string | undefined {
  const c = cert as PeerCertificate & { bits?: number; modulus?: string; asn1Curve?: string };
  if (typeof c.modulus === 'string' && typeof c.bits === 'number') return `rsa-${c.bits}`;
  if (typeof c.asn1Curve === 'string' && c.asn1Curve !== '') return `ec-${c.asn1Curve}`;
  const raw = cert.raw;
  if (!raw) return undefined;
  try {
    const key = new X509Certificate(raw).publicKey;
    const type = key.asymmetricKeyType;
    const d = key.asymmetricKeyDetails;
    if (!type) return undefined;
    if (d?.modulusLength) return `${type}-${d.modulusLength}`;
    if (d?.namedCurve) return `${type}-${d.namedCurve}`;
    return type;
  } catch {
    return undefined;
  }
}
