// The vendor database format (docs/vendor-data.md). Data, not code: companies stored once in
// src/vendors/data/companies.json (`{ "companies": [Company, ...] }`), vendors in one JSON file
// per group (`{ "vendors": [VendorRecord, ...] }`) naming their company by id. Validated by
// src/vendors/vendors.schema.json and semantics.ts when the package is built (the compiled index
// in dist/) and by `vendors lint`. Users overlay their own file with `--vendors FILE` (same
// format, both keys allowed; an entry with an existing id replaces it), validated at load.
import type { Category } from '../types.js';

export interface Company {
  /** Stable id, kebab-case: "amazon", "alibaba", "digicert". Same id ⇒ same name and country everywhere. */
  id: string;
  /** Legal name: "Amazon.com, Inc.". */
  name: string;
  /** ISO 3166-1 alpha-2 of the headquarters: "US", "CN". */
  country: string;
  /** Parent company id, when the owner is itself owned (e.g. "alphabet" for Google). */
  parent?: string;
  /** Where the name and country come from (required in companies.json; optional inline in overlays). */
  source?: string;
}

/** A vendor as stored in a data file: the company by id (or, in an overlay, inline as before). */
export interface VendorRecord extends Omit<VendorEntry, 'company'> {
  company: string | Company;
}

/** A vendor as the classifier sees it: its company resolved. */
export interface VendorEntry {
  /** Stable id of the brand, kebab-case, unique across all files: "cloudfront". */
  id: string;
  /** Brand name as users know it: "Amazon CloudFront". */
  name: string;
  /** The company that owns the brand today (resolved from companies.json). */
  company: Company;
  /** Categories this brand can be attributed in. Each rule's category must be one of them. */
  categories: Category[];
  /** Ownership history where it matters: "GeoTrust: Symantec 2010, DigiCert 2017". */
  history?: string;
  /**
   * Free software the site's owner installs and runs on its own host (WordPress, Drupal, DedeCMS),
   * as opposed to a hosted service (WordPress.com, Shopify, Wix): its CMS attributions are marked
   * self-hosted and are not a provider relationship. Only for a CMS or analytics (`categories:
   * ["cms"]` or `["analytics"]`, e.g. a self-hosted Matomo) whose rules read the site's own pages
   * and responses; licensed products (Sitecore, Adobe Experience Manager, Bitrix) are a
   * relationship with their vendor and do not set it.
   */
  software?: boolean;
  /**
   * A hosted platform (Shopify, Wix, WordPress.com): it serves every site built with it, so its
   * CMS evidence also attributes hosting. The vendor lists both categories.
   */
  hostedPlatform?: boolean;
  /**
   * Ids of generic vendors this one makes more specific: where both are found in a category, only
   * this one is reported (WordPress.com supersedes self-hosted WordPress, whose paths it shares).
   */
  supersedes?: string[];
  /** Where the facts come from (documentation URL). A rule may override it. */
  source: string;
  rules: Rule[];
}

/** Examples turned into tests by `vendors lint` and the test suite. Formats per rule kind below. */
export interface RuleExamples {
  match: string[];
  nomatch: string[];
}

interface RuleBase {
  /** Category this rule attributes to (must be in the entry's categories). */
  category: Category;
  /** 0..1; each kind has a default (see the classifier). */
  confidence?: number;
  examples: RuleExamples;
  source?: string;
  /**
   * Attributes its category only when no CNAME, header or cookie rule names another vendor there:
   * a platform's own edge is its CDN unless another CDN fronts it; a cloud's load balancer is the
   * hosting unless the platform running on that cloud is named. (Networks never make it yield.)
   */
  fallback?: boolean;
}

// Host-name suffix rules match whole labels: suffix "cloudflare.com" matches "ns.cloudflare.com"
// and "cloudflare.com", never "mycloudflare.com". Lowercase, no leading or trailing dot.
// Example format: a host name.
//
// NS, MX, CNAME and SPF rules may instead carry a `pattern`, matched (whole, case-insensitive)
// against the host's registrable domain: a vendor's numbered family of domains that no list of
// suffixes covers ("^vercel-dns-\d{3}\.com$", "^kunlun[a-z]{2,4}\.com$"). A suffix rule that
// matches wins over any pattern rule.
type HostMatch = { suffix: string; pattern?: never } | { pattern: string; suffix?: never };

/** NS host names of the domain. */
export type NsRule = RuleBase & { kind: 'ns' } & HostMatch;
/** SOA MNAME or RNAME (rname in host form, e.g. "dns.jomax.net"). */
export interface SoaRule extends RuleBase { kind: 'soa'; field: 'mname' | 'rname'; suffix: string }
/**
 * MX exchange host names. Mostly the mailbox provider (email); a sender's bounce-processing MX
 * (Amazon SES's feedback-smtp at a custom MAIL FROM domain) proves the sender (saas).
 */
export type MxRule = RuleBase & { kind: 'mx' } & HostMatch;
/** CNAME targets anywhere in the chain of the company's own host names (apex, www, final host). */
export type CnameRule = RuleBase & { kind: 'cname' } & HostMatch;
/** `include:` and `redirect=` targets of the SPF record. Example format: a whole SPF record. */
export type SpfRule = RuleBase & { kind: 'spf' } & HostMatch;
/**
 * TXT verification tokens: the record starts with prefix (case-sensitive). At the apex, or with
 * `name` at a fixed service name under it (`_amazonses`, `asuid`, `_vercel`): the scanner asks
 * the names the rules mention. Example: a TXT string; with `name`, "NAME VALUE".
 */
export interface TxtRule extends RuleBase { kind: 'txt'; prefix?: string; name?: string }
/**
 * A DKIM key under a platform's default selector (collect/dns/mail-extras.ts asks them). With a
 * suffix, a host of the selector's CNAME chain must end in it; without, the key's presence is
 * enough. Example: "selector1 CNAME selector1-contoso-com._domainkey.contoso.onmicrosoft.com" or
 * "google TXT v=DKIM1; k=rsa; p=MIIB".
 */
export interface DkimRule extends RuleBase { kind: 'dkim'; selector: string; suffix?: string }
/** A host of the autodiscover.<domain> CNAME chain. Example: a host name. */
export interface AutodiscoverRule extends RuleBase { kind: 'autodiscover'; suffix: string }
/**
 * The domain of a DMARC report address (rua=/ruf= mailto:). Example: a whole DMARC record. With
 * `local`, the address's local part must equal it: a report service at a domain that also holds
 * personal mailboxes (mailauth-reports@qq.com, not anyone@qq.com).
 */
export interface DmarcRule extends RuleBase { kind: 'dmarc'; suffix: string; local?: string }
/** The CA domain a CAA issue/issuewild record authorises. Example: a CAA value, "letsencrypt.org". */
export interface CaaRule extends RuleBase { kind: 'caa'; suffix: string }
/**
 * Origin AS of the company's addresses. Example format: "AS16509". `carrier`: the AS is a
 * carrier's (a telecom's access or transit network), said so in the evidence: the site sits in
 * its address space, and may be hosted by one of its customers.
 */
export interface AsnRule extends RuleBase { kind: 'asn'; asns: number[]; carrier?: boolean }
/**
 * The organisation or AS name of the address's AS (the embedded database's organisation, Team
 * Cymru's AS name), for a company's networks no ASN list names. `pattern` is matched on whole
 * words against the name with legal forms stripped (asorg.ts). Example: the name as a source
 * gives it, "Hangzhou Alibaba Advertising Co.,Ltd." or "AMAZON-02".
 */
export interface AsorgRule extends RuleBase { kind: 'asorg'; pattern: string; carrier?: boolean }

// Text rules carry a `pattern`: a JavaScript regular expression source, compiled once with the
// "i" flag. Patterns must be bounded: no nested quantifiers, no unbounded `.*` between groups
// that can backtrack (`vendors lint` rejects them).

/**
 * Certificate issuer attribute. `field` is the attribute (O, CN, OU); with `root: true` it is
 * matched against the topmost issuer of the chain instead of the leaf's issuer.
 * Example format: an issuer in slash form: "/C=US/O=Let's Encrypt/CN=R3".
 */
export interface IssuerRule extends RuleBase { kind: 'issuer'; field: 'O' | 'CN' | 'OU'; pattern: string; root?: boolean }
/** A response header of the company's own host. Absent pattern: the header's presence. Example: "name: value". */
export interface HeaderRule extends RuleBase { kind: 'header'; name: string; pattern?: string }
/** A Set-Cookie cookie name. Example: "name=value; Path=/". */
export interface CookieRule extends RuleBase { kind: 'cookie'; pattern: string }
/** <meta name="generator"> content. Example: the content string. */
export interface GeneratorRule extends RuleBase { kind: 'generator'; pattern: string }
/**
 * A CMS shows in paths on the site's own host names; a cms rule matches other hosts only when it
 * is `offsite`: its pattern names the platform's own static host (cdn.shopify.com,
 * static1.squarespace.com), which only the platform's sites load as their scripts, stylesheets,
 * icons or share image (never as a mere <img> or a URL inside an inline script).
 */
interface PageUrlRule extends RuleBase { pattern: string; offsite?: boolean }
/** A <script src> URL. Example: a URL. */
export interface ScriptRule extends PageUrlRule { kind: 'script' }
/** A <link href> URL (stylesheets, fonts, preconnect), or a stylesheet an inline <style> @imports. Example: a URL. */
export interface LinkRule extends PageUrlRule { kind: 'link' }
/** Any URL the page loads or embeds: scripts, links, iframes, images, share images (og:image), URLs inside inline scripts. */
export interface UrlRule extends PageUrlRule { kind: 'url' }
/** The markup itself (bounded excerpt). Example: an HTML fragment. */
export interface HtmlRule extends RuleBase { kind: 'html'; pattern: string }
/** Tracking IDs found in inline scripts (UA-…, G-…, GTM-…, Baidu keys). Example: the ID. */
export interface AnalyticsIdRule extends RuleBase { kind: 'analytics-id'; pattern: string }

export type Rule =
  | NsRule
  | SoaRule
  | MxRule
  | CnameRule
  | SpfRule
  | TxtRule
  | DkimRule
  | AutodiscoverRule
  | DmarcRule
  | CaaRule
  | AsnRule
  | AsorgRule
  | IssuerRule
  | HeaderRule
  | CookieRule
  | GeneratorRule
  | ScriptRule
  | LinkRule
  | UrlRule
  | HtmlRule
  | AnalyticsIdRule;

export type RuleKind = Rule['kind'];

/** One data or overlay file: companies, vendors, or both. */
export interface VendorFile {
  companies?: Company[];
  vendors?: VendorRecord[];
}
