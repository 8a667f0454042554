// Real TLS and HTTP clients for the world's web server tests (no mocks: loopback sockets).
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

export interface TlsResult {
  authorized: boolean;
  authorizationError: string | undefined;
  cert: tls.DetailedPeerCertificate;
  socket: tls.TLSSocket;
}

/**
 * TLS handshake to `address:port` with SNI `servername`, trusting `ca`; never rejects on a bad cert.
 * It waits for the handshake (or an error) however long a busy machine takes: the test's own
 * timeout is the guard against a server that never answers, not a short client timer.
 */
export function tlsHandshake(port: number, servername: string | undefined, ca: string, address = '127.0.0.1'): Promise<TlsResult> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: address, port, ca, rejectUnauthorized: false, ...(servername ? { servername } : {}) });
    socket.once('secureConnect', () => {
      resolve({
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
        cert: socket.getPeerCertificate(true),
        socket,
      });
    });
    socket.once('error', reject);
  });
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

export interface GetOptions {
  port: number;
  host: string;
  /** Address to connect to (any 127.0.0.0/8). */
  address?: string;
  path?: string;
  /** HTTPS with this CA; omitted = plain HTTP. */
  ca?: string;
  /** Stop reading after this many bytes (then the connection is dropped). */
  maxBytes?: number;
  /** Only for a test about a server that stalls; otherwise the test's own timeout is the guard. */
  timeoutMs?: number;
}

export function get(o: GetOptions): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const common = {
      host: o.address ?? '127.0.0.1',
      port: o.port,
      path: o.path ?? '/',
      headers: { host: o.host, connection: 'close' },
      agent: false as const,
    };
    const onResponse = (res: http.IncomingMessage): void => {
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        parts.push(d);
        size += d.length;
        if (o.maxBytes !== undefined && size >= o.maxBytes) {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(parts) });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(parts) }));
      res.on('error', reject);
    };
    const req = o.ca ? https.request({ ...common, ca: o.ca, servername: o.host }, onResponse) : http.request(common, onResponse);
    if (o.timeoutMs !== undefined) req.setTimeout(o.timeoutMs, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end();
  });
}
