// Signals: the parts of an Observation the classifier looks at, split into what the company
// configured itself (its DNS, its own host names, addresses, certificates and responses) and
// what its pages merely load (third-party resources).
import type { MetaTag, MxRecord, Observation, SoaRecord } from '../types.js';
import { normalizeHost, registrableDomain, spfTargets } from '../vendors/match.js';

/** Caps per signal list: observations come from adversarial sites. */
const MAX_ITEMS = 500;
const MAX_EVIDENCE = 120;

export interface CnameEdge {
  /** The company's host the chain starts from, as shown in evidence ("www", "example.com"). */
  label: string;
  from: string;
  to: string;
}

export interface PageUrl {
  /** "script", "link", "iframe", "image", "meta" (the page's share image) or "inline". */
  source: 'script' | 'link' | 'iframe' | 'image' | 'meta' | 'inline';
  url: string;
  /** Served from the company's own domain or host names. */
  firstParty: boolean;
}

/** One certificate chain the company's hosts served, as the certificate classifier sees it. */
export interface CertSignal {
  /** The leaf's issuer name. */
  leaf: Record<string, string>;
  /** The issuer name of the topmost certificate served. */
  root: Record<string, string>;
  /** The leaf's Authority Key Identifier (hex), when it has one. */
  aki?: string;
  /** SHA-256 of the other certificates served (hex uppercase, no colons): the exact intermediates. */
  served: string[];
  /** The issuer name and AKI of the intermediate served right after the leaf: which cross-signature is in use. */
  next?: { issuer: Record<string, string>; aki?: string };
  /** The leaf's notBefore, to prefer the CA certificate that was valid when it was issued. */
  validFrom: string;
}

export interface Signals {
  domain: string;
  /** The company's registrable domain (the domain itself when the PSL gives none). */
  registrable: string;
  ns: string[];
  soa: SoaRecord | null;
  mx: MxRecord[];
  spf: { mechanism: string; target: string }[];
  /** TXT records that are not SPF. */
  txt: string[];
  cnames: CnameEdge[];
  /** Addresses of the company's own host names (apex, www, final), with the host they came from. */
  addresses: { host: string; ip: string }[];
  certs: CertSignal[];
  /** Response headers of the company's own hosts, names lowercase, deduplicated. */
  headers: [string, string][];
  cookies: string[];
  generators: string[];
  urls: PageUrl[];
  ids: string[];
  excerpts: string[];
}

/** One-line, bounded text for evidence strings. */
export function clip(text: string, max = MAX_EVIDENCE): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
const sortStr = (xs: string[]): string[] => uniq(xs).sort();

/** A host as shown in evidence: relative to the company's domain ("www"), else in full. */
export function hostLabel(host: string, domain: string): string {
  if (host === domain) return domain;
  return host.endsWith(`.${domain}`) ? host.slice(0, -(domain.length + 1)) : host;
}

/** Whether a host belongs to the company: under its registrable domain. */
export function isOwnHost(host: string, registrable: string): boolean {
  const h = normalizeHost(host);
  return h === registrable || h.endsWith(`.${registrable}`);
}

export function signalsOf(obs: Observation): Signals {
  const domain = normalizeHost(obs.domain);
  const registrable = registrableDomain(domain) ?? domain;
  const dns = obs.dns;

  const ownHosts = Object.entries(dns.hosts ?? {})
    .filter(([, h]) => h.roles.some((r) => r === 'apex' || r === 'www' || r === 'final'))
    .map(([name]) => normalizeHost(name))
    .sort();
  const ownSet = new Set(ownHosts);

  const cnames: CnameEdge[] = [];
  const addresses: { host: string; ip: string }[] = [];
  for (const host of ownHosts) {
    const h = dns.hosts[host] ?? dns.hosts[`${host}.`];
    if (!h) continue;
    let from = host;
    for (const to of h.cname.slice(0, 20)) {
      cnames.push({ label: hostLabel(host, domain), from: hostLabel(from, domain), to: normalizeHost(to) });
      from = normalizeHost(to);
    }
    for (const ip of [...h.a, ...h.aaaa].slice(0, MAX_ITEMS)) addresses.push({ host, ip });
  }
  for (const x of obs.http) if (x.address) addresses.push({ host: hostOf(x.finalUrl ?? x.url) ?? domain, ip: x.address });

  const txt: string[] = [];
  const spf: { mechanism: string; target: string }[] = [];
  for (const record of dns.txt.slice(0, MAX_ITEMS)) {
    if (/^v=spf1(\s|$)/i.test(record.trim())) spf.push(...spfTargets(record));
    else txt.push(record);
  }

  const certs = obs.tls
    .filter((t) => t.chain.length > 0)
    .map((t): CertSignal => {
      const leaf = t.chain[0]!;
      return {
        leaf: leaf.issuer,
        root: t.chain[t.chain.length - 1]!.issuer,
        ...(leaf.aki ? { aki: leaf.aki } : {}),
        served: t.chain.slice(1, 10).map((c) => (c.fingerprint256 ?? '').replace(/:/g, '').toUpperCase()),
        ...(t.chain[1] ? { next: { issuer: t.chain[1].issuer, ...(t.chain[1].aki ? { aki: t.chain[1].aki } : {}) } } : {}),
        validFrom: leaf.validFrom ?? '',
      };
    });

  const headers: [string, string][] = [];
  const cookies: string[] = [];
  const generators: string[] = [];
  const urls: PageUrl[] = [];
  const urlSeen = new Set<string>();
  const ids: string[] = [];
  const excerpts: string[] = [];
  const firstParty = (url: string): boolean => {
    const host = hostOf(url, domain);
    return host !== null && (ownSet.has(host) || isOwnHost(host, registrable));
  };
  for (const x of obs.http) {
    for (const [name, value] of x.headers.slice(0, MAX_ITEMS)) {
      headers.push([name.toLowerCase(), value]);
      if (name.toLowerCase() === 'set-cookie') cookies.push(value);
    }
    const html = x.html;
    if (!html) continue;
    for (const m of html.meta) if (m.name?.toLowerCase() === 'generator') generators.push(m.content);
    const page = x.finalUrl ?? x.url;
    const add = (source: PageUrl['source'], list: string[]) => {
      for (const raw of list.slice(0, MAX_ITEMS)) {
        const url = rootRelative(raw, page);
        // The apex's redirect and the www probe usually read one page: its URLs count once.
        const key = `${source}\u0000${url}`;
        if (urlSeen.has(key)) continue;
        urlSeen.add(key);
        urls.push({ source, url, firstParty: firstParty(url) });
      }
    };
    add('script', html.scripts);
    add('link', html.links.map((l) => l.href));
    add('iframe', html.iframes);
    add('image', html.images);
    add('meta', html.meta.filter(isShareImage).map((m) => m.content));
    add('inline', html.inlineUrls);
    ids.push(...html.ids.slice(0, MAX_ITEMS));
    if (html.excerpt) excerpts.push(html.excerpt);
  }

  const headerKeys = uniq(headers.map(([n, v]) => `${n}\u0000${v}`)).sort();
  return {
    domain,
    registrable,
    ns: sortStr(dns.ns.map(normalizeHost)),
    soa: dns.soa,
    mx: [...dns.mx].sort((a, b) => a.preference - b.preference || (a.exchange < b.exchange ? -1 : a.exchange > b.exchange ? 1 : 0)),
    spf: uniq(spf.map((s) => `${s.mechanism}\u0000${s.target}`))
      .sort()
      .map((k) => {
        const [mechanism = '', target = ''] = k.split('\u0000');
        return { mechanism, target };
      }),
    txt: sortStr(txt),
    cnames,
    addresses,
    certs,
    headers: headerKeys.map((k) => k.split('\u0000') as [string, string]),
    cookies: sortStr(cookies),
    generators: sortStr(generators),
    urls,
    ids: sortStr(ids),
    excerpts: sortStr(excerpts),
  };
}

/** Open Graph and Twitter card images: the page's own picture, served by its CMS's media library. */
const SHARE_IMAGE = new Set(['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src']);
function isShareImage(m: MetaTag): boolean {
  return SHARE_IMAGE.has(m.property ?? m.name ?? '') && /^(https?:)?\/\/|^\//i.test(m.content);
}

/**
 * A document-relative URL ("templets/default/style.css") as the root-relative path it resolves to
 * on the page ("/templets/default/style.css"), so path rules see it as they see "/wp-content/…";
 * absolute, protocol-relative and root-relative URLs are kept as written.
 */
export function rootRelative(url: string, page: string): string {
  if (/^([a-z][a-z0-9+.-]{0,20}:|\/|#)/i.test(url) || url.trim() === '') return url;
  try {
    const u = new URL(url, page);
    return /^https?:$/.test(u.protocol) ? `${u.pathname}${u.search}` : url;
  } catch {
    return url;
  }
}

/** Host of a URL (relative URLs resolve against the company's domain); null when unparsable. */
export function hostOf(url: string, domain?: string): string | null {
  try {
    return normalizeHost(new URL(url, domain ? `https://${domain}/` : undefined).hostname);
  } catch {
    return null;
  }
}
