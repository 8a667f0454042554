// The contracts every stage shares (docs/contracts.md). Extend, never break:
// other tools read Results and Observations, and outside worlds feed the collect stage.

/** The nine provider categories; every Result carries all of them, [] when nothing was found. */
export const CATEGORIES = [
  'hosting',
  'cdn',
  'email',
  'certificate',
  'dns',
  'cms',
  'analytics',
  'assets',
  'saas',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Where in the pipeline an error happened. */
export type Stage = 'input' | 'dns' | 'asn' | 'tls' | 'http' | 'html' | 'scan';

/** Stable error codes. Library errors are mapped to one of these at the boundary, never leaked. */
export const ERROR_CODES = [
  // DNS
  'DNS_TIMEOUT',
  'DNS_SERVFAIL',
  'DNS_NXDOMAIN',
  'DNS_REFUSED',
  'DNS_MALFORMED',
  'DNS_CNAME_LOOP',
  'DNS_TRUNCATED_TCP_FAILED',
  // IP → ASN
  'ASN_LOOKUP_FAILED',
  // connection
  'TCP_TIMEOUT',
  'TCP_RESET',
  'TCP_REFUSED',
  /** No route to the address (ENETUNREACH, EHOSTUNREACH): this network cannot reach it. */
  'NET_UNREACHABLE',
  'TLS_HANDSHAKE',
  'PRIVATE_ADDRESS',
  'NO_ADDRESS',
  // HTTP
  'HTTP_TIMEOUT',
  'HTTP_TOO_LARGE',
  'HTTP_REDIRECT_LOOP',
  'HTTP_TOO_MANY_REDIRECTS',
  'HTTP_BAD_ENCODING',
  'HTTP_PROTOCOL',
  'HTTP_STATUS',
  // the scan itself
  'DEADLINE',
  'ABORTED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ProbeError {
  stage: Stage;
  code: ErrorCode;
  /** Human-readable, one line, no library stack or object dump. */
  message: string;
  /** What was being probed, e.g. "hikvision.com MX" or "https://www.hikvision.com/". */
  target?: string;
}

/** The row of the input a domain came from: its line number and any extra CSV columns. */
export interface InputInfo {
  line: number;
  file?: string;
  [column: string]: string | number | undefined;
}

// ---------------------------------------------------------------- Result

export interface Attribution {
  /** Vendor (brand) id from the vendor database; null when the signal matched no vendor. */
  vendor: string | null;
  /** Brand name; for an unmatched signal, what is known (e.g. "AS4134 CHINANET-BACKBONE"). */
  vendorName: string | null;
  /** Owning company id (the current owner of the brand). */
  company: string | null;
  companyName: string | null;
  /** ISO 3166-1 alpha-2 of the company's headquarters. */
  country: string | null;
  /** 0..1 */
  confidence: number;
  /** Checkable statements, e.g. "MX 10 x.mail.protection.outlook.com". Sorted. */
  evidence: string[];
  /**
   * Set when the company runs it itself. In dns and email: a name or mail server under its own
   * domain; the vendor, if any, is the network it runs on (a provider). In cms: software the
   * company installs on its own host (WordPress, Drupal, DedeCMS); its maker serves nothing.
   */
  selfHosted?: boolean;
  /**
   * certificate only: the owner of the root CA the issuing CA chains to (CCADB), when known. It
   * differs from the brand's company when a CA's intermediates are signed by another CA's root
   * (TrustAsia's by DigiCert, resellers' by Sectigo). Absent in Results from before 0.2.
   */
  root?: RootOwner;
}

/** The company that owns a root certificate authority (from the CCADB index). */
export interface RootOwner {
  /** Company id, as in the vendor database. */
  company: string;
  companyName: string;
  /** ISO 3166-1 alpha-2 of the company's headquarters. */
  country: string | null;
}

/**
 * Categories where a brand can be software the site's owner runs itself (WordPress, a self-hosted
 * Matomo): such an attribution is marked self-hosted and its maker serves nothing.
 */
export const SOFTWARE_CATEGORIES: readonly Category[] = ['cms', 'analytics'];

/** Self-hosted software: an attribution in a software category marked self-hosted. */
export function isSoftware(category: Category, a: Pick<Attribution, 'selfHosted'>): boolean {
  return a.selfHosted === true && SOFTWARE_CATEGORIES.includes(category);
}

/**
 * Whether an attribution is a provider relationship — a company serving the site — the only kind
 * the provider pivot, U.S. counts and `diff --fail-on` count. Not `assets` (resources the pages
 * merely load), nor self-hosted software (a CMS or analytics the company runs itself).
 */
export function isRelationship(category: Category, a: Attribution): boolean {
  if (category === 'assets') return false;
  return !isSoftware(category, a);
}

export type Services = Record<Category, Attribution[]>;

export type ResultStatus = 'ok' | 'partial' | 'failed';

export interface Result {
  domain: string;
  /** Unicode form of an IDN domain, for display. */
  unicode?: string;
  input: InputInfo;
  status: ResultStatus;
  services: Services;
  errors: ProbeError[];
}

// ---------------------------------------------------------------- Observation
// Raw evidence gathered by the collect stage. Everything classification needs, nothing it
// derives. Documented field by field in src/observation.schema.json.

export type HostRole = 'apex' | 'www' | 'final' | 'mx' | 'ns';

export interface HostAddresses {
  /** Why this host was looked up. */
  roles: HostRole[];
  /** CNAME chain from the host: each target in order, lowercase, no trailing dot. */
  cname: string[];
  a: string[];
  aaaa: string[];
}

export interface SoaRecord {
  mname: string;
  rname: string;
  serial: number;
}

export interface MxRecord {
  preference: number;
  exchange: string;
}

export interface DkimRecord {
  /** The selector asked: <selector>._domainkey.<domain>. */
  selector: string;
  /** CNAME chain from that name, in order. */
  cname: string[];
  /** DKIM key records found at the end of the chain (clipped). */
  txt: string[];
}

/** TXT records at a fixed service name under the domain (`_amazonses`, `asuid`). */
export interface NamedTxt {
  /** The name asked, relative to the domain. */
  name: string;
  txt: string[];
}

export interface CaaRecord {
  flags: number;
  tag: string;
  value: string;
}

export interface DnsObservation {
  /** Name server host names of the domain, lowercase, no trailing dot, sorted. */
  ns: string[];
  soa: SoaRecord | null;
  mx: MxRecord[];
  /** TXT records of the domain, each one string (chunks joined). */
  txt: string[];
  /** TXT records of _dmarc.<domain>. */
  dmarc: string[];
  caa: CaaRecord[];
  /** DKIM keys found under platforms' default selectors (absent in older Observations, and when --no-extra-dns). */
  dkim?: DkimRecord[];
  /** CNAME chain of autodiscover.<domain> (absent in older Observations, and when --no-extra-dns). */
  autodiscover?: string[];
  /** TXT records at the fixed service names the vendor rules mention (absent in older Observations, and when --no-extra-dns). */
  named?: NamedTxt[];
  /** Every host looked up (apex, www, final hosts after redirects, MX and NS hosts), by name. */
  hosts: Record<string, HostAddresses>;
}

export interface AsnInfo {
  asn: number | null;
  /** AS name as the source gives it, e.g. "AMAZON-02" (docs/contracts.md). */
  asName?: string;
  /** The country the registry gives for the AS (not a provider company's HQ). */
  country?: string;
  prefix?: string;
  source: 'db' | 'cymru' | 'file';
  /** Date of the data the answer comes from (YYYY-MM-DD), when known. */
  date?: string;
}

export interface CertInfo {
  subject: Record<string, string>;
  issuer: Record<string, string>;
  /** Subject alternative names (DNS names and IPs). */
  san: string[];
  validFrom: string;
  validTo: string;
  serial: string;
  fingerprint256: string;
  keyType?: string;
  /** Subject Key Identifier, lowercase hex. */
  ski?: string;
  /** Authority Key Identifier (keyIdentifier), lowercase hex: the issuing CA's SKI. */
  aki?: string;
}

export interface TlsObservation {
  host: string;
  address: string;
  port: number;
  /** Whether the chain verified against the trust store for this host name. */
  authorized: boolean;
  /** The verification error when not authorized, e.g. CERT_HAS_EXPIRED. */
  authorizationError?: string;
  protocol?: string;
  cipher?: string;
  alpn?: string;
  /** Leaf first. */
  chain: CertInfo[];
  error?: ProbeError;
}

export interface HttpHop {
  url: string;
  status: number;
  location?: string;
  address?: string;
}

export interface MetaTag {
  name?: string;
  property?: string;
  httpEquiv?: string;
  content: string;
}

export interface HtmlSignals {
  charset?: string;
  title?: string;
  meta: MetaTag[];
  scripts: string[];
  links: { href: string; rel: string }[];
  iframes: string[];
  images: string[];
  /** URLs found inside inline scripts. */
  inlineUrls: string[];
  /** Tracking IDs found in inline scripts: UA-…, G-…, GTM-…, Baidu hm.js keys, … */
  ids: string[];
  forms: string[];
  /** Style sheets the page's inline <style> elements @import (absent when none): loaded like a <link rel="stylesheet">. */
  imports?: string[];
  /** A bounded excerpt of the markup (its head, and its tail when longer), for markup rules and later re-classification. */
  excerpt?: string;
}

export interface HttpObservation {
  /** The URL the probe started from. */
  url: string;
  finalUrl?: string;
  status?: number;
  /** Every hop before the final response, in order. */
  redirects: HttpHop[];
  /** Final response headers in order, duplicates kept, names lowercase. */
  headers: [string, string][];
  /** Address the final response came from. */
  address?: string;
  html?: HtmlSignals;
  /** The (bounded, decoded) body, only with --save-body. */
  body?: string;
  error?: ProbeError;
}

export interface Observation {
  /** Format version of this object. */
  observation: 1;
  domain: string;
  unicode?: string;
  input: InputInfo;
  dns: DnsObservation;
  /** Every address seen (A/AAAA of any host), to its network. */
  addresses: Record<string, AsnInfo>;
  tls: TlsObservation[];
  http: HttpObservation[];
  errors: ProbeError[];
}

export function emptyServices(): Services {
  return {
    hosting: [],
    cdn: [],
    email: [],
    certificate: [],
    dns: [],
    cms: [],
    analytics: [],
    assets: [],
    saas: [],
  };
}

export function emptyObservation(domain: string, input: InputInfo): Observation {
  return {
    observation: 1,
    domain,
    input,
    dns: { ns: [], soa: null, mx: [], txt: [], dmarc: [], caa: [], hosts: {} },
    addresses: {},
    tls: [],
    http: [],
    errors: [],
  };
}
