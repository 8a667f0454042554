// HTTP-level faults of a world site (docs/contracts.md "World"): each answers the way a hostile or
// broken server would, and each is bounded so the world itself never runs away.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { constants as h2constants, type Http2ServerResponse } from 'node:http2';
import type { Socket } from 'node:net';
import { createGzip, constants as zc } from 'node:zlib';

/** huge-body: streamed unless the client stops reading or goes away. */
export const HUGE_BODY_BYTES = 50 * 1024 * 1024;
/** gzip-bomb: decompressed size; compressed it is about 100 KiB. */
export const GZIP_BOMB_BYTES = 100 * 1024 * 1024;
/** slow: one byte per tick, and the whole trickle is cut off after SLOW_MAX_MS. */
export const SLOW_TICK_MS = 200;
export const SLOW_MAX_MS = 120_000;

export function respondServerError(res: ServerResponse): void {
  const body = 'Internal Server Error\n';
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** redirect-loop: a 302 ping-pong between `/` and `/?loop`, on the same host and scheme. */
export function respondRedirectLoop(req: IncomingMessage, res: ServerResponse, secure: boolean, host: string): void {
  const next = req.url === '/?loop' ? '/' : '/?loop';
  res.writeHead(302, { location: `${secure ? 'https' : 'http'}://${host}${next}`, 'content-length': 0 });
  res.end();
}

/** The client went away: an HTTP/1.1 response is destroyed, an HTTP/2 one's stream is. */
function gone(res: ServerResponse): boolean {
  return res.destroyed || (res as unknown as Partial<Http2ServerResponse>).stream?.destroyed === true;
}

/** huge-body: 50 MiB of HTML filler, chunked (no content-length to rely on), with backpressure. */
export function respondHugeBody(res: ServerResponse): void {
  const chunk = Buffer.from('<p>' + 'a'.repeat(65_536 - 7) + '</p>');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.write('<!doctype html><html><body>');
  let sent = 0;
  const pump = (): void => {
    while (sent < HUGE_BODY_BYTES && !gone(res)) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!gone(res)) res.end('</body></html>');
  };
  pump();
}

let bomb: Promise<Buffer> | undefined;

/** gzip of GZIP_BOMB_BYTES zeros, made once per process (~100 KiB). */
export function gzipBomb(): Promise<Buffer> {
  bomb ??= new Promise<Buffer>((resolve, reject) => {
    const gz = createGzip({ level: zc.Z_BEST_COMPRESSION });
    const parts: Buffer[] = [];
    gz.on('data', (b: Buffer) => parts.push(b));
    gz.on('end', () => resolve(Buffer.concat(parts)));
    gz.on('error', reject);
    const zeros = Buffer.alloc(1024 * 1024);
    let left = GZIP_BOMB_BYTES / zeros.length;
    const write = (): void => {
      while (left > 0) {
        left--;
        if (!gz.write(zeros)) return void gz.once('drain', write);
      }
      gz.end();
    };
    write();
  });
  return bomb;
}

export async function respondGzipBomb(res: ServerResponse): Promise<void> {
  const body = await gzipBomb();
  if (gone(res)) return;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip', 'content-length': body.length });
  res.end(body);
}

/**
 * bad-encoding: declares gzip and UTF-8, sends neither: a gzip magic number followed by bytes
 * that are not a deflate stream, then invalid UTF-8 (overlong and lone continuation bytes).
 */
export const BAD_ENCODING_BODY = Buffer.concat([
  Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]),
  Buffer.from([0xff, 0xff, 0xff, 0xff, 0xc0, 0xaf, 0x80, 0xfe, 0xfe, 0xe0, 0x80]),
  Buffer.from('<html><body>not gzip</body></html>', 'latin1'),
]);

export function respondBadEncoding(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-encoding': 'gzip',
    'content-length': BAD_ENCODING_BODY.length,
  });
  res.end(BAD_ENCODING_BODY);
}

/** The raw bytes of a whole HTTP/1.1 response, for `slow` to trickle. */
export function rawResponse(status: number, headers: Array<[string, string]>, body: Buffer): Buffer {
  const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}`];
  for (const [k, v] of headers) head.push(`${k}: ${v}`);
  head.push(`content-length: ${body.length}`, 'connection: close', '', '');
  return Buffer.concat([Buffer.from(head.join('\r\n'), 'latin1'), body]);
}

/** slow: writes `bytes` to the socket one byte per SLOW_TICK_MS, bypassing the HTTP server. */
export function trickle(socket: Socket, bytes: Buffer, tickMs = SLOW_TICK_MS, maxMs = SLOW_MAX_MS): void {
  let i = 0;
  const started = Date.now();
  const timer = setInterval(() => {
    if (socket.destroyed) return void clearInterval(timer);
    if (i >= bytes.length || Date.now() - started > maxMs) {
      clearInterval(timer);
      return void (i >= bytes.length ? socket.end() : socket.destroy());
    }
    socket.write(bytes.subarray(i, i + 1));
    i++;
  }, tickMs);
  socket.once('close', () => clearInterval(timer));
}

/**
 * slow over HTTP/2, where raw bytes cannot go on the connection: the response head waits as long
 * as its HTTP/1.1 bytes (`headBytes`) would take to trickle, then the body goes a byte per tick.
 * The stream is reset past `maxMs`, as trickle() drops the connection.
 */
export function trickleH2(res: Http2ServerResponse, status: number, headers: Array<[string, string]>, body: Buffer, headBytes: number, tickMs = SLOW_TICK_MS, maxMs = SLOW_MAX_MS): void {
  const started = Date.now();
  let i = -headBytes; // below 0: the head is still "on its way"
  const timer = setInterval(() => {
    if (res.stream.destroyed || res.stream.closed) return void clearInterval(timer);
    if (Date.now() - started > maxMs) {
      clearInterval(timer);
      return void res.stream.close(h2constants.NGHTTP2_CANCEL);
    }
    if (i === 0) {
      const head: Record<string, string | string[]> = {};
      for (const [k, v] of headers) {
        const key = k.toLowerCase();
        const had = head[key];
        head[key] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
      }
      res.writeHead(status, { ...head, 'content-length': String(body.length) });
    }
    if (i >= 0) {
      if (i >= body.length) {
        clearInterval(timer);
        return void res.end();
      }
      res.write(body.subarray(i, i + 1));
    }
    i++;
  }, tickMs);
  res.stream.once('close', () => clearInterval(timer));
}
