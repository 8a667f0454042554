// The World format (docs/contracts.md "World"): a contract. Outside worlds written to it must run unchanged.

export interface WorldAsn {
  asn: number;
  name: string;
  country?: string;
  /** CIDR prefixes (IPv4 or IPv6) announced by this AS. */
  prefixes: string[];
  /** Regional registry for the Cymru answer; defaults to "arin". */
  registry?: string;
  /** Allocation date for the Cymru answer; defaults to "2020-01-01". */
  allocated?: string;
}

export interface WorldCa {
  id: string;
  /** Id of the issuing CA; absent for a root. */
  issuer?: string;
  /**
   * Subject attributes in order: short names (C, ST, L, O, OU, CN, E), the names OpenSSL gives
   * (serialNumber, organizationIdentifier, emailAddress, DC, street, postalCode, jurisdictionC, …)
   * or dotted OIDs.
   */
  subject: Record<string, string>;
  /** Subject Key Identifier (hex) to put in the certificate, e.g. a real CA's; default: from the world's key. */
  ski?: string;
}

export interface WorldSiteTls {
  /** Id of the CA (in `cas`) that issues this site's certificate. */
  ca: string;
  /** Names on the certificate; defaults to the site name. */
  names?: string[];
}

export interface WorldHttp {
  status?: number;
  /** Header values may be arrays for repeated headers (set-cookie). */
  headers?: Record<string, string | string[]>;
  body?: string;
  /** Path relative to the world file. */
  bodyFile?: string;
}

export interface WorldSite {
  tls?: WorldSiteTls;
  http?: WorldHttp;
  /** Its own answer on port 80 (typically a redirect to https); otherwise port 80 serves `http`. */
  plainHttp?: WorldHttp;
}

export const DNS_FAULTS = ['dns-servfail', 'dns-nxdomain', 'dns-timeout', 'dns-truncate', 'dns-malformed'] as const;
export const CONNECTION_FAULTS = [
  'tcp-timeout',
  'tcp-reset',
  'slow',
  'expired-cert',
  'self-signed',
  'wrong-host-cert',
] as const;
export const HTTP_FAULTS = ['http-500', 'redirect-loop', 'huge-body', 'gzip-bomb', 'bad-encoding'] as const;
export const FAULTS = [...DNS_FAULTS, ...CONNECTION_FAULTS, ...HTTP_FAULTS] as const;
export type FaultName = (typeof FAULTS)[number];

export interface World {
  world: 1;
  description?: string;
  /** The company domains this world is about, in order. */
  domains?: string[];
  /** Added before every DNS answer and every TCP accept / first byte. */
  latencyMs?: number;
  /**
   * TLS sites also speak HTTP/2 (ALPN `h2`, HTTP/1.1 still accepted), as most real sites do:
   * a client offering h2 gets it. Off by default (worlds written before it stay byte-identical).
   */
  http2?: boolean;
  asns?: WorldAsn[];
  cas?: WorldCa[];
  /** Zone name → records in zone-file presentation format, names relative to the zone. */
  zones?: Record<string, string[]>;
  /** Host name → what it serves. */
  sites?: Record<string, WorldSite>;
  /** Zone or host name → a fault name, or several. */
  faults?: Record<string, FaultName | FaultName[]>;
}
