// Every connection and HTTP fault of docs/contracts.md, spoken to with real TLS and HTTP clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import tls from 'node:tls';
import { createGunzip, gunzipSync } from 'node:zlib';
import http from 'node:http';
import type { WebServerHandle } from '../../../src/world/running.js';
import type { FaultName, World, WorldSite } from '../../../src/world/types.js';
import { startWebServer, WRONG_HOST_NAME } from '../../../src/world/web/server.js';
import { GZIP_BOMB_BYTES, HUGE_BODY_BYTES } from '../../../src/world/web/faults.js';
import { get, tlsHandshake } from './client.js';

const site = (body = 'ok'): WorldSite => ({ tls: { ca: 'int' }, http: { status: 200, headers: { 'x-a': ['1', '2'] }, body } });
const faults: Record<string, FaultName | FaultName[]> = {
  'timeout.test': 'tcp-timeout',
  'reset.test': 'tcp-reset',
  'slow.test': 'slow',
  'expired.test': 'expired-cert',
  'selfsigned.test': 'self-signed',
  'wronghost.test': 'wrong-host-cert',
  'err.test': 'http-500',
  'loop.test': 'redirect-loop',
  'huge.test': 'huge-body',
  'bomb.test': 'gzip-bomb',
  'badenc.test': 'bad-encoding',
  'zone.test': 'http-500', // a zone key: applies to every host under it
};
const world: World = {
  world: 1,
  cas: [
    { id: 'root', subject: { CN: 'Fault Root' } },
    { id: 'int', issuer: 'root', subject: { CN: 'Fault Int' } },
  ],
  sites: { ...Object.fromEntries(Object.keys(faults).map((h) => [h, site()])), 'www.zone.test': site(), 'fine.test': site('fine') },
  faults,
};

let srv: WebServerHandle;
beforeAll(async () => {
  srv = await startWebServer(world, {});
});
afterAll(() => srv.close());

/** Bytes a raw connection receives within `ms`, and whether it ended / errored. */
function listen(sock: net.Socket, ms: number): Promise<{ bytes: number; ended: boolean; error?: string }> {
  return new Promise((resolve) => {
    let bytes = 0;
    let ended = false;
    let error: string | undefined;
    sock.on('data', (d: Buffer) => (bytes += d.length));
    sock.on('end', () => (ended = true));
    sock.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    setTimeout(() => {
      sock.destroy();
      resolve({ bytes, ended, ...(error ? { error } : {}) });
    }, ms);
  });
}

describe('connection faults', () => {
  it('control: a healthy site handshakes and answers', async () => {
    const r = await get({ port: srv.httpsPort, host: 'fine.test', ca: srv.rootsPem });
    expect(r.body.toString()).toBe('fine');
  });

  it('tcp-timeout: accepts, never speaks (TLS and HTTP)', async () => {
    const t = tls.connect({ host: '127.0.0.1', port: srv.httpsPort, servername: 'timeout.test', ca: srv.rootsPem });
    let secured = false;
    t.on('secureConnect', () => (secured = true));
    const viaTls = await listen(t, 600);
    expect({ ...viaTls, secured }).toEqual({ bytes: 0, ended: false, secured: false });
    const s = net.connect(srv.httpPort, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: timeout.test\r\n\r\n'));
    expect(await listen(s, 600)).toEqual({ bytes: 0, ended: false });
  });

  it('tcp-reset: the connection is reset (TLS and HTTP)', async () => {
    await expect(tlsHandshake(srv.httpsPort, 'reset.test', srv.rootsPem)).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(get({ port: srv.httpPort, host: 'reset.test' })).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('slow: the response trickles in a byte at a time (HTTP and HTTPS)', async () => {
    const s = net.connect(srv.httpPort, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: slow.test\r\n\r\n'));
    const plain = await listen(s, 900);
    expect(plain.bytes).toBeGreaterThanOrEqual(2);
    expect(plain.bytes).toBeLessThanOrEqual(6);
    const t = tls.connect({ host: '127.0.0.1', port: srv.httpsPort, servername: 'slow.test', ca: srv.rootsPem }, () =>
      t.write('GET / HTTP/1.1\r\nHost: slow.test\r\n\r\n'),
    );
    const chunks: string[] = [];
    t.on('data', (d: Buffer) => chunks.push(d.toString()));
    await listen(t, 900);
    expect(chunks.join('')).toMatch(/^HT/);
    expect(chunks.join('').length).toBeLessThanOrEqual(6);
    expect(chunks.every((c) => c.length === 1)).toBe(true);
  });

  it('expired-cert: a valid chain whose leaf is out of date', async () => {
    const r = await tlsHandshake(srv.httpsPort, 'expired.test', srv.rootsPem);
    r.socket.destroy();
    expect(r.authorizationError).toBe('CERT_HAS_EXPIRED');
    expect(new Date(r.cert.valid_to).getTime()).toBeLessThan(Date.now());
    expect(r.cert.issuer.CN).toBe('Fault Int');
  });

  it('self-signed: the leaf signs itself', async () => {
    const r = await tlsHandshake(srv.httpsPort, 'selfsigned.test', srv.rootsPem);
    r.socket.destroy();
    expect(r.authorizationError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(r.cert.subject.CN).toBe('selfsigned.test');
  });

  it('wrong-host-cert: trusted chain, another name', async () => {
    const r = await tlsHandshake(srv.httpsPort, 'wronghost.test', srv.rootsPem);
    r.socket.destroy();
    // The chain verified (a chain error would be reported first); only the name is wrong.
    expect(r.authorizationError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(r.cert.subjectaltname).toBe(`DNS:${WRONG_HOST_NAME}`);
    await expect(get({ port: srv.httpsPort, host: 'wronghost.test', ca: srv.rootsPem })).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});

describe('HTTP faults', () => {
  it('http-500, also for a host under a faulted zone', async () => {
    expect((await get({ port: srv.httpsPort, host: 'err.test', ca: srv.rootsPem })).status).toBe(500);
    expect((await get({ port: srv.httpPort, host: 'www.zone.test' })).status).toBe(500);
  });

  it('redirect-loop: 302s that come back to where they started', async () => {
    const seen: string[] = [];
    let path = '/';
    for (let i = 0; i < 4; i++) {
      const r = await get({ port: srv.httpsPort, host: 'loop.test', ca: srv.rootsPem, path });
      expect(r.status).toBe(302);
      const loc = new URL(r.headers.location!);
      expect(loc.origin).toBe('https://loop.test');
      seen.push(loc.pathname + loc.search);
      path = loc.pathname + loc.search;
    }
    expect(seen).toEqual(['/?loop', '/', '/?loop', '/']);
  });

  it('huge-body: 50 MiB streamed with no content-length', async () => {
    const r = await new Promise<{ total: number; cl: string | undefined }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: srv.httpPort, headers: { host: 'huge.test' }, agent: false }, (res) => {
          let total = 0;
          res.on('data', (d: Buffer) => (total += d.length));
          res.on('end', () => resolve({ total, cl: res.headers['content-length'] }));
        })
        .on('error', reject);
    });
    expect(r.cl).toBeUndefined();
    expect(r.total).toBeGreaterThanOrEqual(HUGE_BODY_BYTES);
    expect(r.total).toBeLessThan(HUGE_BODY_BYTES + 100_000);
  });

  it('huge-body: a client that stops early is let go', async () => {
    const r = await get({ port: srv.httpsPort, host: 'huge.test', ca: srv.rootsPem, maxBytes: 1 << 20 });
    expect(r.body.length).toBeGreaterThanOrEqual(1 << 20);
  });

  it('gzip-bomb: small on the wire, 100 MiB inflated', async () => {
    const r = await get({ port: srv.httpsPort, host: 'bomb.test', ca: srv.rootsPem });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.body.length).toBeLessThan(1 << 20);
    // Inflate streaming, counting bytes (never holding 100 MiB).
    const inflated = await new Promise<number>((resolve, reject) => {
      let n = 0;
      const gz = createGunzip();
      gz.on('data', (d: Buffer) => (n += d.length));
      gz.on('end', () => resolve(n));
      gz.on('error', reject);
      gz.end(r.body);
    });
    expect(inflated).toBe(GZIP_BOMB_BYTES);
  });

  it('bad-encoding: declares gzip and UTF-8, is neither', async () => {
    const r = await get({ port: srv.httpPort, host: 'badenc.test' });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['content-type']).toMatch(/charset=utf-8/);
    expect(() => gunzipSync(r.body)).toThrow();
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(r.body)).toThrow();
  });
});
