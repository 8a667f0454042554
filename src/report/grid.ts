// A plain-text grid that fits a width: cells hold several lines, columns shrink (and their
// text wraps, at spaces only) until the grid fits; colour is applied after padding so widths
// stay right. No word or domain is ever broken across lines.

export interface GridCell {
  lines: string[];
  /** Wrap each rendered line of this cell in these (ANSI) codes, after padding. */
  style?: (text: string) => string;
  /** Per-line styles; wins over `style`. */
  lineStyles?: ((text: string) => string)[];
}

const MIN_WIDTH = 6;

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    // East Asian wide and fullwidth characters take two columns.
    w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd) ? 2 : 1;
  }
  return w;
}


/**
 * Lines no wider than `width`, broken at spaces only: a word or a domain is never split across
 * lines. A single word wider than the whole line (only possible for absurd names) is cut, with
 * "…", since nothing else can keep the line in bounds.
 */
export function wrap(text: string, width: number): string[] {
  return wrapIndented(text, width, '', '');
}

/** `wrap` with a prefix on the first line and another (a hanging indent) on the others. */
export function wrapIndented(text: string, width: number, first: string, rest: string): string[] {
  const out: string[] = [];
  let prefix = first;
  let line = '';
  const room = () => Math.max(1, width - displayWidth(prefix));
  for (const word of text.split(/ +/).filter((w) => w !== '')) {
    const joined = line === '' ? word : `${line} ${word}`;
    if (displayWidth(joined) <= room()) {
      line = joined;
      continue;
    }
    if (line !== '') {
      out.push(prefix + line);
      prefix = rest;
    }
    line = displayWidth(word) <= room() ? word : cutToWidth(word, room());
  }
  out.push(prefix + line);
  return out;
}

/** The longest start of `text` that fits `width` with a trailing "…". */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let cut = '';
  for (const ch of text) {
    if (displayWidth(cut + ch) + 1 > width) break;
    cut += ch;
  }
  return `${cut}…`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** The widest word of these lines: what a column can never be narrower than. */
function longestWord(lines: readonly string[]): number {
  return Math.max(0, ...lines.flatMap((l) => l.split(' ').map(displayWidth)));
}

/**
 * Widths for columns that want `want` and cannot go below `mins`, fitting `total` (separators
 * counted in `sep`), or null when even the minimums do not fit. The widest column gives way
 * first, one step at a time: the fairest cut for wrapped text.
 */
function shrink(want: number[], mins: number[], sep: number, total: number): number[] | null {
  const widths = want.map((w, i) => Math.max(w, mins[i]!));
  const sum = () => widths.reduce((a, b) => a + b, 0) + sep;
  if (sum() <= total) return widths;
  if (mins.reduce((a, b) => a + b, 0) + sep > total) return null;
  while (sum() > total) {
    let widest = 0;
    widths.forEach((w, i) => {
      if (w - mins[i]! > widths[widest]! - mins[widest]!) widest = i;
    });
    widths[widest]!--;
  }
  return widths;
}

/**
 * Column widths that fit `total`, or null when they cannot without breaking a word (the caller
 * then lays results out another way). Columns shrink, their text wrapping at spaces, down to
 * their longest word: a name or a domain cut across lines misreads.
 */
export function fitWidths(headers: string[], rows: GridCell[][], total: number): number[] | null {
  const want = headers.map((h, i) => Math.max(MIN_WIDTH, displayWidth(h), ...rows.map((r) => Math.max(0, ...(r[i]?.lines ?? []).map(displayWidth)))));
  const mins = headers.map((h, i) => Math.max(MIN_WIDTH, longestWord([h, ...rows.flatMap((r) => r[i]?.lines ?? [])])));
  return shrink(want, mins, 3 * (headers.length - 1), total);
}

export function renderGrid(headers: string[], rows: GridCell[][], widths: number[], bold: (s: string) => string): string {
  const out: string[] = [];
  const head = headers.map((h, i) => wrap(h, widths[i]!));
  for (let k = 0; k < Math.max(...head.map((h) => h.length)); k++) {
    out.push(head.map((h, i) => bold(pad(h[k] ?? '', widths[i]!))).join(' │ ').trimEnd());
  }
  out.push(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const row of rows) {
    const cols = row.map((cell, i) => {
      const lines: { text: string; style?: (t: string) => string }[] = [];
      cell.lines.forEach((l, j) => {
        for (const piece of wrap(l, widths[i]!)) lines.push({ text: piece, style: cell.lineStyles?.[j] ?? cell.style });
      });
      return lines;
    });
    const height = Math.max(1, ...cols.map((c) => c.length));
    for (let k = 0; k < height; k++) {
      const parts = cols.map((c, i) => {
        const l = c[k];
        const text = pad(l?.text ?? '', widths[i]!);
        return l?.style ? l.style(text) : text;
      });
      out.push(parts.join(' │ ').trimEnd());
    }
  }
  return out.join('\n') + '\n';
}

/**
 * Plain columns separated by two spaces (a listing, not a grid); the first row is the header and
 * cells must already be safe. Given a width, cells wrap at spaces to fit it; when even that
 * cannot fit, each row becomes a block: its first cell, then one "header: value" line per cell.
 */
export function alignedTable(rows: string[][], width = Infinity): string {
  const n = rows[0]?.length ?? 0;
  const cols = [...Array(n).keys()];
  const want = cols.map((i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))));
  const widths = width === Infinity ? want : shrink(want, cols.map((i) => longestWord(rows.map((r) => r[i] ?? ''))), 2 * (n - 1), width);
  if (!widths) return blocks(rows, width);
  const out: string[] = [];
  for (const r of rows) {
    const cells = r.map((c, i) => (width === Infinity ? [c] : wrap(c, widths[i]!)));
    for (let k = 0; k < Math.max(...cells.map((c) => c.length)); k++) {
      // The last column is not padded: it may end short of the edge.
      out.push(cells.map((c, i) => (i === n - 1 ? (c[k] ?? '') : pad(c[k] ?? '', widths[i]!))).join('  ').trimEnd());
    }
  }
  return out.join('\n') + '\n';
}

function blocks(rows: string[][], width: number): string {
  const [header = [], ...body] = rows;
  const out: string[] = [];
  for (const r of body) {
    out.push(...wrap(r[0] ?? '', width));
    r.slice(1).forEach((c, i) => {
      if (c !== '') out.push(...wrapIndented(c, width, `  ${(header[i + 1] ?? '').toLowerCase()}: `, '      '));
    });
  }
  return out.join('\n') + '\n';
}
