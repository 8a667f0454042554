// The embedded database seen per AS: its organisation name and how much IPv4 space it announces.
// What `whoserves vendors asns` attributes to companies, and how coverage is measured.
import type { RangeTable } from './ranges.js';

export interface AsnSummary {
  asn: number;
  /** The organisation name the database gives the AS. */
  name: string;
  /** IPv4 addresses in the AS's ranges (0 for an IPv6-only AS). */
  ipv4: number;
}

/** One entry per AS of the table (IPv4 and IPv6), sorted by AS number. */
export function summarizeTable(t: RangeTable): AsnSummary[] {
  const byAsn = new Map<number, AsnSummary>();
  const at = (asn: number, nameId: number): AsnSummary => {
    let s = byAsn.get(asn);
    if (!s) {
      s = { asn, name: t.nameOf(nameId), ipv4: 0 };
      byAsn.set(asn, s);
    }
    return s;
  };
  for (let i = 0; i < t.v4Count; i++) at(t.v4Asn[i]!, t.v4Name[i]!).ipv4 += t.v4End[i]! - t.v4Start[i]! + 1;
  for (let i = 0; i < t.v6Count; i++) at(t.v6Asn[i]!, t.v6Name[i]!);
  return [...byAsn.values()].sort((a, b) => a.asn - b.asn);
}
