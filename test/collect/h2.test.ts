// The web probe over h2: when the TLS probe's handshake picked h2, the HTTP request goes over that
// same connection as HTTP/2 (undici's h2 client), with the caps, timeouts and codes of HTTP/1.1.
// Real node:http2 servers on loopback; some of them hostile.
import http2 from 'node:http2';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeHttp, type FirstHop, type HttpProbeOptions } from '../../src/collect/http.js';
import { probeTlsKeep } from '../../src/collect/tls.js';
import { makePki } from './certs.js';
import { localServers } from './servers.js';

const pki = makePki('H2 Test Root');
const leaf = pki.leaf(['h2.test', 'other.h2.test']);
const { listen, closeAll } = localServers();

// Anything undici or Node's http2 would print (an experimental warning, a deprecation) is caught here.
const warnings: string[] = [];
const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
process.on('warning', onWarning);
afterAll(() => {
  process.off('warning', onWarning);
  closeAll();
});

const PAGE = '<html><head><title>over h2</title></head><body>hello</body></html>';
let port = 0;
let connections = 0;
/** Requests as "version host path": which protocol each one came over. */
const requests: string[] = [];

/** Paths a hostile server answers badly; the rest is a small site. */
function handle(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): void {
  const host = req.headers[':authority'] ?? req.headers.host ?? '';
  requests.push(`${req.httpVersion} ${host.replace(/:\d+$/, '')} ${req.url}`);
  const stream = req.stream as http2.ServerHttp2Stream | undefined;
  switch (req.url) {
    case '/':
      res.writeHead(200, { 'content-type': 'text/html', 'X-Served-By': 'h2 test', 'x-latin': 'caf\u00e9', 'set-cookie': ['a=1', 'b=2'] });
      return void res.end(PAGE);
    case '/moved':
      return void res.writeHead(301, { location: '/' }).end();
    case '/elsewhere':
      return void res.writeHead(302, { location: 'https://other.h2.test/' }).end();
    case '/silent':
      return; // never a head
    case '/big':
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('x'.repeat(200_000));
    case '/reset':
      return void stream?.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    case '/reset-mid':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      // After the head and some body has gone out, not with it.
      return void setImmediate(() => stream?.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    case '/cancel':
      return void stream?.close(http2.constants.NGHTTP2_CANCEL);
    case '/protocol':
      return void stream?.close(http2.constants.NGHTTP2_PROTOCOL_ERROR);
    case '/many-headers':
      return void res.writeHead(200, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-h${i}`, 'v']))).end('ok');
    case '/huge-header':
      return void res.writeHead(200, { 'x-huge': 'v'.repeat(100_000) }).end('ok');
    case '/goaway':
      return void stream?.session?.goaway(http2.constants.NGHTTP2_PROTOCOL_ERROR);
    default:
      res.writeHead(404).end();
  }
}

beforeAll(async () => {
  const server = http2.createSecureServer({ key: leaf.keyPem, cert: leaf.certPem, allowHTTP1: true }, handle);
  server.on('connection', () => connections++);
  // A reset or GOAWAY the server itself sends may surface here; the test is about the client.
  server.on('sessionError', () => undefined);
  port = await listen(server);
});

function httpOptions(over: Partial<HttpProbeOptions> = {}): HttpProbeOptions {
  return { resolve: async () => ['127.0.0.1'], httpsPort: port, httpPort: 1, timeoutMs: 3_000, maxBody: 1 << 20, maxRedirects: 5, userAgent: 'test', allowPrivate: true, ...over };
}

/** The web probe's two steps: TLS (keeping the connection), then the GET of `path` over it. */
async function web(path: string, over: Partial<HttpProbeOptions> = {}, signal?: AbortSignal) {
  const before = connections;
  const asked = requests.length;
  const kept = await probeTlsKeep('h2.test', '127.0.0.1', { port, ca: [pki.caPem], timeoutMs: 3_000, allowPrivate: true });
  expect(kept.obs.alpn).toBe('h2');
  expect(kept.socket).toBeDefined();
  const first: FirstHop = { host: 'h2.test', address: '127.0.0.1', socket: kept.socket };
  const obs = await probeHttp(`https://h2.test${path}`, httpOptions(over), { first, signal });
  expect(kept.socket?.destroyed).toBe(true);
  return { obs, tls: kept.obs, connections: connections - before, requests: requests.slice(asked) };
}

describe('web probe over h2', () => {
  it('asks over the TLS probe’s h2 connection: one connection, the same observation', async () => {
    const r = await web('/');
    expect(r.connections).toBe(1);
    expect(r.requests).toEqual(['2.0 h2.test /']);
    expect(r.obs.error).toBeUndefined();
    expect(r.obs.status).toBe(200);
    expect(r.obs.finalUrl).toBe('https://h2.test/');
    expect(r.obs.address).toBe('127.0.0.1');
    expect(r.obs.html?.title).toBe('over h2');
    // Names lowercase (as HTTP/1.1 observations store them), repeated fields one pair each.
    expect(r.obs.headers).toContainEqual(['x-served-by', 'h2 test']);
    // Values are Latin-1 over HTTP/1.1 (one byte, one character): the same over h2.
    expect(r.obs.headers).toContainEqual(['x-latin', 'caf\u00e9']);
    expect(r.obs.headers.filter(([k]) => k === 'set-cookie').map(([, v]) => v)).toEqual(['a=1', 'b=2']);
    expect(r.obs.headers.every(([k]) => k === k.toLowerCase() && !k.startsWith(':'))).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('follows a redirect to another path over h2', async () => {
    const r = await web('/moved');
    expect(r.obs.error).toBeUndefined();
    expect(r.obs.redirects).toEqual([{ url: 'https://h2.test/moved', status: 301, location: '/', address: '127.0.0.1' }]);
    expect(r.obs.status).toBe(200);
    expect(r.obs.html?.title).toBe('over h2');
    // The second hop dials its own connection (HTTP/1.1): the first was the TLS probe's.
    expect(r.requests).toEqual(['2.0 h2.test /moved', '1.1 h2.test /']);
    expect(r.connections).toBe(2);
  });

  it('follows a redirect to another host', async () => {
    const r = await web('/elsewhere');
    expect(r.obs.error).toBeUndefined();
    expect(r.obs.redirects.map((x) => x.location)).toEqual(['https://other.h2.test/']);
    expect(r.obs.finalUrl).toBe('https://other.h2.test/');
    expect(r.obs.status).toBe(200);
    expect(r.requests).toEqual(['2.0 h2.test /elsewhere', '1.1 other.h2.test /']);
  });

  it('a server that never sends a head: HTTP_TIMEOUT within the probe’s timeout', async () => {
    const started = Date.now();
    const r = await web('/silent', { timeoutMs: 400 });
    expect(r.obs.error?.code).toBe('HTTP_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_900);
  });

  it('the domain deadline abandons an h2 request: DEADLINE', async () => {
    const ac = new AbortController();
    const p = web('/silent', {}, ac.signal);
    // Abort once the request has reached the server, not after a fixed sleep.
    while (!requests.some((q) => q.endsWith(' /silent') && q.startsWith('2.0'))) await new Promise((r) => setImmediate(r));
    ac.abort();
    const r = await p;
    expect(r.obs.error?.code).toBe('DEADLINE');
  });

  it('a body over maxBody is cut and coded HTTP_TOO_LARGE', async () => {
    const r = await web('/big', { maxBody: 1000, saveBody: true });
    expect(r.obs.status).toBe(200);
    expect(r.obs.error?.code).toBe('HTTP_TOO_LARGE');
    expect(r.obs.body).toBe('x'.repeat(1000));
  });

  it('a stream reset before the head: coded, no crash', async () => {
    const r = await web('/reset');
    expect(r.obs.status).toBeUndefined();
    expect(r.obs.error?.code).toBe('TCP_RESET');
    expect(r.obs.error?.message).not.toMatch(/\n|at /);
  });

  it('a stream reset mid-body: the head and what came are kept, coded', async () => {
    const r = await web('/reset-mid', { saveBody: true });
    expect(r.obs.status).toBe(200);
    expect(r.obs.error?.code).toBe('TCP_RESET');
    expect(r.obs.body).toBe('partial');
  });

  it.each([
    ['/cancel', 'TCP_RESET'],
    ['/protocol', 'HTTP_PROTOCOL'],
    // Over the limits of Node's http2 client: the HTTP/1.1 code for an oversized head.
    ['/many-headers', 'HTTP_TOO_LARGE'],
    ['/huge-header', 'HTTP_TOO_LARGE'],
  ])('a reset %s before the head: %s', async (path, code) => {
    const r = await web(path);
    expect(r.obs.status).toBeUndefined();
    expect(r.obs.error?.code).toBe(code);
  });
  it('GOAWAY before the head: coded, no crash', async () => {
    const r = await web('/goaway');
    expect(r.obs.status).toBeUndefined();
    expect(r.obs.error?.code).toBe('TCP_RESET');
  });

  it('the private-address check still holds with an h2 connection in hand', async () => {
    const before = requests.length;
    const kept = await probeTlsKeep('h2.test', '127.0.0.1', { port, ca: [pki.caPem], timeoutMs: 3_000, allowPrivate: true });
    const obs = await probeHttp('https://h2.test/', httpOptions({ allowPrivate: false }), { first: { host: 'h2.test', address: '127.0.0.1', socket: kept.socket } });
    expect(obs.error?.code).toBe('PRIVATE_ADDRESS');
    expect(requests.length).toBe(before);
    expect(kept.socket?.destroyed).toBe(true);
  });

  it('keeps nothing of a finished exchange alive: no timer holds its stream, session or socket', async () => {
    // undici's own h2 timeouts armed a timer on each stream that outlived the request and held the
    // whole connection for --http-timeout: ~25 KB of heap and a session's native memory each.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const refs: WeakRef<object>[] = [];
    await (async () => {
      const kept = await probeTlsKeep('h2.test', '127.0.0.1', { port, ca: [pki.caPem], timeoutMs: 3_000, allowPrivate: true });
      refs.push(new WeakRef(kept.socket!));
      const obs = await probeHttp('https://h2.test/', httpOptions({ timeoutMs: 120_000 }), { first: { host: 'h2.test', address: '127.0.0.1', socket: kept.socket } });
      expect(obs.status).toBe(200);
    })();
    // A WeakRef's target lives to the end of the job that made it: let that end, then collect.
    for (let i = 0; i < 10 && refs[0]!.deref() !== undefined; i++) {
      await new Promise((r) => setImmediate(r));
      gc();
    }
    expect(refs[0]!.deref()).toBeUndefined();
  });

  it('printed no warning', () => {
    expect(warnings).toEqual([]);
  });
});
