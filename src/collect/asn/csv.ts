// One line of a simple CSV (RFC 4180 quoting: "a, b" and "" for a quote) or TSV (no quoting).
// Enough for the ASN databases; bounded by the line it is given.

export function splitCsvLine(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          v += line.slice(i); // unterminated: take the rest
          i = line.length;
          break;
        }
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      // Skip to the next separator (anything between a closing quote and the comma is dropped).
      const c = line.indexOf(',', i);
      if (c < 0) return out;
      i = c + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

export function splitLine(line: string): string[] {
  return line.indexOf('\t') >= 0 ? line.split('\t') : splitCsvLine(line);
}
