// Every rule carries examples (formats per kind in types.ts). They run through the same matcher
// functions the classifier uses: a match example must attribute the vendor in the rule's
// category; a nomatch example must not be matched by the rule.
import type { Rule, VendorEntry } from './types.js';
import type { VendorDb } from './load.js';
import { caaIssuer, cookieName, dmarcHits, dmarcTargets, matchIssuer, normalizeHost, parseHeaderLine, parseIssuer, spfTargets, type Matchers, type RuleHit } from './match.js';

/** The hits an example of this rule's kind produces. */
export function hitsForExample(m: Matchers, rule: Rule, example: string): RuleHit[] {
  switch (rule.kind) {
    case 'ns':
    case 'mx':
    case 'cname':
    case 'autodiscover':
      return m.host(rule.kind, example);
    case 'dmarc':
      return dmarcTargets(example).flatMap((t) => dmarcHits(m, t));
    case 'caa': {
      const value = /^\s*\d+\s+issue(wild)?\s+"?([^"]*)"?\s*$/i.exec(example)?.[2] ?? example;
      const d = caaIssuer(value);
      return d ? m.host('caa', d) : [];
    }
    case 'dkim': {
      const [selector = '', type = '', data = ''] = example.trim().split(/\s+/, 3).concat(['', '', '']);
      return m.dkim(selector, type.toUpperCase() === 'CNAME' ? [normalizeHost(data)] : []);
    }
    case 'soa':
      return m.host(rule.field === 'mname' ? 'soa-mname' : 'soa-rname', example);
    case 'spf':
      return spfTargets(example).flatMap((t) => m.host('spf', t.target));
    case 'txt': {
      if (rule.name === undefined) return m.txt(example);
      // A service-name token: "NAME VALUE" (so a nomatch can be the same value at another name).
      const sp = example.indexOf(' ');
      return sp < 0 ? [] : m.txt(example.slice(sp + 1), example.slice(0, sp));
    }
    case 'asn': {
      const n = /^AS(\d+)$/i.exec(example.trim());
      return n && n[1] ? m.asn(Number(n[1])) : [];
    }
    case 'asorg':
      return m.asorg(example);
    case 'issuer':
      return matchIssuer(m, parseIssuer(example), rule.root === true);
    case 'header': {
      const [name, value] = parseHeaderLine(example);
      return m.header(name, value);
    }
    case 'cookie':
      return m.text('cookie', cookieName(example));
    default:
      return m.text(rule.kind, example);
  }
}

function describe(vendor: VendorEntry, index: number): string {
  return `vendor ${vendor.id}: rules[${index}]`;
}

/** Failures, one line each: "vendor cloudfront: rules[2].examples.match[0]: 'x' did not attribute cloudfront (cdn)". */
export function checkExamples(db: VendorDb): string[] {
  const out: string[] = [];
  for (const vendor of db.vendors) {
    vendor.rules.forEach((rule, index) => {
      rule.examples.match.forEach((ex, j) => {
        const hits = hitsForExample(db.matchers, rule, ex);
        if (!hits.some((h) => h.vendor.id === vendor.id && h.category === rule.category)) {
          const other = hits.map((h) => h.vendor.id).filter((id) => id !== vendor.id);
          const why = other.length > 0 ? `; matched ${[...new Set(other)].sort().join(', ')} instead` : '';
          out.push(`${describe(vendor, index)}.examples.match[${j}]: ${JSON.stringify(ex)} did not attribute ${vendor.id} (${rule.category})${why}`);
        }
      });
      rule.examples.nomatch.forEach((ex, j) => {
        const hits = hitsForExample(db.matchers, rule, ex);
        if (hits.some((h) => h.vendor.id === vendor.id && h.index === index)) {
          out.push(`${describe(vendor, index)}.examples.nomatch[${j}]: ${JSON.stringify(ex)} matched the rule`);
        }
      });
    });
  }
  return out;
}
