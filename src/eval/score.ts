// Accuracy against a labeled world: per category, which provider companies a scan found versus
// what the labels say. Company level, because that is what a published table names; an
// Attribution with no vendor (an unknown network, an unknown issuer) is "not attributed", so it
// is neither a hit nor a false claim.
import { CATEGORIES, type Category, type Result } from '../types.js';

export interface LabelFile {
  labels: 1;
  /** What the labels name: "company" ids from the vendor database. */
  level: 'company';
  domains: Record<string, Partial<Record<Category, string[]>>>;
  /** Where each domain's signals come from (a capture id of fixtures/real), for reading mistakes. */
  sources?: Record<string, string>;
}

export interface CategoryScore {
  category: Category | 'all';
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface Mistake {
  domain: string;
  category: Category;
  kind: 'false-positive' | 'missed';
  company: string;
  evidence?: string[];
}

export function parseLabels(text: string, file: string): LabelFile {
  const v = JSON.parse(text) as Partial<LabelFile>;
  if (v.labels !== 1 || typeof v.domains !== 'object' || v.domains === null) {
    throw new Error(`${file}: not a label file (expected {"labels": 1, "level": "company", "domains": {...}})`);
  }
  return v as LabelFile;
}

export function score(labels: LabelFile, results: Result[]): { scores: CategoryScore[]; mistakes: Mistake[] } {
  const byDomain = new Map(results.map((r) => [r.domain, r]));
  const counts = new Map<Category, { tp: number; fp: number; fn: number }>(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  const mistakes: Mistake[] = [];
  for (const [domain, expected] of Object.entries(labels.domains)) {
    const result = byDomain.get(domain);
    for (const category of CATEGORIES) {
      const want = new Set(expected[category] ?? []);
      const found = new Map<string, string[]>();
      for (const a of result?.services[category] ?? []) {
        if (a.vendor !== null && a.company !== null) found.set(a.company, a.evidence);
      }
      const c = counts.get(category)!;
      for (const company of want) {
        if (found.has(company)) c.tp++;
        else {
          c.fn++;
          mistakes.push({ domain, category, kind: 'missed', company });
        }
      }
      for (const [company, evidence] of found) {
        if (!want.has(company)) {
          c.fp++;
          mistakes.push({ domain, category, kind: 'false-positive', company, evidence });
        }
      }
    }
  }
  const scores: CategoryScore[] = [];
  const total = { tp: 0, fp: 0, fn: 0 };
  for (const category of CATEGORIES) {
    const c = counts.get(category)!;
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
    scores.push(withRates(category, c));
  }
  scores.push(withRates('all', total));
  return { scores, mistakes };
}

function withRates(category: Category | 'all', c: { tp: number; fp: number; fn: number }): CategoryScore {
  // No claims at all is perfectly precise; nothing to find is perfectly recalled.
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  return { category, ...c, precision, recall };
}

/** One line per mistake: kind, category, company, domain (and its capture), the evidence of a false claim. */
export function renderMistakes(mistakes: Mistake[], sources: Record<string, string> = {}): string {
  return mistakes.map((m) => [m.kind, m.category, m.company, sources[m.domain] ? `${m.domain} (${sources[m.domain]})` : m.domain, (m.evidence ?? []).join('; ')].join('  ').trimEnd() + '\n').join('');
}

export function renderScores(scores: CategoryScore[]): string {
  const head = ['category', 'labels', 'found', 'wrong', 'missed', 'precision', 'recall'];
  const rows = scores.map((s) => [s.category, String(s.tp + s.fn), String(s.tp), String(s.fp), String(s.fn), s.precision.toFixed(3), s.recall.toFixed(3)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}
