// Reads the server name from a TLS ClientHello without consuming it, so connection faults
// (tcp-timeout, tcp-reset) can act before any TLS byte is sent back. RFC 8446 §4.1.2, RFC 6066 §3.

/** Enough for any ClientHello that fits one record (records are at most 16 KiB + header). */
export const MAX_HELLO_BYTES = 16_384 + 5;

export type HelloPeek = { done: false } | { done: true; servername: string | undefined };

/** `done: false` means more bytes are needed; anything unparseable is done with no name. */
export function peekServerName(buf: Buffer): HelloPeek {
  if (buf.length < 1) return { done: false };
  if (buf[0] !== 0x16) return { done: true, servername: undefined }; // not a TLS handshake record
  if (buf.length < 5) return { done: false };
  const recordLen = buf.readUInt16BE(3);
  if (buf.length < 5 + recordLen) return buf.length >= MAX_HELLO_BYTES ? { done: true, servername: undefined } : { done: false };
  return { done: true, servername: parseHello(buf.subarray(5, 5 + recordLen)) };
}

function parseHello(h: Buffer): string | undefined {
  // Every read is bounds-checked through `need`; a short or odd message yields no name.
  let p = 0;
  const need = (n: number): boolean => p + n <= h.length;
  if (!need(4) || h[0] !== 0x01) return undefined;
  p = 4 + 2 + 32; // type, length, client_version, random
  if (!need(1)) return undefined;
  p += 1 + h[p]!; // session id
  if (!need(2)) return undefined;
  p += 2 + h.readUInt16BE(p); // cipher suites
  if (!need(1)) return undefined;
  p += 1 + h[p]!; // compression methods
  if (!need(2)) return undefined;
  const extEnd = Math.min(h.length, p + 2 + h.readUInt16BE(p));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = h.readUInt16BE(p);
    const len = h.readUInt16BE(p + 2);
    p += 4;
    if (type === 0x0000 && p + 5 <= extEnd) {
      // server_name_list: list length, name type (0 = host_name), name length, name
      const nameLen = h.readUInt16BE(p + 3);
      if (h[p + 2] !== 0 || p + 5 + nameLen > extEnd) return undefined;
      return h.toString('latin1', p + 5, p + 5 + nameLen).toLowerCase();
    }
    p += len;
  }
  return undefined;
}
