// The CCADB index file (src/vendors/ccadb/index.json): every TLS-capable CA certificate of a
// CCADB "AllCertificatePEMsCSVFormat" report, compiled by `whoserves data ccadb` (build.ts).
// Rows are arrays to keep the shipped file small; the loader (index.ts) names the fields.

/** [id, legal name, ISO country or null, brand name as shown] */
export type CompanyRow = [string, string, string | null, string];

/**
 * A distinguished name: the dnKey string ("/C=US/O=…/CN=…"), or the attribute pairs when a value
 * holds something that would make the string ambiguous (a "/X=" inside a value).
 */
export type NameCell = string | [string, string][];

/** [name index, index in `cas` of the root certificate or -1 when only its name is known, owner company index] */
export type RootRow = [number, number, number];

/**
 * [SHA-256 (base64, no padding), SKI (base64, no padding, "" when none), subject name index,
 *  issuer index in `cas` (-1: self-signed, or issuer not in the report), root index,
 *  brand company index, TLS-capable (1/0), notBefore and notAfter (days since 1970-01-01 UTC)]
 */
export type CaRow = [string, string, number, number, number, number, 0 | 1, number, number];

export interface CcadbIndexFile {
  /** Says the file is generated and how to regenerate it. */
  generated: string;
  format: 1;
  /** First 12 hex digits of the sha256 of the rest of the file: changes with the data. */
  version: string;
  source: {
    report: string;
    /** Distinct certificates read from the report. */
    certificates: number;
    /** Newest notBefore in the report (YYYY-MM-DD): roughly the snapshot's date. */
    newest: string;
    /** Certificates that expired before this date (YYYY-MM-DD) are left out. */
    since: string;
    terms: string;
  };
  companies: CompanyRow[];
  names: NameCell[];
  roots: RootRow[];
  cas: CaRow[];
}

/** The hand-kept mapping from CA organisation names to companies (organizations.json). */
export interface OrganizationsFile {
  description?: string;
  /** Company id → the brand shown for its CAs ("TrustAsia", "Certum"); default: its name without legal form. */
  brands?: Record<string, string>;
  /** Organisation key (names.ts orgKey of an O=, or of OU/CN when a CA has no O) → company id in companies.json. */
  organizations: Record<string, string>;
  /** Roots owned by another company than the one their name says (sold roots), by dnKey → company id. */
  roots?: Record<string, string>;
  /**
   * Roots of the browser trust stores whose self-signed certificate predates the report (it starts
   * at NotBefore 2012) while cross-signed copies of them are in it, by dnKey: chains stop there
   * (intermediates under GlobalSign R3 are GlobalSign's, not those of R2 that cross-signed R3).
   */
  trustStoreRoots?: string[];
}
