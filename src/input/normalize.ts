// One line of user input → the domain to scan, or the reason it cannot be one.
import { domainToASCII, domainToUnicode } from 'node:url';
import { isIP } from 'node:net';
import { getDomain, parse } from 'tldts';

export type Normalized = { ok: true; domain: string; unicode?: string } | { ok: false; reason: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function normalizeDomain(raw: string): Normalized {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  // Before anything reads the text as a URL: an OSC 8 hyperlink carries "https:" and would be
  // called an IP address (its colons), a CSI colour an invalid character.
  if (text.includes('\u001b')) return { ok: false, reason: 'contains a terminal escape sequence' };
  if (/[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/.test(text)) return { ok: false, reason: 'contains a control character' };
  if (/[\p{Cf}\u2028\u2029]/u.test(text)) return { ok: false, reason: 'contains an invisible formatting character (bidi mark, zero-width…)' };
  if (/\s/.test(text)) return { ok: false, reason: 'contains a space' };
  let host = text;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.startsWith('//')) {
    let url: URL;
    try {
      url = new URL(text.startsWith('//') ? `http:${text}` : text);
    } catch {
      return { ok: false, reason: 'not a valid URL' };
    }
    if (url.username || url.password) return { ok: false, reason: 'user@host is not a domain' };
    host = url.hostname;
  } else {
    if (text.includes('@')) return { ok: false, reason: 'user@host is not a domain' };
    // "example.com/path" and "example.com:8080" name a host too.
    host = text.split(/[/?#]/, 1)[0] ?? '';
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !host.includes(']') && host.indexOf(':') === colon) host = host.slice(0, colon);
  }
  host = host.replace(/^\[|\]$/g, '');
  if (isIP(host) || /^[0-9.]+$/.test(host) || host.includes(':')) return { ok: false, reason: 'an IP address, not a domain' };
  host = host.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '') return { ok: false, reason: 'empty' };
  if (host.split('.').some((l) => l === '')) return { ok: false, reason: 'empty label' };
  const ascii = /^[\x00-\x7f]*$/.test(host) ? host : domainToASCII(host);
  if (!ascii) return { ok: false, reason: 'invalid internationalised name' };
  if (ascii.length > 253) return { ok: false, reason: 'name longer than 253 characters' };
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length > 63) return { ok: false, reason: 'label longer than 63 characters' };
    if (label.startsWith('-') || label.endsWith('-')) return { ok: false, reason: 'label starts or ends with a hyphen' };
    if (!LABEL.test(label)) return { ok: false, reason: 'invalid character in name' };
  }
  if (labels.length < 2) return { ok: false, reason: 'not a domain name (no dot)' };
  // co.uk, com.cn: names are registered under them; scanning one would attribute its registry.
  const psl = parse(ascii, { allowPrivateDomains: false });
  if (psl.domain === null && psl.publicSuffix === ascii) return { ok: false, reason: 'a public suffix (companies register names under it), not a company domain' };
  let domain = ascii;
  // The scan covers the apex and www, so "www.example.com" means "example.com".
  if (labels.length > 2 && labels[0] === 'www') {
    const rest = labels.slice(1).join('.');
    // …unless what remains is a public suffix (www.co.uk stays as it is).
    if (getDomain(rest, { allowPrivateDomains: true })) domain = rest;
  }
  const unicode = domain.includes('xn--') ? domainToUnicode(domain) : undefined;
  return unicode && unicode !== domain ? { ok: true, domain, unicode } : { ok: true, domain };
}
