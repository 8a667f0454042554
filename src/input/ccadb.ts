// A CCADB "AllCertificatePEMsCSVFormat" report (RFC 4180 CSV with "SHA-256 Fingerprint" and
// "X.509 Certificate (PEM)" columns): its rows, each with the line it starts on. A file that is
// not such a report is one problem, named by file and line; parsing the certificates is the
// index builder's (src/vendors/ccadb/build.ts).
import { parseCsv } from './csv.js';

export interface ReportRow {
  /** As shown in messages. */
  file: string;
  line: number;
  /** The fingerprint the report states (may be empty when the report has no such column). */
  sha256: string;
  pem: string;
}

export const SHA_COLUMN = 'SHA-256 Fingerprint';
export const PEM_COLUMN = 'X.509 Certificate (PEM)';

export function readCcadbReport(file: string, text: string): { rows: ReportRow[]; problems: string[] } {
  const problems: string[] = [];
  const { records, error } = parseCsv(text);
  if (error) problems.push(`${file}:${error.line}: ${error.reason}`);
  const header = records[0]?.fields.map((f) => f.trim()) ?? [];
  const shaAt = header.indexOf(SHA_COLUMN);
  const pemAt = header.indexOf(PEM_COLUMN);
  if (pemAt < 0) return { rows: [], problems: [...problems, `${file}:1: not a CCADB certificate report: no "${PEM_COLUMN}" column`] };
  const rows: ReportRow[] = [];
  for (const r of records.slice(1)) {
    if (r.fields.length === 1 && r.fields[0] === '') continue;
    rows.push({ file, line: r.line, sha256: shaAt >= 0 ? (r.fields[shaAt] ?? '') : '', pem: r.fields[pemAt] ?? '' });
  }
  return { rows, problems };
}
