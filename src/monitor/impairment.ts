// Which categories a probe error leaves unmeasured. A provider that vanished from a
// category whose probe failed this time was not seen to leave: it was not looked at.
//
// Stage → categories (what each category's attributions are derived from):
//   dns   NS → dns; MX → email; TXT/SPF → email, saas; A/AAAA/CNAME of apex/www/MX hosts →
//         hosting, cdn, email, and everything fetched over the connection (certificate, cms,
//         analytics, assets). When the error's target names the record type ("x.com MX"),
//         only that type's categories; otherwise all categories.
//   asn   addresses → network: hosting, cdn (anycast ASNs), dns and email (self-hosted NS/MX
//         are attributed to their network).
//   tls   certificate, and the HTTPS response behind it: cdn (edge headers), cms, analytics, assets.
//   http  cdn, cms, analytics, assets, and hosting (the final host after redirects).
//   html  cms, analytics, assets.
//   scan, input  (deadline, abort, internal): all categories — we cannot tell what was cut.
import { CATEGORIES, type Category, type ProbeError, type Result, type Stage } from '../types.js';

const CONNECTION: readonly Category[] = ['certificate', 'cdn', 'cms', 'analytics', 'assets'];

export const STAGE_CATEGORIES: Readonly<Record<Stage, readonly Category[]>> = {
  dns: CATEGORIES,
  asn: ['hosting', 'cdn', 'dns', 'email'],
  tls: CONNECTION,
  http: ['cdn', 'cms', 'analytics', 'assets', 'hosting'],
  html: ['cms', 'analytics', 'assets'],
  scan: CATEGORIES,
  input: CATEGORIES,
};

const DNS_TYPE_CATEGORIES: Readonly<Record<string, readonly Category[]>> = {
  NS: ['dns'],
  SOA: ['dns'],
  MX: ['email'],
  TXT: ['email', 'saas'],
  CAA: ['certificate'],
  A: ['hosting', 'email', ...CONNECTION],
  AAAA: ['hosting', 'email', ...CONNECTION],
  CNAME: ['hosting', 'email', ...CONNECTION],
};

export function categoriesAffectedBy(error: ProbeError): readonly Category[] {
  if (error.stage === 'dns' && typeof error.target === 'string') {
    const type = error.target.trim().split(/\s+/).pop()?.toUpperCase() ?? '';
    const narrowed = DNS_TYPE_CATEGORIES[type];
    if (narrowed) return narrowed;
  }
  return STAGE_CATEGORIES[error.stage] ?? CATEGORIES;
}

/** Category → the errors ("stage CODE") that left it unmeasured in this Result. */
export function impairments(result: Result): Map<Category, string[]> {
  const out = new Map<Category, string[]>();
  for (const error of result.errors) {
    const label = errorLabel(error);
    for (const category of categoriesAffectedBy(error)) {
      const list = out.get(category) ?? [];
      if (!list.includes(label)) list.push(label);
      out.set(category, list);
    }
  }
  for (const list of out.values()) list.sort();
  return out;
}

export function errorLabel(error: ProbeError): string {
  return `${String(error.stage)} ${String(error.code)}`;
}
