// Which rules of a list a value can match, from the literals their patterns require (literal.ts):
// one regex pass finds every position where some literal starts, so a rule is tried only when one
// of its own literals is in the value. Testing "any literal at all" and then every rule's literals
// in turn cost ~0.8 ms on a real-sized page: generic literals (".net/", "/scripts/") are in most
// URLs, and a hit sent every one of ~1,400 rules to its own test.
//
// Exact: the alternation lists longer literals first, so at each position the regex reports the
// longest literal starting there; any other literal starting there is a prefix of it, and is
// looked up as one. The scan resumes one character after each hit, so every start position is seen.

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export class LiteralScan {
  private readonly re: RegExp | undefined;
  /** Literal → the rules (indices) that require it, itself and its prefixes that are literals too. */
  private readonly rulesAt = new Map<string, number[]>();
  /** Rules without a literal: always candidates. */
  private readonly always: number[] = [];

  /** `lits[i]`: the lowercase literals rule i requires one of; undefined: none (always tried). */
  constructor(lits: readonly (readonly string[] | undefined)[]) {
    const own = new Map<string, number[]>();
    lits.forEach((ls, i) => {
      if (!ls) return void this.always.push(i);
      for (const l of new Set(ls)) {
        const rs = own.get(l);
        if (rs) rs.push(i);
        else own.set(l, [i]);
      }
    });
    if (own.size === 0) return;
    for (const l of own.keys()) {
      const rules = new Set<number>();
      for (let k = 1; k <= l.length; k++) for (const r of own.get(l.slice(0, k)) ?? []) rules.add(r);
      this.rulesAt.set(l, [...rules]);
    }
    const sorted = [...own.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
    this.re = new RegExp(sorted.map(escapeRe).join('|'), 'g');
  }

  /** Indices of the rules `lower` (a lowercased value) may match, ascending. */
  candidates(lower: string): number[] {
    const re = this.re;
    if (!re) return this.always;
    let found: Set<number> | undefined;
    re.lastIndex = 0;
    for (let m = re.exec(lower); m !== null; m = re.exec(lower)) {
      found ??= new Set(this.always);
      for (const r of this.rulesAt.get(m[0])!) found.add(r);
      re.lastIndex = m.index + 1;
    }
    return found ? [...found].sort((a, b) => a - b) : this.always;
  }
}
