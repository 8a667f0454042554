// Organisation names of autonomous systems, as the IP → ASN sources give them: the embedded
// database's organisations ("Hangzhou Alibaba Advertising Co.,Ltd.", 'LLC "Yandex.Cloud"') and
// Team Cymru's AS names ("AMAZON-02", "TENCENT-NET-AP Shenzhen Tencent Computer Systems Company
// Limited"). asorg rules match the name with legal forms and quotes stripped, on whole words: a
// brand inside another word ("Canaveral" holds "naver", "administrators" holds "strato") is not
// the brand. Scripts written without spaces between words (Han, Kana, Hangul) have no boundary.

/** Longest name looked at: AS names are short; a longer one is cut, never scanned whole. */
export const MAX_ORG_NAME = 256;

// Legal forms, as regex fragments (lowercase; the match is case-insensitive). Compound forms
// first, so "S.A. de C.V." goes in one step rather than leaving "S.A. de".
const SUFFIXES = [
  's\\.?\\s?a\\.?\\s?b?\\.?\\s?de\\s?c\\.?\\s?v\\.?',
  's\\.?\\s?de\\s?r\\.?\\s?l\\.?(\\s?de\\s?c\\.?\\s?v\\.?)?',
  'gmbh\\s?&\\s?co\\.?\\s?(kg|ohg|kgaa)',
  'ag\\s?&\\s?co\\.?\\s?(kg|ohg|kgaa)',
  'co\\.?,?\\s?ltd',
  'co\\.?,?\\s?limited',
  'company\\s(limited|ltd)',
  'public\\scompany\\slimited',
  'pty\\.?\\s?ltd',
  '\\(pty\\)\\s?ltd',
  'pte\\.?\\s?ltd',
  'pvt\\.?\\s?ltd',
  'private\\slimited',
  'sdn\\.?\\s?bhd',
  'sp\\.?\\s?z\\s?o\\.?\\s?o',
  'spolka\\s(akcyjna|z\\sograniczona\\sodpowiedzialnoscia)',
  'kabushiki\\skaisha',
  'limited\\sliability\\scompany',
  'anonim\\ssirketi',
  'inc', 'incorporated', 'llc', 'l\\.l\\.c', 'llp', 'lp', 'l\\.p', 'ltd', 'limited', 'ltda', 'ltee', 'ltée', 'plc', 'corp', 'corporation', 'co', 'company',
  'gmbh', 'mbh', 'ag', 'se', 'kg', 'ohg', 'e\\.?v', 'ug',
  's\\.?a', 's\\.?a\\.?s', 's\\.?a\\.?u', 's\\.?a\\.?a', 'sarl', 's\\.?p\\.?a', 's\\.?r\\.?l', 's\\.?l', 's\\.?c',
  's/a', 'b\\.?v', 'n\\.?v', 'cv', 'bvba', 'sprl', 'srl',
  'oy', 'oyj', 'ab', 'as', 'asa', 'a/s', 'aps', 'a\\.s', 'ehf', 'hf', 'sia', 'uab', 'oü', 'ou',
  'k\\.?k', 'pte', 'pty', 'pvt', 'bhd', 'tbk', 'pcl', 'jsc', 'pjsc', 'ojsc', 'cjsc', 'ooo', 'ооо', 'ао', 'пао', 'зао', 'оао',
  'd\\.?o\\.?o', 's\\.?r\\.?o', 'a\\.?d', 'd\\.?d', 'ead', 'kft', 'zrt', 'nyrt', 'eireli', 'me', 'epp', 'spa',
];
// In scripts without spaces the legal form follows the name directly: 杭州阿里巴巴广告有限公司.
const CJK_SUFFIX_RE = /(?:股份有限公司|有限责任公司|有限公司|株式会社|合同会社|주식회사|\(株\))$/u;
const CJK_PREFIX_RE = /^(?:株式会社|주식회사|\(株\))\s*/u;
// Legal forms written before the name: 'LLC "Yandex.Cloud"', 'PT. Telekomunikasi Selular', 株式会社….
const PREFIXES = [
  'limited\\sliability\\scompany', '(public|closed|open|private)?\\s?joint[\\s-]stock\\scompany',
  'llc', 'ooo', 'ооо', 'jsc', 'pjsc', 'ojsc', 'cjsc', 'zao', 'oao', 'pao', 'tov', 'pt\\.?', 'ао', 'пао', 'зао', 'оао',
];

const SUFFIX_RE = new RegExp(`(?:^|[\\s,&(]+)(?:${SUFFIXES.join('|')})[.\\s,)]*$`, 'iu');
/** The longest legal form with its separators is shorter than this: only a name's tail is searched. */
const TAIL = 48;
const PREFIX_RE = new RegExp(`^(?:${PREFIXES.join('|')})(?:\\s+|(?=["«“„]))`, 'iu');
const CONTROL = /[\u0000-\u001f\u007f]/g;
const QUOTES = /["«»“”„]/g;
/** LACNIC names carry their number first: "AS262180 - CANTV (NAP)". */
const AS_PREFIX = /^AS\d{1,10}\s{0,3}-\s{0,3}/i;

/**
 * The organisation name as rules see it: NFKC (full-width letters become ASCII), quotes and
 * control characters and a leading "AS123 - " gone, whitespace collapsed, legal forms stripped from both ends
 * ("Hangzhou Alibaba Advertising Co.,Ltd." → "Hangzhou Alibaba Advertising"). Case is kept.
 */
export function normalizeOrgName(raw: string): string {
  let s = raw.slice(0, MAX_ORG_NAME).normalize('NFKC').replace(CONTROL, ' ').replace(QUOTES, ' ');
  s = tidy(s.replace(AS_PREFIX, ''));
  for (let i = 0; i < 4; i++) {
    const before = s;
    const p = PREFIX_RE.exec(s) ?? CJK_PREFIX_RE.exec(s);
    if (p && p[0].length < s.length) s = tidy(s.slice(p[0].length));
    const cjk = CJK_SUFFIX_RE.exec(s);
    if (cjk && cjk.index > 0) s = tidy(s.slice(0, cjk.index));
    // A regex anchored at $ is still tried at every position: search the tail only. A match that
    // starts the tail by `^` must follow a separator, else it began inside a word.
    if (!mayEndInLegalForm(s)) break;
    const from = Math.max(0, s.length - TAIL);
    const m = SUFFIX_RE.exec(s.slice(from));
    const at = m ? from + m.index : 0;
    if (m && at > 0 && (m.index > 0 || /^[\s,&(]/.test(m[0]) || /[\s,&(]/.test(s[at - 1] ?? ''))) s = tidy(s.slice(0, at));
    if (s === before) break;
  }
  return s;
}

// The last word of every legal form (dotted forms end in a letter: "S.A." in "A", "B.V." in "V").
const LAST_WORDS = new Set(
  'inc incorporated llc llp lp ltd limited ltda ltee ltée plc corp corporation co company gmbh mbh ag se kg ohg kgaa ev ug sa sas sau saa sarl spa srl sl sc bv nv cv bvba sprl oy oyj ab as asa aps ehf hf sia uab oü ou kk pte pty pvt bhd tbk pcl jsc pjsc ojsc cjsc ooo ооо ао пао зао оао doo sro ad dd ead kft zrt nyrt eireli me epp oo akcyjna odpowiedzialnoscia kaisha sirketi a/s s/a'.split(' '),
);

/**
 * Whether the name's last word could end a legal form: a cheap test that spares most names
 * ("University of Delaware") the suffix regex, which is tried at every position of the tail.
 */
function mayEndInLegalForm(s: string): boolean {
  let end = s.length;
  while (end > 0 && /[.\s,)]/.test(s[end - 1]!)) end--;
  let start = end;
  while (start > 0 && !/[\s,&(.]/.test(s[start - 1]!)) start--;
  const word = s.slice(start, end).toLowerCase();
  // Single letters end dotted forms; names in scripts without spaces end in their legal form.
  return word.length === 1 || LAST_WORDS.has(word) || /[^\u0000-\u024f]$/.test(word);
}

/** Whitespace collapsed; separators left dangling at either end trimmed (loops: a `[…]+$` regex is tried at every position). */
function tidy(s: string): string {
  const t = s.replace(/\s+/g, ' ');
  let a = 0;
  let b = t.length;
  while (a < b && ' ,;:.-&'.includes(t[a]!)) a++;
  while (b > a && ' ,;:-&'.includes(t[b - 1]!)) b--;
  return t.slice(a, b);
}

/**
 * Letters of scripts that separate words with spaces (Latin with its extensions, Greek, Cyrillic)
 * and digits: what a whole word is made of. Ranges, not \p{Script=…}: the hundreds of rule
 * patterns compile twice as fast.
 */
const WORD = '[0-9A-Za-z\\u00AA\\u00B5\\u00BA\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F\\u0370-\\u03FF\\u0400-\\u052F\\u1E00-\\u1FFF]';

/** An asorg rule's pattern compiled to match whole words only (flags iu). */
export function compileOrgPattern(pattern: string): RegExp {
  return new RegExp(`(?<!${WORD})(?:${pattern})(?!${WORD})`, 'iu');
}

/**
 * All patterns as one alternation: a name none of them matches (most names) costs one test
 * instead of one per rule (15× faster over the database's 90k names). Null when there are none.
 */
export function compileOrgFilter(patterns: string[]): RegExp | null {
  return patterns.length === 0 ? null : compileOrgPattern(patterns.map((p) => `(?:${p})`).join('|'));
}
