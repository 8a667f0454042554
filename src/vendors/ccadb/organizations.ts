// Read organizations.json (types.ts OrganizationsFile): the hand-kept mapping from the names CAs
// give themselves to the companies of the vendor database.
import { fromRoot } from '../../paths.js';
import { CcadbIndexError, readJson } from './index.js';
import { orgKey } from './names.js';
import type { OrganizationsFile } from './types.js';

export const DEFAULT_ORGANIZATIONS = fromRoot('src/vendors/ccadb/organizations.json');

/** Problems of a mapping: shape, and keys that are not in the form orgKey gives (they would never match). */
export function organizationProblems(data: unknown): string[] {
  const d = data as Partial<OrganizationsFile> | null;
  if (!d || typeof d !== 'object' || Array.isArray(d)) return ['expected a JSON object'];
  const out: string[] = [];
  const isMap = (v: unknown): v is Record<string, string> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
  if (!isMap(d.organizations)) out.push('organizations: expected an object of organisation key → company id');
  else for (const k of Object.keys(d.organizations)) if (orgKey(k) !== k) out.push(`organizations: key '${k}' is not normalised (orgKey gives '${orgKey(k)}')`);
  if (d.roots !== undefined && !isMap(d.roots)) out.push('roots: expected an object of root name → company id');
  if (d.brands !== undefined && !isMap(d.brands)) out.push('brands: expected an object of company id → brand name');
  if (d.trustStoreRoots !== undefined && !(Array.isArray(d.trustStoreRoots) && d.trustStoreRoots.every((x) => typeof x === 'string'))) {
    out.push('trustStoreRoots: expected an array of root names (dnKey)');
  }
  return out;
}

export function readOrganizations(file: string): OrganizationsFile {
  const data = readJson(file);
  const problems = organizationProblems(data);
  if (problems.length) throw new CcadbIndexError(problems.map((p) => `${file}: ${p}`).join('\n'));
  return data as OrganizationsFile;
}
