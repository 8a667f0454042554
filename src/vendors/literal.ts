// A cheap test before a rule's regex: text each branch of the pattern must contain. Rules are
// compiled case-insensitively without the u flag, where an ASCII letter only ever matches itself
// in either case, so "the lowercased value contains the lowercased literal" is necessary for a
// match; a value without any branch's literal cannot match and its regex is not run. Derived
// conservatively: anything not plainly literal (groups, classes, escapes of letters, quantified
// atoms, anchors) ends a run of literal text, and a branch without a run of 3+ characters gives
// no literal at all (the rule's regex then always runs).

const MIN_LITERAL = 3;
/** Escaped punctuation that stands for itself. */
const PUNCT = new Set('.\\/-_:=?&#%@!\'"()[]{}+*^$|,;<> ~`'.split(''));

/** One required literal per top-level branch (lowercase), or undefined when some branch has none. */
export function requiredLiterals(pattern: string): string[] | undefined {
  const out: string[] = [];
  for (const branch of topBranches(pattern)) {
    const lit = longestRun(branch);
    // No run of plain text: a group every match passes through gives one literal per alternative
    // (`^(https?:)?\/\/(js\.a\.com|b\.net)\/` needs "js.a.com" or "b.net").
    const lits = lit !== undefined ? [lit] : groupLiterals(branch);
    if (lits === undefined) return undefined;
    out.push(...lits);
  }
  return out.length > 0 ? out : undefined;
}

/** The literals of the first group a match of `branch` must pass through (not optional, not a lookaround). */
function groupLiterals(branch: string): string[] | undefined {
  for (let i = 0; i < branch.length; i++) {
    const c = branch[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(branch, i);
    else if (c === '(') {
      const end = groupEnd(branch, i);
      let body = branch.slice(i + 1, end);
      i = end;
      if (quantified(branch, end + 1)) continue;
      if (body.startsWith('?:')) body = body.slice(2);
      else if (body.startsWith('?')) continue;
      const lits = requiredLiterals(body);
      if (lits !== undefined) return lits;
    }
  }
  return undefined;
}

/** The pattern split on `|` outside groups and classes. */
export function topBranches(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(src, i);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(start, i));
      start = i + 1;
    }
  }
  out.push(src.slice(start));
  return out;
}

/** Index of the `]` closing the class opened at `i` (the last index when unclosed). */
function classEnd(src: string, i: number): number {
  let j = i + 1;
  while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
  return Math.min(j, src.length - 1);
}

/** Index of the `)` closing the group opened at `i`. */
function groupEnd(src: string, i: number): number {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') j = classEnd(src, j);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  return src.length - 1;
}

const QUANT = /^\{\d+(,\d*)?\}/;
/** Is the atom ending before `i` made optional or repeatable by what follows? */
const quantified = (src: string, i: number): boolean => src[i] === '*' || src[i] === '?' || src[i] === '+' || (src[i] === '{' && QUANT.test(src.slice(i)));

function longestRun(branch: string): string | undefined {
  let best = '';
  let cur = '';
  const end = (): void => {
    if (cur.length > best.length) best = cur;
    cur = '';
  };
  let i = 0;
  while (i < branch.length) {
    const c = branch[i]!;
    let atom: string | undefined;
    let next: number;
    if (c === '\\') {
      const d = branch[i + 1];
      if (d !== undefined && PUNCT.has(d)) {
        atom = d;
        next = i + 2;
      } else {
        // \d \w \s \b, \xHH, \uHHHH, \cX, back-references: not literal text; skip all of it.
        next = d === 'x' ? i + 4 : d === 'u' ? i + 6 : d === 'c' ? i + 3 : i + 2;
        if (d !== undefined && d >= '0' && d <= '9') while (next < branch.length && branch[next]! >= '0' && branch[next]! <= '9') next++;
      }
    } else if (c === '[') next = classEnd(branch, i) + 1;
    else if (c === '(') next = groupEnd(branch, i) + 1;
    else if (c === '{' && QUANT.test(branch.slice(i))) next = i + QUANT.exec(branch.slice(i))![0].length;
    else if ('.^$*+?{}|)]'.includes(c)) next = i + 1;
    else {
      const code = c.charCodeAt(0);
      if (code >= 0x20 && code <= 0x7e) atom = c;
      next = i + 1;
    }
    if (atom === undefined || quantified(branch, next)) end();
    else cur += atom.toLowerCase();
    i = next;
  }
  end();
  return best.length >= MIN_LITERAL ? best : undefined;
}
