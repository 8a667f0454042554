// Rule patterns run against text chosen by the scanned sites (adversaries), so they must be
// bounded: short, no nested quantifiers (catastrophic backtracking such as (a+)+), and no
// `.*`/`.+` with more pattern after it (quadratic scans over large inputs).

export const MAX_PATTERN_LENGTH = 200;

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
function quantifierAt(s: string, i: number): { len: number; repeats: boolean; unbounded: boolean } | null {
  const c = s[i];
  let len = 0;
  let repeats = false;
  let unbounded = false;
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
  } else {
    return null;
  }
  if (s[i + len] === '?') len++; // lazy
  return { len, repeats, unbounded };
}

function unboundedProblem(s: string): string | null {
  // Stack of open groups: does the group contain a repeating quantifier?
  const groups: boolean[] = [];
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
    } else if (c === '.') {
      isDot = true;
    }
    const q = quantifierAt(s, atomEnd);
    if (q) {
      if (q.repeats && atomRepeats) return 'nested quantifier (unbounded backtracking)';
      if (q.unbounded && isDot && !/^[)$]*$/.test(s.slice(atomEnd + q.len))) {
        return "unbounded '.*' or '.+' followed by more pattern";
      }
      if (q.repeats && groups.length > 0) groups[groups.length - 1] = true;
      if (atomRepeats && groups.length > 0) groups[groups.length - 1] = true;
      i = atomEnd + q.len;
    } else {
      if (atomRepeats && groups.length > 0) groups[groups.length - 1] = true;
      i = atomEnd;
    }
  }
  return null;
}
