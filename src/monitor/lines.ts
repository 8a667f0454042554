// Split a byte stream into lines, keeping byte offsets: ResumeLog truncates a half-written
// last line at the byte where it starts, and nothing here holds more than one line at once.

export interface Line {
  /** 1-based line number. */
  number: number;
  /** The line's text without its newline (and without a CR before it). */
  text: string;
  /** Byte offset where the line starts. */
  start: number;
  /** Byte offset just past the line and its newline. */
  end: number;
  /** Whether a newline ended it; false only for the last line of an unterminated file. */
  terminated: boolean;
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export async function* readLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let offset = 0; // byte offset of the start of the pending line
  let number = 0;
  for await (const raw of stream) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
      const part = chunk.subarray(from, nl);
      const bytes = pending.length === 0 ? part : Buffer.concat([...pending, part]);
      number++;
      yield { number, text: decode(bytes, number), start: offset, end: offset + bytes.length + 1, terminated: true };
      offset += pendingBytes + part.length + 1;
      pending = [];
      pendingBytes = 0;
      from = nl + 1;
    }
    if (from < chunk.length) {
      pending.push(chunk.subarray(from));
      pendingBytes += chunk.length - from;
    }
  }
  if (pendingBytes > 0) {
    number++;
    yield { number, text: decode(Buffer.concat(pending), number), start: offset, end: offset + pendingBytes, terminated: false };
  }
}

function decode(bytes: Uint8Array, number: number): string {
  let text = decoder.decode(bytes);
  if (number === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
