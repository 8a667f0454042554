// The HTTP probe: GET a URL the way a browser would start, dialling the addresses our own
// resolver gives (no lookup by Node), following redirects by hand so each hop is evidence,
// with caps on everything a hostile server controls. Never throws: failures are `error`.
import { isIP } from 'node:net';
import net from 'node:net';
import tls from 'node:tls';
import { Client } from 'undici';
import type { ErrorCode, HttpObservation, ProbeError } from '../types.js';
import { decodeBody } from './charset.js';
import { extractSignals } from './html.js';
import { connectionCode, oneLine } from './neterr.js';
import { isPrivateAddress } from './private.js';
import { unverifiedContext } from './tls.js';
import { ABORTED, GetExchange } from './exchange.js';

export const DEFAULT_USER_AGENT = 'whoserves/0.1 (+https://github.com/whoserves/whoserves#readme)';

export interface HttpProbeOptions {
  /** Our resolver: host name → addresses (A first). */
  resolve(host: string): Promise<string[]>;
  /** Ports dialled for https:// and http:// URLs without an explicit port (worlds use ephemeral ones). */
  httpsPort: number;
  httpPort: number;
  /** Per probe, all redirect hops together: resolve, connect, headers and body of each. */
  timeoutMs: number;
  /** Bytes kept after decompression; more is HTTP_TOO_LARGE. */
  maxBody: number;
  maxRedirects: number;
  userAgent: string;
  allowPrivate: boolean;
  saveBody?: boolean;
}

/** Total bytes of a response head undici accepts; beyond it the response is HTTP_TOO_LARGE. */
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_HEADERS = 200;
const MAX_HEADER_VALUE = 8 * 1024;

/**
 * What one domain's web probes share: the same GET is asked once. The apex's usual 301 to
 * https://www.…/ then reads the answer the www probe is fetching instead of a second connection.
 */
export interface WebSession {
  fetches: Map<string, Promise<Response | Failure>>;
}
export const newWebSession = (): WebSession => ({ fetches: new Map() });

/** The TLS probe's result for the first hop: its open connection, or how connecting failed. */
export interface FirstHop {
  host: string;
  address: string;
  /** The host's addresses as the domain's DNS found them (A first): not asked again. */
  addresses?: string[];
  socket?: tls.TLSSocket;
  failure?: { code: ErrorCode; message: string };
}

export interface HttpProbeContext {
  session?: WebSession;
  first?: FirstHop;
  /** The domain's deadline: when it fires, the request in progress is abandoned (DEADLINE). */
  signal?: AbortSignal;
}

interface Response {
  status: number;
  headers: [string, string][];
  address: string;
  body: Buffer;
  /** HTML signals, extracted once even when two probes read this response. */
  signals?: ReturnType<typeof extractSignals>;
  /** Whether the body is HTML, decided once (the body may be released after). */
  html?: boolean;
  /** Set when the response is usable but incomplete or wrong (too large, bad coding, timeout mid-body). */
  error?: { code: ErrorCode; message: string };
}

interface Failure {
  code: ErrorCode;
  message: string;
  /** Failed before an HTTP response started: the case the http:// fallback is for. */
  connecting: boolean;
}

export async function probeHttp(url: string, o: HttpProbeOptions, ctx: HttpProbeContext = {}): Promise<HttpObservation> {
  const obs: HttpObservation = { url, redirects: [], headers: [] };
  try {
    await follow(obs, o, ctx);
  } catch (e) {
    obs.error = { stage: 'http', code: 'INTERNAL', message: oneLine(e), target: url };
  } finally {
    // Unused when another probe already asked the same URL.
    ctx.first?.socket?.destroy();
  }
  return obs;
}

/** One GET, asked once per session; `budgetMs` is what is left of the asker's --http-timeout. */
function fetchShared(url: string, o: HttpProbeOptions, ctx: HttpProbeContext, budgetMs: number): Promise<Response | Failure> {
  const memo = ctx.session?.fetches;
  if (!memo) return fetchOnce(url, o, budgetMs, ctx.first, ctx.signal);
  const key = normalise(url);
  let p = memo.get(key);
  if (!p) {
    p = fetchOnce(url, o, budgetMs, ctx.first, ctx.signal);
    memo.set(key, p);
  }
  return p;
}

async function follow(obs: HttpObservation, o: HttpProbeOptions, ctx: HttpProbeContext): Promise<void> {
  const seen = new Set<string>();
  let current = obs.url;
  const fail = (code: ErrorCode, message: string, target = current): void => {
    obs.error = { stage: 'http', code, message, target } satisfies ProbeError;
    if (obs.redirects.length > 0) obs.finalUrl = current;
  };
  // --http-timeout covers the whole chain of redirects, not each hop.
  let until = Date.now() + o.timeoutMs;
  for (;;) {
    seen.add(normalise(current));
    if (ctx.signal?.aborted) return fail('DEADLINE', 'domain deadline reached');
    const left = until - Date.now();
    if (left <= 0) return fail('HTTP_TIMEOUT', `${obs.redirects.length} redirect(s) followed, no final answer within ${o.timeoutMs} ms`);
    let r = await fetchShared(current, o, ctx, left);
    if ('connecting' in r && r.connecting && obs.redirects.length === 0 && current.startsWith('https:')) {
      // No TLS service (or none that answers): try plain HTTP, as a browser user would. It is a
      // request of its own, with a budget of its own.
      const plain = `http:${current.slice('https:'.length)}`;
      until = Date.now() + o.timeoutMs;
      const second = await fetchShared(plain, o, ctx, o.timeoutMs);
      if ('status' in second) {
        current = plain;
        seen.add(normalise(plain));
        r = second;
      } else {
        return fail(r.code, `${r.message}; http:// fallback: ${second.code} ${second.message}`);
      }
    }
    if (!('status' in r)) {
      // The chain's budget ran out on this hop: the chain timed out, not this one connection.
      if (obs.redirects.length > 0 && (r.code === 'TCP_TIMEOUT' || r.code === 'HTTP_TIMEOUT') && Date.now() >= until - 1) {
        return fail('HTTP_TIMEOUT', `${obs.redirects.length} redirect(s) followed, no final answer within ${o.timeoutMs} ms (last hop: ${r.message})`);
      }
      return fail(r.code, r.message);
    }

    const location = header(r.headers, 'location');
    if (r.status >= 300 && r.status < 400 && location !== undefined) {
      obs.redirects.push({ url: current, status: r.status, location, address: r.address });
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        return fail('HTTP_PROTOCOL', `bad Location: ${location.slice(0, 200)}`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') return fail('HTTP_PROTOCOL', `redirect to ${next.protocol} URL`);
      next.hash = '';
      const nextUrl = next.toString();
      if (seen.has(normalise(nextUrl))) return fail('HTTP_REDIRECT_LOOP', `redirect loop back to ${nextUrl.slice(0, 300)}`, nextUrl);
      if (obs.redirects.length > o.maxRedirects) return fail('HTTP_TOO_MANY_REDIRECTS', `more than ${o.maxRedirects} redirects`, nextUrl);
      current = nextUrl;
      continue;
    }

    obs.finalUrl = current;
    obs.status = r.status;
    obs.headers = r.headers;
    obs.address = r.address;
    const contentType = header(r.headers, 'content-type');
    if ((r.html ??= isHtml(contentType, r.body))) {
      const { html, text } = (r.signals ??= extractSignals(r.body, contentType));
      obs.html = html;
      if (o.saveBody) obs.body = text;
    } else if (o.saveBody && r.body.length > 0) {
      obs.body = decodeBody(r.body, contentType).text;
    }
    // What the page said is in `obs` now. The response stays in the session until the domain is
    // done (the other probe may read it): without --save-body its bytes and text go now, or a
    // scan of real-sized pages holds two copies of every page in flight (~290 MB at 256 domains).
    if (!o.saveBody) {
      r.body = EMPTY;
      if (r.signals) r.signals = { html: r.signals.html, text: '' };
    }
    if (r.error) obs.error = { stage: 'http', code: r.error.code, message: r.error.message, target: current };
    else if (r.status >= 500) obs.error = { stage: 'http', code: 'HTTP_STATUS', message: `status ${r.status}`, target: current };
    return;
  }
}

/** One GET, no redirect handling, within `timeoutMs`; `signal` abandons it (DEADLINE). */
async function fetchOnce(url: string, o: HttpProbeOptions, timeoutMs: number, first?: FirstHop, signal?: AbortSignal): Promise<Response | Failure> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { code: 'HTTP_PROTOCOL', message: `bad URL: ${url.slice(0, 200)}`, connecting: true };
  }
  const secure = u.protocol === 'https:';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : secure ? o.httpsPort : o.httpPort;

  let timedOut = false;
  let stopped = false;
  // State of the one socket, for naming a timeout.
  let socket: net.Socket | undefined;
  let connected = false;
  let exchange: GetExchange | undefined;
  // Wakes a wait for addresses when the timer or the deadline fires.
  let wake: (() => void) | undefined;
  const interrupt = (): void => {
    exchange?.interrupt();
    wake?.();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    interrupt();
    // undici waits for a pending connect to settle; a silent server must not hold us.
    if (!connected) socket?.destroy(Object.assign(new Error(`no connection within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
  }, timeoutMs);
  // The domain's deadline: nothing of this request is wanted any more; close it now.
  const onStop = (): void => {
    stopped = true;
    interrupt();
    socket?.destroy();
  };
  if (signal?.aborted) onStop();
  else signal?.addEventListener('abort', onStop, { once: true });
  const deadline = (): Failure => ({ code: 'DEADLINE', message: 'domain deadline reached', connecting: false });
  let client: Client | undefined;
  let handed: tls.TLSSocket | undefined;
  try {
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else if (first?.addresses && first.host === host) addresses = first.addresses;
    else {
      try {
        if (stopped || timedOut) throw ABORTED;
        addresses = await new Promise<string[]>((resolve, reject) => {
          wake = () => reject(ABORTED);
          o.resolve(host).then(resolve, reject);
        });
      } catch (e) {
        if (stopped) return deadline();
        if (timedOut) return { code: 'TCP_TIMEOUT', message: `no address for ${host} within ${timeoutMs} ms`, connecting: true };
        return { code: 'NO_ADDRESS', message: `cannot resolve ${host}: ${oneLine(e)}`, connecting: false };
      } finally {
        wake = undefined;
      }
    }
    if (addresses.length === 0) return { code: 'NO_ADDRESS', message: `no address for ${host}`, connecting: false };
    const address = addresses.find((a) => o.allowPrivate || !isPrivateAddress(a));
    if (address === undefined) return { code: 'PRIVATE_ADDRESS', message: `refused to connect to private address ${addresses[0]!}`, connecting: false };
    // The TLS probe just connected to this very host and address: use its connection (or its
    // failure — a second attempt would only wait out the same timeout).
    if (first && secure && !u.port && first.host === host && first.address === address && (first.socket || first.failure)) {
      if (first.failure) {
        const f = first.failure;
        first.failure = undefined;
        return { code: f.code, message: f.message, connecting: true };
      }
      handed = first.socket;
      first.socket = undefined;
    }
    if (stopped) return deadline();

    let connectError: unknown;
    client = new Client(u.origin, {
      connect: (_opts, cb) => {
        if (handed && !handed.destroyed) {
          const s = handed;
          socket = s;
          connected = true;
          handed = undefined;
          // As after a fresh connect: undici expects the callback later, not during connect().
          return void process.nextTick(() => cb(null, s));
        }
        const s = secure
          ? tls.connect({
              host: address,
              port,
              ...(isIP(host) ? {} : { servername: host }),
              ALPNProtocols: ['http/1.1'],
              // Certificate problems are the TLS probe's evidence; they must not hide the site.
              rejectUnauthorized: false,
              // Shared, not built per connection (a few ms each), and trusting nothing: nothing
              // is verified here, and a chain that cannot verify is not read for a name check.
              secureContext: unverifiedContext(),
            })
          : net.connect({ host: address, port });
        socket = s;
        s.once(secure ? 'secureConnect' : 'connect', () => {
          connected = true;
          cb(null, s);
        });
        s.once('error', (e) => {
          if (connected) return;
          connectError = e;
          cb(e, null);
        });
      },
      // Only the TLS probe's connection can be h2 (our own dials offer http/1.1 alone): undici
      // picks its h2 code by the socket's ALPN. Over h2, maxHeaderSize does not apply; Node's
      // http2 limits the head instead (64 KiB header list, 128 fields) and answers with a reset.
      allowH2: true,
      maxHeaderSize: MAX_HEADER_BYTES,
      // Off: `timer` above bounds the whole request. Over h2 undici arms a timer on each stream
      // (stream.setTimeout) that outlived the finished request and held its stream, session,
      // socket and client until it fired: ~25 KB of heap plus the session's native memory per
      // connection for --http-timeout (bench/leak.mjs with LEAK_HTTP2=1).
      headersTimeout: 0,
      bodyTimeout: 0,
      pipelining: 1,
    });

    exchange = new GetExchange(client, { path: `${u.pathname}${u.search}`, method: 'GET', headers: requestHeaders(o.userAgent) });
    if (timedOut || stopped) exchange.interrupt();
    const head = await exchange.head();
    if (!('status' in head)) {
      if (stopped) return deadline();
      if (timedOut) {
        const what = connected ? 'no response' : secure ? 'no TLS connection' : 'no TCP connection';
        return { code: timeoutCode(connected, socket), message: `${what} within ${timeoutMs} ms`, connecting: !connected };
      }
      const e = 'error' in head ? head.error : ABORTED;
      if (!connected || connectError) {
        const code = connectionCode(connectError ?? e, secure ? 'TLS_HANDSHAKE' : 'TCP_RESET');
        return { code, message: oneLine(connectError ?? e), connecting: true };
      }
      return { ...requestError(e), connecting: false };
    }

    const headers = rawHeaders(head.raw, socket instanceof tls.TLSSocket && socket.alpnProtocol === 'h2');
    const response: Response = { status: head.status, headers, address, body: EMPTY };
    // A redirect's body is not evidence: not read (the connection is closed below).
    if (head.status >= 300 && head.status < 400 && header(headers, 'location') !== undefined) return response;
    const read = await exchange.body(header(headers, 'content-encoding'), o.maxBody);
    if (stopped) return deadline();
    response.body = read.body;
    if (read.tooLarge) response.error = { code: 'HTTP_TOO_LARGE', message: `body over ${o.maxBody} bytes (after decoding); first ${o.maxBody} kept` };
    else if (read.badEncoding) response.error = { code: 'HTTP_BAD_ENCODING', message: read.badEncoding };
    else if (timedOut) response.error = { code: 'HTTP_TIMEOUT', message: `body unfinished after ${timeoutMs} ms; ${read.body.length} bytes kept` };
    else if (read.streamError !== undefined) response.error = requestError(read.streamError);
    return response;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onStop);
    exchange?.interrupt();
    // A shared error: the socket's 'error' and undici's close handling reuse it, no stack traces.
    if (client) client.destroy(ABORTED).catch(() => undefined);
    socket?.destroy();
    handed?.destroy();
  }
}

const EMPTY = Buffer.alloc(0);

/** The request's headers: the same every time, built once per User-Agent. */
let headersFor: { ua: string; headers: Record<string, string> } | undefined;
function requestHeaders(userAgent: string): Record<string, string> {
  if (headersFor?.ua !== userAgent) {
    headersFor = {
      ua: userAgent,
      headers: {
        'user-agent': userAgent,
        accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
        'accept-encoding': 'gzip, deflate, br',
        'accept-language': 'en;q=0.9, *;q=0.5',
      },
    };
  }
  return headersFor.headers;
}

/** A server that accepted but never sent a byte is a TCP timeout; one that started answering, an HTTP one. */
function timeoutCode(connected: boolean, socket: net.Socket | undefined): ErrorCode {
  if (!connected) return 'TCP_TIMEOUT';
  if (!(socket instanceof tls.TLSSocket) && (socket?.bytesRead ?? 0) === 0) return 'TCP_TIMEOUT';
  return 'HTTP_TIMEOUT';
}

/** undici's errors after the connection was up → our codes. */
function requestError(e: unknown): { code: ErrorCode; message: string } {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const message = oneLine(e);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { code: 'HTTP_TIMEOUT', message };
  if (code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return { code: 'HTTP_TOO_LARGE', message };
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') return { code: 'TCP_RESET', message };
  if (code === 'ERR_HTTP2_STREAM_ERROR') return { code: h2ResetCode(message), message };
  // A bare stream close (a peer's RST_STREAM CANCEL) or GOAWAY: the exchange was dropped, as a closed
  // HTTP/1.1 connection drops it.
  if (code === 'ERR_HTTP2_GOAWAY_SESSION' || (code === 'UND_ERR_INFO' && message.includes('stream closed before'))) return { code: 'TCP_RESET', message };
  return { code: 'HTTP_PROTOCOL', message };
}

/**
 * An h2 stream reset ("Stream closed with error code NGHTTP2_…", by either side) → the code the same
 * fault gets over HTTP/1.1: Node's http2 resets a head over its limits with ENHANCE_YOUR_CALM (more
 * than 128 fields) or FRAME_SIZE_ERROR; a malformed one with PROTOCOL_ERROR; anything else is a
 * response the server abandoned.
 */
function h2ResetCode(message: string): ErrorCode {
  const name = /NGHTTP2_(\w+)/.exec(message)?.[1] ?? '';
  if (name === 'ENHANCE_YOUR_CALM' || name === 'FRAME_SIZE_ERROR') return 'HTTP_TOO_LARGE';
  if (name === 'PROTOCOL_ERROR' || name === 'COMPRESSION_ERROR') return 'HTTP_PROTOCOL';
  return 'TCP_RESET';
}

/**
 * undici's raw headers (name, value, name, value…) → lowercase pairs in order, bounded. Names
 * are read as UTF-8 and values as Latin-1, as undici's request() gave them. Over h2, undici makes
 * the buffers from Node's strings (already Latin-1, one byte a character) with Buffer.from, i.e.
 * UTF-8: read back as UTF-8, the value is the same string an HTTP/1.1 response gives.
 */
function rawHeaders(raw: unknown, h2 = false): [string, string][] {
  const out: [string, string][] = [];
  if (!Array.isArray(raw)) return out;
  for (let i = 0; i + 1 < raw.length && out.length < MAX_HEADERS; i += 2) {
    const k: unknown = raw[i];
    const v: unknown = raw[i + 1];
    const name = (Buffer.isBuffer(k) ? k.toString() : String(k)).toLowerCase();
    const value = Buffer.isBuffer(v) ? v.toString(h2 ? 'utf8' : 'latin1') : String(v);
    out.push([name, value.length > MAX_HEADER_VALUE ? value.slice(0, MAX_HEADER_VALUE) : value]);
  }
  return out;
}

/** The last value of a header (the one that wins when a server repeats it). */
function header(headers: [string, string][], name: string): string | undefined {
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i]![0] === name) return headers[i]![1];
  return undefined;
}

function isHtml(contentType: string | undefined, body: Buffer): boolean {
  if (contentType) return /html/i.test(contentType);
  return /^\s*</.test(body.subarray(0, 256).toString('latin1'));
}

/** For loop detection: scheme, host, port, path and query; fragments do not count. */
function normalise(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    return u.toString();
  } catch {
    return url;
  }
}
