// Checks the schema cannot express: rule categories within the entry's, one name and country
// per company id, bounded patterns.
import type { VendorEntry } from './types.js';
import { patternProblem } from './pattern.js';

export function semanticProblems(entries: { file: string; entry: VendorEntry }[]): string[] {
  const out: string[] = [];
  const companies = new Map<string, { name: string; country: string; where: string }>();
  for (const { file, entry } of entries) {
    const at = `${file}: vendor ${entry.id}`;
    const c = entry.company;
    const prev = companies.get(c.id);
    if (!prev) companies.set(c.id, { name: c.name, country: c.country, where: `${file} (vendor ${entry.id})` });
    else {
      if (prev.name !== c.name) out.push(`${at}: company.name: '${c.name}' differs from '${prev.name}' in ${prev.where}`);
      if (prev.country !== c.country) out.push(`${at}: company.country: '${c.country}' differs from '${prev.country}' in ${prev.where}`);
    }
    entry.rules.forEach((rule, i) => {
      if (!entry.categories.includes(rule.category)) {
        out.push(`${at}: rules[${i}].category: '${rule.category}' is not in the vendor's categories (${entry.categories.join(', ')})`);
      }
      if ('pattern' in rule && typeof rule.pattern === 'string') {
        const p = patternProblem(rule.pattern);
        if (p) out.push(`${at}: rules[${i}].pattern: ${p}`);
      }
    });
  }
  return out;
}
