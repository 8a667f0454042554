// Reading a response body with a cap a hostile server cannot exceed: the cap counts bytes
// AFTER decompression (a gzip bomb stops at the cap), the compressed input has its own cap,
// and decoding stops the moment either is reached. The first maxBody bytes are kept.
import { pipeline } from 'node:stream/promises';
import { Transform, Writable, type Readable } from 'node:stream';
import zlib from 'node:zlib';

export interface BodyRead {
  body: Buffer;
  /** The cap was reached; `body` holds the first maxBody bytes. */
  tooLarge: boolean;
  /** Unsupported or corrupt content coding: what went wrong, one line. */
  badEncoding?: string;
  /** Any other failure of the source (abort, reset): the caller maps it. */
  streamError?: unknown;
}

class CapReached extends Error {}

/** Content codings in the order to undo them (the header lists them in the order applied). */
function decoders(contentEncoding: string | undefined): Transform[] | string {
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length > 3) return `too many content codings: ${codings.length}`;
  const out: Transform[] = [];
  for (const c of codings.reverse()) {
    if (c === 'gzip' || c === 'x-gzip') out.push(zlib.createGunzip());
    else if (c === 'deflate') out.push(zlib.createInflate()); // may be swapped for raw deflate, see readBody
    else if (c === 'br') out.push(zlib.createBrotliDecompress());
    else return `unsupported content coding: ${c.slice(0, 40)}`;
  }
  return out;
}

function isZlibError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = String((e as { code?: unknown }).code ?? '');
  return typeof (e as { errno?: unknown }).errno === 'number' && (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code.startsWith('ERR__'));
}

export async function readBody(source: Readable, contentEncoding: string | undefined, maxBody: number): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let size = 0;
  let rawSize = 0;
  // Compressed input beyond twice the cap cannot be a page we want (incompressible data grows
  // by a few bytes under gzip); without this, a stream of empty deflate blocks would run forever.
  const rawCap = 2 * maxBody + 64 * 1024;
  const result: BodyRead = { body: Buffer.alloc(0), tooLarge: false };

  const decode = decoders(contentEncoding);
  const stages: Transform[] = typeof decode === 'string' ? [] : decode;
  if (typeof decode === 'string') result.badEncoding = decode;
  if (stages.length === 1 && stages[0] instanceof zlib.Inflate) {
    // "deflate" means zlib-wrapped (RFC 9110 section 8.4.1.2), yet some servers send raw
    // deflate and browsers accept both: look at the first bytes for a zlib header.
    const first = await peek(source);
    if (first && first.length >= 2 && !hasZlibHeader(first)) stages[0] = zlib.createInflateRaw();
  }

  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      rawSize += chunk.length;
      if (rawSize > rawCap) return cb(new CapReached());
      cb(null, chunk);
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const room = maxBody - size;
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size = maxBody;
        return cb(new CapReached());
      }
      chunks.push(chunk);
      size += chunk.length;
      cb();
    },
  });
  try {
    await pipeline(source, counter, ...stages, sink);
  } catch (e) {
    if (e instanceof CapReached) result.tooLarge = true;
    else if (isZlibError(e)) {
      // An empty body with a coding header (204, some 304s) is not a corrupt stream.
      if (rawSize > 0) result.badEncoding = `corrupt ${contentEncoding ?? ''} body: ${e instanceof Error ? e.message : ''}`.slice(0, 200);
    } else result.streamError = e;
  }
  result.body = Buffer.concat(chunks, size);
  return result;
}

/** RFC 1950: CM = 8 (deflate) and the header's 16 bits a multiple of 31. */
function hasZlibHeader(b: Buffer): boolean {
  return (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;
}

/** The first chunk of a stream, put back so the pipeline still reads it; null at end or error. */
function peek(source: Readable): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const finish = (chunk: Buffer | null): void => {
      source.off('readable', tryRead);
      source.off('end', atEnd);
      source.off('close', atEnd);
      source.off('error', atEnd);
      resolve(chunk);
    };
    const atEnd = (): void => finish(null);
    const tryRead = (): void => {
      const chunk: unknown = source.read();
      if (chunk === null) return;
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      source.unshift(buf);
      finish(buf);
    };
    source.on('readable', tryRead);
    source.once('end', atEnd);
    source.once('close', atEnd);
    // The pipeline that follows reports the error; here it only ends the wait.
    source.once('error', atEnd);
    tryRead();
  });
}
