// A world with `http2: true` speaks HTTP/2 to a client that offers it (ALPN), as most real sites
// do, and HTTP/1.1 to one that does not: same status, headers (less the connection-specific ones
// HTTP/2 forbids) and body. A world without it never selects h2. Real clients on loopback.
import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServerHandle } from '../../../src/world/running.js';
import type { World } from '../../../src/world/types.js';
import { startWebServer } from '../../../src/world/web/server.js';
import { validateWorld } from '../../../src/world/load.js';
import { get, tlsHandshake } from './client.js';

const world = (h2: boolean): World => ({
  world: 1,
  ...(h2 ? { http2: true } : {}),
  cas: [
    { id: 'root', subject: { CN: 'Test Root X1', O: 'Test Trust', C: 'US' } },
    { id: 'int', issuer: 'root', subject: { CN: 'Test R3', O: 'Test Trust', C: 'US' } },
  ],
  sites: {
    'www.example.test': {
      tls: { ca: 'int' },
      // `connection` and `keep-alive` are HTTP/1.1's own: an HTTP/2 answer drops them.
      http: { status: 200, headers: { server: 'CloudFront', 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'], connection: 'keep-alive', 'keep-alive': 'timeout=5' }, body: '<html>www</html>' },
    },
    'slow.example.test': { tls: { ca: 'int' }, http: { body: 'slow body' } },
  },
  faults: { 'slow.example.test': 'slow' },
});

interface H2Answer {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
}

/** One GET over HTTP/2 with SNI and :authority `host`; resolves when the stream ends, or with status 0 when it is reset or the connection drops. */
function h2Get(port: number, host: string, ca: string, path = '/'): Promise<H2Answer & { alpn: string | undefined }> {
  return new Promise((resolve) => {
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca, servername: host });
    let headers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      const alpn = session.alpnProtocol;
      session.destroy();
      resolve({ status: Number(headers[':status'] ?? 0), headers, body: Buffer.concat(chunks).toString('utf8'), alpn });
    };
    session.on('error', done);
    session.on('close', done);
    const req = session.request({ ':path': path, ':authority': host });
    req.on('response', (h) => (headers = h));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', done);
    req.on('error', done);
    req.on('close', done);
    req.end();
  });
}

describe('a world with http2: true', () => {
  let srv: WebServerHandle;
  beforeAll(async () => {
    srv = await startWebServer(world(true));
  });
  afterAll(() => srv.close());

  it('selects h2 for a client that offers it, and answers the site as over HTTP/1.1', async () => {
    const a = await h2Get(srv.httpsPort, 'www.example.test', srv.rootsPem);
    expect(a.alpn).toBe('h2');
    expect(a.status).toBe(200);
    expect(a.body).toBe('<html>www</html>');
    expect(a.headers.server).toBe('CloudFront');
    expect(a.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(a.headers.connection).toBeUndefined();
    expect(a.headers['keep-alive']).toBeUndefined();
    expect(a.headers['content-length']).toBe(String('<html>www</html>'.length));
  });

  it('still speaks HTTP/1.1 to a client that offers only that', async () => {
    const r = await get({ port: srv.httpsPort, host: 'www.example.test', ca: srv.rootsPem });
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('<html>www</html>');
    expect(r.headers.server).toBe('CloudFront');
  });

  it('slow: holds the response head back over HTTP/2 too', async () => {
    // Its head is ~70 bytes at one per 200 ms: nothing may arrive in the first second and a half.
    const t0 = Date.now();
    const pending = h2Get(srv.httpsPort, 'slow.example.test', srv.rootsPem);
    const early = await Promise.race([pending.then(() => 'answered'), new Promise((r) => setTimeout(r, 1500, 'waiting'))]);
    expect(early).toBe('waiting');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    await srv.close(); // ends the trickle; the stream is reset or the session closed
    const a = await pending;
    expect(a.status).toBe(0);
  });
});

describe('a world without http2', () => {
  let srv: WebServerHandle;
  beforeAll(async () => {
    srv = await startWebServer(world(false));
  });
  afterAll(() => srv.close());

  it('never selects h2', async () => {
    const t = await tlsHandshake(srv.httpsPort, 'www.example.test', srv.rootsPem);
    t.socket.destroy();
    expect(t.authorized).toBe(true);
    const offered = await new Promise<string | false>((resolve) => {
      const s = http2.connect(`https://127.0.0.1:${srv.httpsPort}`, { ca: srv.rootsPem, servername: 'www.example.test' });
      s.on('error', () => resolve(false)); // no h2 agreed: the session fails
      s.on('connect', () => {
        resolve(s.alpnProtocol ?? false);
        s.close();
      });
    });
    expect(offered).toBe(false);
  });
});

describe('the world format', () => {
  it('takes http2 as a boolean only', () => {
    expect(() => validateWorld({ world: 1, http2: true }, 'w.json', '.')).not.toThrow();
    expect(() => validateWorld({ world: 1, http2: 'yes' }, 'w.json', '.')).toThrow(/http2: must be true or false/);
  });
});
