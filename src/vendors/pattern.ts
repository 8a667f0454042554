// Rule patterns run against text chosen by the scanned sites (adversaries), so they must be
// bounded: short, no nested quantifiers or repeated alternations (catastrophic backtracking
// such as (a+)+ or (a|a)*), no `.*`/`.+` with more pattern after it (quadratic scans over
// large inputs), and a bounded product of repetition counts (a*a*a*b is polynomial: n^4).

export const MAX_PATTERN_LENGTH = 200;
/**
 * Backtracking budget: the product over all quantifiers of (max repeats + 1), an unbounded one
 * counting as UNBOUNDED_COST. One `+` with a little bounded repetition passes; two unbounded
 * quantifiers (a*a*b, \w+\w+x: seconds on 500 characters) or a{0,200}a{0,200} do not.
 */
const MAX_COST = 20_000;
const UNBOUNDED_COST = 1000;

/** Why the pattern is rejected, or null when it is acceptable. */
export function patternProblem(source: string): string | null {
  if (source.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(source, 'i');
  } catch (e) {
    return `does not compile: ${e instanceof Error ? e.message : String(e)}`;
  }
  return unboundedProblem(source);
}

/** Quantifier at position i (after an atom): its length, and whether it repeats unboundedly. */
function quantifierAt(s: string, i: number): { len: number; repeats: boolean; unbounded: boolean; cost: number } | null {
  const c = s[i];
  let len = 0;
  let repeats = false;
  let unbounded = false;
  let cost = 2;
  if (c === '*' || c === '+') {
    len = 1;
    repeats = true;
    unbounded = true;
  } else if (c === '?') {
    len = 1;
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(i));
    if (!m) return null;
    len = m[0].length;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
    repeats = max > 1;
    unbounded = max === Infinity;
    cost = max + 1;
  } else {
    return null;
  }
  if (unbounded) cost = UNBOUNDED_COST;
  if (s[i + len] === '?') len++; // lazy
  return { len, repeats, unbounded, cost };
}

function unboundedProblem(s: string): string | null {
  // Stack of open groups: does the group contain a quantifier or an alternation? Repeating
  // such a group backtracks exponentially ((a+)+, (a|a)*, (a?){25}).
  const groups: boolean[] = [];
  let cost = 1;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    let atomEnd = i + 1;
    let atomRepeats = false;
    let isDot = false;
    if (c === '\\') {
      atomEnd = i + 2;
    } else if (c === '[') {
      let j = i + 1;
      if (s[j] === '^') j++;
      if (s[j] === ']') j++;
      while (j < s.length && s[j] !== ']') j += s[j] === '\\' ? 2 : 1;
      atomEnd = j + 1;
    } else if (c === '(') {
      groups.push(false);
      // skip group modifiers (?: (?= (?! (?<= (?<! (?<name>
      const m = /^\(\?(:|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(s.slice(i));
      i += m ? m[0].length : 1;
      continue;
    } else if (c === ')') {
      atomRepeats = groups.pop() ?? false;
    } else if (c === '|') {
      if (groups.length > 0) groups[groups.length - 1] = true;
      i++;
      continue;
    } else if (c === '.') {
      isDot = true;
    }
    const q = quantifierAt(s, atomEnd);
    if (q) {
      if (q.repeats && atomRepeats) return 'nested quantifier or repeated alternation (unbounded backtracking)';
      cost *= q.cost;
      if (cost > MAX_COST) return 'too many or too large quantifiers (polynomial backtracking); bound them, e.g. {1,63}';
      if (q.unbounded && isDot && !/^[)$]*$/.test(s.slice(atomEnd + q.len))) {
        return "unbounded '.*' or '.+' followed by more pattern";
      }
      if (groups.length > 0) groups[groups.length - 1] = true;
      if (atomRepeats && groups.length > 0) groups[groups.length - 1] = true;
      i = atomEnd + q.len;
    } else {
      if (atomRepeats && groups.length > 0) groups[groups.length - 1] = true;
      i = atomEnd;
    }
  }
  return null;
}
