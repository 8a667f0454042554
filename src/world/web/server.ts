// The world's web servers: one TLS and one plain-HTTP listener answering for every site on
// every 127.0.0.0/8 address. Listeners bind 0.0.0.0 (a socket bound to 127.0.0.1 only accepts
// 127.0.0.1) and destroy at once any connection whose peer is not loopback.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { constants as h2constants, createSecureServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import net, { type Socket } from 'node:net';
import { createSecureContext, type SecureContext, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { faultsFor, indexFaults } from '../faults.js';
import type { ServeOptions, WebServerHandle } from '../running.js';
import type { FaultName, World } from '../types.js';
import { CertAuthorities, type LeafCert, type LeafVariant } from './certs.js';
import {
  gzipBomb,
  rawResponse,
  respondBadEncoding,
  respondGzipBomb,
  respondHugeBody,
  respondRedirectLoop,
  respondServerError,
  trickle,
  trickleH2,
} from './faults.js';
import { peekServerName, MAX_HELLO_BYTES } from './sni.js';
import { hostFromHeader, SiteTable, type SiteMatch } from './site.js';
import { RecentlyUsed } from '../../recent.js';

export interface WebServerOptions extends ServeOptions {
  /** World file name, for messages. */
  file?: string;
  /** Address to bind; default 0.0.0.0 (all of 127.0.0.0/8, others refused). */
  host?: string;
}

/** Server-side bounds: a world never holds a connection forever. */
export const LIMITS = {
  helloTimeoutMs: 10_000,
  handshakeTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  /** How often node:http checks headers/request timeouts. */
  checkIntervalMs: 2_000,
  /** tcp-timeout: how long a silent connection is held before the world drops it. */
  holdMs: 60_000,
  /** Certificates kept for re-use (a scan needs a site's for seconds): past this, one is issued anew. */
  cachedLeaves: 1024,
  /** TLS contexts (one per certificate in use) kept; past this, the least recently used is refitted. */
  cachedContexts: 256,
  maxConnections: 4096,
};

/** Certificate name given to a `wrong-host-cert` site. */
export const WRONG_HOST_NAME = 'wrong-host.invalid';
/** Certificate of the default context: unknown names and clients sending no SNI. */
export const DEFAULT_CERT_NAME = 'default.invalid';

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

export async function startWebServer(world: World, opts: WebServerOptions = {}): Promise<WebServerHandle> {
  const latencyMs = opts.latencyMs ?? world.latencyMs ?? 0;
  const sites = new SiteTable(world, opts.baseDir ?? process.cwd());
  const faults = indexFaults(world);
  // The bomb costs a second or more of compression: made now, not while a client's timer runs.
  if ([...faults.values()].some((f) => f.includes('gzip-bomb'))) await gzipBomb();
  const cas = await CertAuthorities.build(world);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const track = (s: Socket): void => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };

  // --- certificates: made on first use, the most recently used kept (a context holds ~40 KB of
  // OpenSSL memory: keeping all of them grew a 50,000-domain world by ~2 GB) ---
  // Past its bound, the least recently used context is refitted with the new certificate rather
  // than a new one made: every leaf shares one key (keys.ts), so OpenSSL keeps the key it holds,
  // and the new SSL_CTX and key parse are saved (in a busy world a new context costs ~1.5 ms of
  // CPU, a refit with the leaf alone ~0.5 ms). Refitting is safe: Node copies the certificate, key
  // and chain into the connection when the SNI callback answers (UseSNIContext), synchronously
  // here. Certificates are kept longer than contexts, so a site's certificate stays the same
  // whether or not its context was refitted in between.
  const leafOf = (match: SiteMatch): { ca: string | undefined; names: string[]; variant: LeafVariant } => {
    const tls = match.site.tls!;
    const f = faultsFor(faults, match.name);
    const variant: LeafVariant = f.includes('self-signed') ? 'self-signed' : f.includes('expired-cert') ? 'expired' : 'normal';
    const wrong = f.includes('wrong-host-cert');
    return { ca: tls.ca, names: wrong ? [WRONG_HOST_NAME] : tls.names?.length ? tls.names : [match.key], variant };
  };
  /** The intermediates a site's certificate is sent with ('' for none). */
  const chainOf = (match: SiteMatch): string => {
    const l = leafOf(match);
    return cas.chainPem(l.ca, l.variant);
  };
  const leaves = new RecentlyUsed<string, LeafCert>(LIMITS.cachedLeaves);
  const contexts = new RecentlyUsed<string, SecureContext>(LIMITS.cachedContexts);
  /** A site's context; `alone`: the leaf without its intermediates (the server's own context has them). */
  const contextFor = (match: SiteMatch, alone: boolean): SecureContext => {
    const { ca, names, variant } = leafOf(match);
    // Keyed by what the certificate holds: sites naming the same CA and names (apex and www) get
    // one certificate, as they would from a real CA; fault variants of one site stay apart.
    const leafKey = `${ca ?? ''}\n${names.join('\n')}\n${variant}`;
    const ctxKey = `${leafKey}\n${alone}`;
    let ctx = contexts.get(ctxKey);
    if (!ctx) {
      let leaf = leaves.get(leafKey);
      if (!leaf) {
        leaf = cas.issueLeaf(names, ca, variant);
        leaves.set(leafKey, leaf);
      }
      const pem = alone ? leaf.leafPem : leaf.certPem;
      const old = contexts.size >= LIMITS.cachedContexts ? contexts.shift() : undefined;
      ctx = old ? refit(old, pem, leaf.keyPem) : createSecureContext({ key: leaf.keyPem, cert: pem });
      contexts.set(ctxKey, ctx);
    }
    return ctx;
  };
  const fallback = cas.issueLeaf([DEFAULT_CERT_NAME], undefined, 'self-signed');

  // --- HTTP answers, shared by both listeners (and by HTTP/2 through its compatibility API) ---
  const handle = (secure: boolean) => (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void => {
    respond(req as IncomingMessage, res as ServerResponse, secure).catch(() => (isH2(req) ? req.stream.close(h2constants.NGHTTP2_INTERNAL_ERROR) : req.socket.destroy()));
  };
  const respond = async (req: IncomingMessage, res: ServerResponse, secure: boolean): Promise<void> => {
    const h2 = isH2(req);
    const host = hostFromHeader(req.headers.host ?? (h2 ? req.authority : undefined)) ?? (secure ? (req.socket as TLSSocket).servername || undefined : undefined);
    const match = sites.lookup(host);
    if (!match && host !== undefined) {
      const f = faultsFor(faults, host);
      if (f.includes('tcp-reset')) return void req.socket.resetAndDestroy();
      if (f.includes('tcp-timeout')) return holdSilently(req.socket);
    }
    if (!match || (secure && !match.site.tls)) {
      const body = 'Not Found\n';
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length });
      return void res.end(body);
    }
    const f = new Set<FaultName>(faultsFor(faults, match.name));
    // Connection faults reach here only on port 80 (on TLS they act before the handshake).
    if (f.has('tcp-reset')) return void req.socket.resetAndDestroy();
    if (f.has('tcp-timeout')) return holdSilently(req.socket);
    if (f.has('http-500')) return respondServerError(res);
    if (f.has('redirect-loop')) return respondRedirectLoop(req, res, secure, match.name);
    if (f.has('huge-body')) return respondHugeBody(res);
    if (f.has('gzip-bomb')) return respondGzipBomb(res);
    if (f.has('bad-encoding')) return respondBadEncoding(res);
    const answer = SiteTable.answerFor(match.site, secure);
    const body = await sites.body(answer);
    const status = answer.status ?? 200;
    const headers = Object.entries(answer.headers ?? {});
    if (f.has('slow')) {
      const flat = headers.flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]));
      const lines = flat.filter(([k]) => !/^(content-length|connection|transfer-encoding)$/i.test(k));
      const payload = req.method === 'HEAD' ? Buffer.alloc(0) : body;
      const raw = rawResponse(status, lines, payload);
      if (h2) return trickleH2(res as unknown as Http2ServerResponse, status, lines.filter(([k]) => !CONNECTION_HEADERS.test(k)), payload, raw.length - payload.length);
      return trickle(req.socket, raw);
    }
    res.statusCode = status;
    // HTTP/2 forbids the connection-specific headers (RFC 9113 section 8.2.2); Node throws on them.
    for (const [k, v] of headers) if (!h2 || !CONNECTION_HEADERS.test(k)) res.setHeader(k, v);
    if (!res.hasHeader('content-length') && !res.hasHeader('transfer-encoding')) res.setHeader('content-length', body.length);
    res.end(body);
  };
  const holdSilently = (socket: Socket): void => {
    socket.setTimeout(0);
    later(LIMITS.holdMs, () => socket.destroy());
  };

  const httpOptions = {
    headersTimeout: LIMITS.headersTimeoutMs,
    requestTimeout: LIMITS.requestTimeoutMs,
    keepAliveTimeout: LIMITS.keepAliveTimeoutMs,
    maxHeaderSize: 16_384,
    connectionsCheckingInterval: LIMITS.checkIntervalMs,
  };
  const http = createHttpServer(httpOptions, handle(false));
  http.setTimeout(LIMITS.idleTimeoutMs, (sock: Socket) => sock.destroy());
  http.on('clientError', (_e, sock: Socket) => sock.destroy());

  // --- TLS: one server per chain of intermediates, which its own context holds ---
  // The raw listener reads the name asked for before the handshake and hands the connection to
  // the server whose context holds that site's intermediates; the site's context then holds its
  // leaf alone and Node keeps the connection's chain (an SNI context without a chain leaves it
  // as it is). A site costs one certificate parse instead of parsing its intermediates again
  // (OpenSSL 3 decodes each certificate twice in setCert, ~0.12 ms a time). The server without
  // intermediates takes every other connection and sends whole chains from the site's context.
  const tlsServers = new Map<string, TlsServer>();
  // HTTP/2 worlds: node:http2's server with HTTP/1.1 kept (allowHTTP1): ALPN picks h2 for a
  // client that offers it; the others get node:http's handling, through the same `handle`.
  const createTls = world.http2 === true ? createHttp2Server : createHttpsServer;
  const makeTlsServer = (chain: string): TlsServer => {
    const s = (createTls as typeof createHttpsServer)(
      {
        ...httpOptions,
        ...(world.http2 === true ? { allowHTTP1: true } : {}),
        key: fallback.keyPem,
        // On a server with intermediates this certificate is never sent: unknown names and
        // clients without SNI go to the server without.
        cert: fallback.leafPem + chain,
        handshakeTimeout: LIMITS.handshakeTimeoutMs,
        SNICallback: (servername, cb) => {
          const match = sites.lookup(servername);
          if (!match) return chain === '' ? cb(null, undefined) : cb(new Error('unknown host')); // default certificate
          // A site without tls serves plain HTTP only: the handshake is refused.
          if (!match.site.tls) return cb(new Error('no TLS for this host'));
          let ctx: SecureContext;
          try {
            const need = chainOf(match);
            // Cannot happen (the raw listener read the same name): a chain cannot be taken away.
            if (need === '' && chain !== '') return cb(new Error('certificate without intermediates on a server with'));
            ctx = contextFor(match, need === chain);
          } catch (e) {
            return cb(e as Error);
          }
          cb(null, ctx);
        },
      },
      handle(true),
    );
    s.setTimeout(LIMITS.idleTimeoutMs, (sock: Socket) => sock.destroy());
    s.on('clientError', (_e, sock: Socket) => sock.destroy());
    s.on('secureConnection', (sock: TLSSocket) => track(sock));
    s.on('tlsClientError', (_e, sock: TLSSocket) => sock.destroy());
    tlsServers.set(chain, s);
    return s;
  };
  const https = makeTlsServer('');
  /** The server for a connection asking for `match`, made on first use (then it is listening). */
  const tlsServerFor = (match: SiteMatch | undefined): TlsServer => {
    const chain = match?.site.tls ? chainOf(match) : '';
    let s = tlsServers.get(chain);
    if (!s) {
      s = makeTlsServer(chain);
      s.emit('listening');
    }
    return s;
  };

  // --- raw listeners: loopback check, latency, and the TLS connection faults ---
  const accept = (next: (s: Socket) => void) => (socket: Socket): void => {
    socket.on('error', () => socket.destroy());
    if (closing || !isLoopback(socket.remoteAddress)) return void socket.destroy();
    track(socket);
    if (latencyMs > 0) later(latencyMs, () => socket.destroyed || next(socket));
    else next(socket);
  };
  const toTls = (socket: Socket): void => {
    let buf = Buffer.alloc(0);
    const deadline = setTimeout(() => socket.destroy(), LIMITS.helloTimeoutMs);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const peek = peekServerName(buf);
      if (!peek.done && buf.length < MAX_HELLO_BYTES) return;
      clearTimeout(deadline);
      socket.removeListener('data', onData);
      socket.pause();
      const servername = peek.done ? peek.servername : undefined;
      const match = servername === undefined ? undefined : sites.lookup(servername);
      // Connection faults act on the name asked for, whether or not the world serves a site there.
      const f = servername === undefined ? [] : faultsFor(faults, match?.name ?? servername);
      if (f.includes('tcp-reset')) return void socket.resetAndDestroy();
      if (f.includes('tcp-timeout')) return holdSilently(socket);
      socket.unshift(buf);
      tlsServerFor(match).emit('connection', socket);
    };
    socket.once('close', () => clearTimeout(deadline));
    socket.on('data', onData);
    socket.resume();
  };
  const toHttp = (socket: Socket): void => {
    http.emit('connection', socket);
    socket.resume();
  };
  const tlsRaw = net.createServer({ pauseOnConnect: true }, accept(toTls));
  const httpRaw = net.createServer({ pauseOnConnect: true }, accept(toHttp));
  for (const s of [tlsRaw, httpRaw]) s.maxConnections = LIMITS.maxConnections;

  const host = opts.host ?? '0.0.0.0';
  try {
    await listen(tlsRaw, opts.standardPorts ? 443 : 0, host);
    await listen(httpRaw, opts.standardPorts ? 80 : 0, host);
  } catch (e) {
    tlsRaw.close();
    httpRaw.close();
    throw e;
  }
  // node:http enforces headersTimeout/requestTimeout only once it has seen 'listening'; these
  // servers get their connections from the raw listeners, so they are told here.
  http.emit('listening');
  https.emit('listening');

  return {
    httpPort: (httpRaw.address() as net.AddressInfo).port,
    httpsPort: (tlsRaw.address() as net.AddressInfo).port,
    rootsPem: cas.rootsPem,
    close: async () => {
      closing = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      const servers = [http, ...tlsServers.values()] as (TlsServer & { closeAllConnections?: () => void })[];
      for (const s of servers) s.closeAllConnections?.();
      // Clears node:http's timeout-checking interval (they never listened: the error is expected).
      for (const s of servers) s.close(() => undefined);
      await Promise.all([closeServer(tlsRaw), closeServer(httpRaw)]);
    },
  };
}

/** Headers HTTP/2 does not carry (RFC 9113 section 8.2.2). */
const CONNECTION_HEADERS = /^(connection|keep-alive|proxy-connection|transfer-encoding|upgrade)$/i;

function isH2(req: IncomingMessage | Http2ServerRequest): req is Http2ServerRequest {
  return req.httpVersionMajor === 2;
}

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
}

/** The native context's setCert, where Node has one (an undocumented member of tls.SecureContext). */
type NativeContext = { setCert?: (pem: string) => void };

/**
 * `ctx` with `certPem` (a leaf, then any intermediates) in place of its certificate and chain. The key
 * stays: OpenSSL keeps a loaded key that matches the new certificate. Without the native member,
 * a new context is made.
 */
function refit(ctx: SecureContext, certPem: string, keyPem: string): SecureContext {
  const native = (ctx as SecureContext & { context?: NativeContext }).context;
  if (typeof native?.setCert !== 'function') return createSecureContext({ key: keyPem, cert: certPem });
  native.setCert(certPem);
  return ctx;
}
