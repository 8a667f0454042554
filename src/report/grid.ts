// A plain-text grid that fits a width: cells hold several lines, columns shrink (and their
// text wraps) until the grid fits; colour is applied after padding so widths stay right.

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

/** Split text into pieces no wider than width (at spaces when possible). */
export function wrap(text: string, width: number): string[] {
  if (displayWidth(text) <= width) return [text];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/(?<= )/)) {
    if (displayWidth(line + word) <= width) {
      line += word;
      continue;
    }
    if (line !== '') out.push(line.trimEnd());
    line = '';
    let rest = word;
    while (displayWidth(rest) > width) {
      let cut = '';
      for (const ch of rest) {
        if (displayWidth(cut + ch) > width) break;
        cut += ch;
      }
      out.push(cut);
      rest = rest.slice(cut.length);
    }
    line = rest;
  }
  if (line.trim() !== '') out.push(line.trimEnd());
  return out.length ? out : [''];
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Column widths that fit `total`, or null when even the minimum widths do not fit. */
export function fitWidths(headers: string[], rows: GridCell[][], total: number): number[] | null {
  const want = headers.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => Math.max(0, ...(r[i]?.lines ?? []).map(displayWidth)))),
  );
  const sep = 3 * (headers.length - 1);
  const widths = want.map((w) => Math.max(w, MIN_WIDTH));
  if (widths.reduce((a, b) => a + b, 0) + sep <= total) return widths;
  // Shrink no column below its longest word (a name cut mid-word misreads) nor the domain
  // column below its domain; when that cannot fit, the caller lays results out another way.
  const longestWord = (i: number) =>
    Math.max(0, ...rows.flatMap((r) => (r[i]?.lines ?? []).flatMap((l) => l.split(' ').map(displayWidth))));
  const mins = headers.map((h, i) => Math.max(MIN_WIDTH, i === 0 ? Math.min(want[0]!, 30) : Math.min(Math.max(longestWord(i), displayWidth(h)), 16)));
  if (mins.reduce((a, b) => a + b, 0) + sep > total) return null;
  // Shrink the widest column one step at a time: the fairest cut for wrapped text.
  while (widths.reduce((a, b) => a + b, 0) + sep > total) {
    let widest = 0;
    widths.forEach((w, i) => {
      if (w - mins[i]! > widths[widest]! - mins[widest]!) widest = i;
    });
    widths[widest]!--;
  }
  return widths;
}

export function renderGrid(headers: string[], rows: GridCell[][], widths: number[], bold: (s: string) => string): string {
  const out: string[] = [];
  out.push(headers.map((h, i) => bold(pad(h, widths[i]!))).join(' │ ').trimEnd());
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

/** Plain columns separated by two spaces (a listing, not a grid); cells must already be safe. */
export function alignedTable(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}
