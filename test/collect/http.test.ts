import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT, probeHttp, type HttpProbeOptions } from '../../src/collect/http.js';
import { makePki } from './certs.js';
import { localServers } from './servers.js';

const pki = makePki('HTTP Test Root');
const leaf = pki.leaf(['site.test', 'other.test', 'plain.test']);
const MiB = 1024 * 1024;
const page = '<html><head><title>Welcome</title><script src="https://hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef"></script></head><body>hi</body></html>';
// 20 MiB of zeros compress to ~20 KiB: a small bomb is enough against a 1 MiB cap.
const bomb = zlib.gzipSync(Buffer.alloc(20 * MiB));
const gbkPage = Buffer.concat([Buffer.from('<html><head><title>'), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('</title></head></html>')]);

let lastUserAgent: string | undefined;

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = req.url ?? '/';
  lastUserAgent = req.headers['user-agent'];
  const many = /^\/many\/(\d+)$/.exec(path);
  if (many) return void res.writeHead(302, { location: `/many/${Number(many[1]) + 1}` }).end();
  switch (path) {
    case '/ok':
      res.writeHead(200, [['Content-Type', 'text/html; charset=utf-8'], ['Set-Cookie', 'a=1'], ['X-Served-By', 'edge-1'], ['Set-Cookie', 'b=2']]);
      return void res.end(page);
    case '/r1':
      return void res.writeHead(302, { location: '/r2' }).end();
    case '/r2':
      return void res.writeHead(301, { location: 'http://other.test/ok#frag' }).end();
    case '/loop-a':
      return void res.writeHead(302, { location: 'https://site.test/loop-b' }).end();
    case '/loop-b':
      return void res.writeHead(302, { location: '/loop-a' }).end();
    case '/gzip':
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      return void res.end(zlib.gzipSync(page));
    case '/br':
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'br' });
      return void res.end(zlib.brotliCompressSync(page));
    case '/deflate':
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'deflate' });
      return void res.end(zlib.deflateSync(page));
    case '/deflate-raw':
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'deflate' });
      return void res.end(zlib.deflateRawSync(page));
    case '/bomb':
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      return void res.end(bomb);
    case '/bad-gzip':
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      return void res.end('this is not gzip at all');
    case '/gbk':
      res.writeHead(200, { 'content-type': 'text/html; charset=GBK' });
      return void res.end(gbkPage);
    case '/many-headers':
      res.writeHead(200, Array.from({ length: 500 }, (_, i) => [`X-H${i}`, 'v']));
      return void res.end();
    case '/big-headers':
      res.writeHead(200, Array.from({ length: 20 }, (_, i) => [`X-Big${i}`, 'v'.repeat(8000)]));
      return void res.end();
    case '/zstd':
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'zstd' });
      return void res.end('whatever');
    case '/500':
      res.writeHead(500, { 'content-type': 'text/plain' });
      return void res.end('oops');
    case '/huge': {
      // 50 MiB, written with backpressure, stopped when the client goes away.
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let left = 800;
      const pump = (): void => {
        while (left > 0 && !res.destroyed) {
          left--;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (left === 0) res.end();
      };
      return pump();
    }
    case '/slow': {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html>');
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('.')), 50);
      res.on('close', () => clearInterval(t));
      return;
    }
    default:
      res.writeHead(404).end();
  }
}

const { listen, closeAll } = localServers();
const ports = { https: 0, http: 0, reset: 0, silent: 0, closed: 0 };

beforeAll(async () => {
  ports.https = await listen(https.createServer({ cert: leaf.certPem + pki.caPem, key: leaf.keyPem }, route));
  ports.http = await listen(http.createServer(route));
  ports.reset = await listen(net.createServer((s) => s.resetAndDestroy()));
  ports.silent = await listen(net.createServer(() => undefined));
  const closed = net.createServer();
  ports.closed = await listen(closed);
  closed.close();
});

afterAll(closeAll);

function opts(extra: Partial<HttpProbeOptions> = {}): HttpProbeOptions {
  return {
    resolve: async () => ['127.0.0.1'],
    httpsPort: ports.https,
    httpPort: ports.http,
    timeoutMs: 2000,
    maxBody: MiB,
    maxRedirects: 5,
    userAgent: DEFAULT_USER_AGENT,
    allowPrivate: true,
    ...extra,
  };
}

describe('probeHttp', () => {
  it('fetches a page: status, headers in order with duplicates, HTML signals', async () => {
    const o = await probeHttp('https://site.test/ok', opts());
    expect(o.error).toBeUndefined();
    expect(o).toMatchObject({ url: 'https://site.test/ok', finalUrl: 'https://site.test/ok', status: 200, address: '127.0.0.1', redirects: [] });
    expect(o.headers.filter(([n]) => n !== 'date' && n !== 'connection' && n !== 'keep-alive' && n !== 'transfer-encoding' && n !== 'content-length')).toEqual([
      ['content-type', 'text/html; charset=utf-8'],
      ['set-cookie', 'a=1'],
      ['x-served-by', 'edge-1'],
      ['set-cookie', 'b=2'],
    ]);
    expect(o.html?.title).toBe('Welcome');
    expect(o.html?.ids).toEqual(['hm.js?0123456789abcdef0123456789abcdef']);
    expect(o.body).toBeUndefined();
    expect(lastUserAgent).toBe(DEFAULT_USER_AGENT);
    expect(DEFAULT_USER_AGENT).toMatch(/^whoserves\/[\d.]+ \(\+https:\/\/\S+\)$/);
  });

  it('keeps the body only with saveBody', async () => {
    const o = await probeHttp('https://site.test/ok', opts({ saveBody: true }));
    expect(o.body).toBe(page);
  });

  it('ignores certificate errors (the TLS probe records them)', async () => {
    const o = await probeHttp('https://wrong.test/ok', opts());
    expect(o.error).toBeUndefined();
    expect(o.status).toBe(200);
  });

  it('follows a redirect chain, across sites and schemes, recording each hop', async () => {
    const o = await probeHttp('https://site.test/r1', opts());
    expect(o.error).toBeUndefined();
    expect(o.redirects).toEqual([
      { url: 'https://site.test/r1', status: 302, location: '/r2', address: '127.0.0.1' },
      { url: 'https://site.test/r2', status: 301, location: 'http://other.test/ok#frag', address: '127.0.0.1' },
    ]);
    expect(o.finalUrl).toBe('http://other.test/ok');
    expect(o.status).toBe(200);
    expect(o.html?.title).toBe('Welcome');
  });

  it('stops a redirect loop', async () => {
    const o = await probeHttp('https://site.test/loop-a', opts());
    expect(o.error).toMatchObject({ stage: 'http', code: 'HTTP_REDIRECT_LOOP' });
    expect(o.redirects.map((h) => h.url)).toEqual(['https://site.test/loop-a', 'https://site.test/loop-b']);
    expect(o.status).toBeUndefined();
  });

  it('follows up to maxRedirects and stops after', async () => {
    const o = await probeHttp('https://site.test/many/0', opts({ maxRedirects: 3 }));
    expect(o.error).toMatchObject({ stage: 'http', code: 'HTTP_TOO_MANY_REDIRECTS', target: 'https://site.test/many/4' });
    expect(o.redirects.map((h) => h.url)).toEqual([0, 1, 2, 3].map((i) => `https://site.test/many/${i}`));
    const exact = await probeHttp('https://site.test/r1', opts({ maxRedirects: 2 }));
    expect(exact.error).toBeUndefined();
    expect(exact.status).toBe(200);
  });

  it('caps response headers: count kept, size refused', async () => {
    const many = await probeHttp('https://site.test/many-headers', opts());
    expect(many.status).toBe(200);
    expect(many.headers).toHaveLength(200);
    expect(many.headers[0]).toEqual(['x-h0', 'v']);
    const big = await probeHttp('https://site.test/big-headers', opts());
    expect(big.error).toMatchObject({ code: 'HTTP_TOO_LARGE' });
    expect(big.status).toBeUndefined();
  });

  it('reports an unsupported content coding', async () => {
    const o = await probeHttp('https://site.test/zstd', opts());
    expect(o.error).toMatchObject({ code: 'HTTP_BAD_ENCODING' });
  });

  it('decodes gzip, brotli and both kinds of deflate bodies', async () => {
    for (const path of ['/gzip', '/br', '/deflate', '/deflate-raw']) {
      const o = await probeHttp(`https://site.test${path}`, opts({ saveBody: true }));
      expect(o.error).toBeUndefined();
      expect(o.body).toBe(page);
      expect(o.html?.title).toBe('Welcome');
    }
  });

  it('caps a gzip bomb after decompression', async () => {
    const o = await probeHttp('https://site.test/bomb', opts({ saveBody: true, maxBody: 256 * 1024 }));
    expect(o.error).toMatchObject({ stage: 'http', code: 'HTTP_TOO_LARGE' });
    expect(o.status).toBe(200);
    expect(o.body).toHaveLength(256 * 1024);
  });

  it('caps a huge body and keeps its start', async () => {
    const before = process.memoryUsage().rss;
    // Below the HTML parser's own 1 MiB bound, so the length shows the probe's cap.
    const o = await probeHttp('http://site.test/huge', opts({ saveBody: true, maxBody: 300_000 }));
    expect(o.error).toMatchObject({ stage: 'http', code: 'HTTP_TOO_LARGE' });
    expect(o.body).toHaveLength(300_000);
    expect(o.html?.excerpt?.startsWith('aaaa')).toBe(true);
    // 50 MiB were offered; far less may have been held.
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * MiB);
  });

  it('reports a corrupt gzip body', async () => {
    const o = await probeHttp('https://site.test/bad-gzip', opts());
    expect(o.error).toMatchObject({ stage: 'http', code: 'HTTP_BAD_ENCODING' });
    expect(o.status).toBe(200);
  });

  it('times out a trickling server, keeping what arrived', async () => {
    const started = Date.now();
    const o = await probeHttp('https://site.test/slow', opts({ timeoutMs: 400, saveBody: true }));
    expect(o.error).toMatchObject({ stage: 'http', code: 'HTTP_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(o.body).toMatch(/^<html>\.+$/);
  });

  it('decodes a GBK page', async () => {
    const o = await probeHttp('https://site.test/gbk', opts());
    expect(o.html).toMatchObject({ charset: 'gbk', title: '中文' });
  });

  it('records a 5xx as HTTP_STATUS with the response kept', async () => {
    const o = await probeHttp('https://site.test/500', opts());
    expect(o.status).toBe(500);
    expect(o.error).toMatchObject({ code: 'HTTP_STATUS' });
    expect(o.html).toBeUndefined();
  });

  it('falls back to http:// when https fails to connect', async () => {
    const o = await probeHttp('https://plain.test/ok', opts({ httpsPort: ports.reset }));
    expect(o.error).toBeUndefined();
    expect(o.finalUrl).toBe('http://plain.test/ok');
    expect(o.status).toBe(200);
    const refused = await probeHttp('https://plain.test/ok', opts({ httpsPort: ports.closed }));
    expect(refused.finalUrl).toBe('http://plain.test/ok');
  });

  it('maps reset and silent servers when both schemes fail', async () => {
    const reset = await probeHttp('https://site.test/ok', opts({ httpsPort: ports.reset, httpPort: ports.reset }));
    expect(reset.error).toMatchObject({ stage: 'http', code: 'TCP_RESET' });
    const started = Date.now();
    const silent = await probeHttp('https://site.test/ok', opts({ httpsPort: ports.silent, httpPort: ports.silent, timeoutMs: 300 }));
    expect(silent.error).toMatchObject({ stage: 'http', code: 'TCP_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(silent.status).toBeUndefined();
  });

  it('refuses private addresses unless allowed', async () => {
    const o = await probeHttp('https://site.test/ok', opts({ allowPrivate: false, resolve: async () => ['10.0.0.1', '127.0.0.1'] }));
    expect(o.error).toMatchObject({ code: 'PRIVATE_ADDRESS' });
    expect(o.status).toBeUndefined();
    expect((await probeHttp('https://site.test/ok', opts({ allowPrivate: true }))).status).toBe(200);
  });

  it('records a host with no address', async () => {
    const o = await probeHttp('https://nowhere.test/', opts({ resolve: async () => [] }));
    expect(o.error).toMatchObject({ code: 'NO_ADDRESS' });
  });
});
