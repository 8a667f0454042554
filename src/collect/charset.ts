// Decoding a fetched page to text. Pages in this tool's targets are often GBK, GB18030, Big5
// or Shift_JIS, and their labels are often wrong: decode by the declared charset when Node's
// TextDecoder knows it, otherwise UTF-8 with replacement characters. Never throws.
import { TextDecoder } from 'node:util';

/** How many leading bytes are searched for a <meta charset> (the HTML spec's prescan uses 1024). */
const PRESCAN_BYTES = 4096;

/** The charset parameter of a Content-Type header, if any. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return m?.[1]?.toLowerCase();
}

/** <meta charset="x"> or <meta http-equiv="Content-Type" content="...; charset=x"> near the start. */
export function charsetFromMeta(body: Uint8Array): string | undefined {
  // latin1 maps bytes 1:1, so the ASCII markup can be searched whatever the real encoding is.
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, PRESCAN_BYTES)).toString('latin1');
  const direct = /<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)/i.exec(head);
  return direct?.[1]?.toLowerCase();
}

function bomCharset(body: Uint8Array): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** A TextDecoder for a label, or undefined when the label is unknown. */
function decoderFor(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label, { fatal: false });
  } catch {
    return undefined;
  }
}

export interface Decoded {
  text: string;
  /** WHATWG name of the encoding used, e.g. "gbk", "utf-8". */
  charset: string;
}

/** BOM, then the header's charset, then <meta>, then UTF-8. */
export function decodeBody(body: Uint8Array, contentType?: string): Decoded {
  const candidates = [bomCharset(body), charsetFromContentType(contentType), charsetFromMeta(body)];
  for (const label of candidates) {
    if (!label) continue;
    const dec = decoderFor(label);
    // A page that claims UTF-16 in <meta> cannot be (the markup would not be ASCII); browsers ignore it too.
    if (!dec || (dec.encoding.startsWith('utf-16') && label !== candidates[0])) continue;
    return { text: dec.decode(body), charset: dec.encoding };
  }
  return { text: new TextDecoder('utf-8', { fatal: false }).decode(body), charset: 'utf-8' };
}
