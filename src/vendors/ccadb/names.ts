// How CA names are compared. Three keys, from strict to loose: the distinguished name exactly
// as a leaf's issuer shows it (dnKey), the (O, CN) pair with case, spacing and punctuation
// ignored (ocnKey: cross-signed and re-issued intermediates share it), and an organisation's
// name without its legal form (orgKey: "DigiCert, Inc." and "DigiCert Inc" are one company).
import { formatIssuer } from '../match.js';

/** A name as the collector records it (src/collect/cert.ts): attribute → value, repeats joined. */
export type NameRecord = Record<string, string>;

/** The exact key: the record in the fixed attribute order of formatIssuer, "/C=US/O=…/CN=…". */
export function dnKey(name: NameRecord): string {
  return formatIssuer(name);
}

/** Lowercase letters and digits of any script, one space between runs; accents dropped. */
export function fold(text: string): string {
  // Most CA names are ASCII: the Unicode path below costs ~10x more.
  if (/^[\x20-\x7e]*$/.test(text)) return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The loose key of a CA name: its organisation and common name, folded. */
export function ocnKey(name: NameRecord): string | null {
  const o = fold(name.O ?? '');
  const cn = fold(name.CN ?? '');
  return o === '' && cn === '' ? null : `${o}|${cn}`;
}

// Legal forms dropped from the end of an organisation's name (folded), longest first so
// "s p a" goes before "a". Only forms that never are a whole brand on their own.
const LEGAL_FORMS = [
  'sociedade anonima', 'public limited company', 'limited liability company', 'corporation', 'incorporated', 'company', 'limited',
  'gmbh co kg', 's de r l', 's r o', 's p a', 'co ltd', 'pty ltd', 'sdn bhd', 'pte ltd', 'a s', 'b v', 'n v', 's a', 's l', 'k k', 'd d', 'e v',
  'g k', 'l l c', 'ltda', 'gmbh', 'bvba', 'sarl', 'sas', 'srl', 'spa', 'ltd', 'llc', 'inc', 'corp', 'plc', 'ag', 'ab', 'as', 'oy', 'oyj', 'bv',
  'nv', 'sa', 'sl', 'kk', 'co', 'lp', 'kft', 'zrt', 'se', 'aps',
].sort((a, b) => b.length - a.length);

/** An organisation's folded name without trailing legal forms: "SECOM Trust Systems CO.,LTD." → "secom trust systems". */
export function orgKey(org: string): string {
  let key = fold(org);
  for (let changed = true; changed; ) {
    changed = false;
    for (const form of LEGAL_FORMS) {
      if (key.length > form.length && key.endsWith(` ${form}`)) {
        key = key.slice(0, -(form.length + 1));
        changed = true;
        break;
      }
    }
  }
  return key;
}

/** A company id from an organisation key: kebab-case ASCII when it has any, else the key itself. */
export function slug(key: string): string {
  const ascii = key.replace(/[^a-z0-9 ]/g, '').trim().replace(/ +/g, '-');
  return ascii.length >= 2 ? ascii : key.replace(/ +/g, '-');
}

/** The display name of a brand: the organisation without its legal form, as written. */
export function brandName(org: string): string {
  const trimmed = org.trim();
  const key = orgKey(trimmed);
  // Cut the written name after as many words as the key kept ("TrustAsia Technologies, Inc." → "TrustAsia Technologies").
  const words = key.split(' ').length;
  const parts = trimmed.split(/([^\p{L}\p{N}]+)/u);
  let seen = 0;
  let out = '';
  for (const p of parts) {
    if (/[\p{L}\p{N}]/u.test(p)) {
      if (seen === words) break;
      seen++;
    }
    out += p;
  }
  return out.replace(/[^\p{L}\p{N})]+$/u, '') || trimmed;
}

/** ISO 3166-1 alpha-2 from a certificate's C= ("uk" → "GB", "EL" → "GR"); null when not a country. */
export function countryCode(c: string | undefined): string | null {
  if (!c) return null;
  const cc = c.trim().toUpperCase();
  if (cc === 'UK') return 'GB';
  if (cc === 'EL') return 'GR';
  return /^[A-Z]{2}$/.test(cc) && cc !== 'EU' ? cc : null;
}

/** The organisation a CA name speaks for: O, else OU, else CN. */
export function orgOf(name: NameRecord): string | null {
  for (const k of ['O', 'OU', 'CN']) {
    const v = name[k]?.trim();
    if (v) return v;
  }
  return null;
}
