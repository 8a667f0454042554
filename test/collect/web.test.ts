// The web probe's economies, against real local servers: the TLS probe's connection carries the
// HTTP request (one handshake, not two), its connection failure is not waited out twice, and one
// domain's probes ask the same URL once (the apex's 301 to www reads the www probe's answer).
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWebSession, probeHttp, type FirstHop, type HttpProbeOptions } from '../../src/collect/http.js';
import { probeTlsKeep } from '../../src/collect/tls.js';
import { makePki } from './certs.js';
import { localServers } from './servers.js';

const pki = makePki('Web Test Root');
const leaf = pki.leaf(['apex.test', 'www.apex.test']);

const { listen, closeAll } = localServers();
afterAll(closeAll);

interface Counting {
  port: number;
  connections: number;
  requests: string[];
}

/** An HTTPS server that counts connections and requests ("host path"). */
async function countingServer(alpn?: string[]): Promise<Counting> {
  const c: Counting = { port: 0, connections: 0, requests: [] };
  const server = https.createServer({ key: leaf.keyPem, cert: leaf.certPem, ...(alpn ? { ALPNProtocols: alpn } : {}) }, (req, res) => {
    c.requests.push(`${req.headers.host ?? ''} ${req.url ?? ''}`);
    if (req.headers.host?.startsWith('apex.test')) return void res.writeHead(301, { location: 'https://www.apex.test/' }).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>www</title></head></html>');
  });
  // TCP accepts: a client that closes right after its handshake may never show as 'secureConnection'.
  server.on('connection', () => c.connections++);
  c.port = await listen(server);
  return c;
}

function httpOptions(port: number, timeoutMs = 3_000): HttpProbeOptions {
  return {
    resolve: async () => ['127.0.0.1'],
    httpsPort: port,
    httpPort: 1,
    timeoutMs,
    maxBody: 1 << 20,
    maxRedirects: 5,
    userAgent: 'test',
    allowPrivate: true,
  };
}
const tlsOptions = (port: number, timeoutMs = 3_000) => ({ port, ca: [pki.caPem], timeoutMs, allowPrivate: true });

describe('web probe: one connection for TLS and HTTP', () => {
  let plain: Counting;
  let h2: Counting;
  beforeAll(async () => {
    plain = await countingServer();
    h2 = await countingServer(['h2', 'http/1.1']);
  });

  it('sends the first request over the TLS probe’s connection', async () => {
    const before = plain.connections;
    const kept = await probeTlsKeep('www.apex.test', '127.0.0.1', tlsOptions(plain.port));
    expect(kept.obs.error).toBeUndefined();
    expect(kept.obs.authorized).toBe(true);
    expect(kept.socket).toBeDefined();
    const first: FirstHop = { host: 'www.apex.test', address: '127.0.0.1', socket: kept.socket as TLSSocket };
    const obs = await probeHttp('https://www.apex.test/', httpOptions(plain.port), { first });
    expect(obs.error).toBeUndefined();
    expect(obs.status).toBe(200);
    expect(obs.html?.title).toBe('www');
    expect(plain.connections - before).toBe(1);
    expect(kept.socket?.destroyed).toBe(true);
  });

  it('a server that picks h2 but speaks HTTP/1.1: a coded error over the one connection', async () => {
    const before = h2.connections;
    const kept = await probeTlsKeep('www.apex.test', '127.0.0.1', tlsOptions(h2.port));
    expect(kept.obs.alpn).toBe('h2');
    expect(kept.socket).toBeDefined();
    const obs = await probeHttp('https://www.apex.test/', httpOptions(h2.port), { first: { host: 'www.apex.test', address: '127.0.0.1', socket: kept.socket } });
    expect(obs.status).toBeUndefined();
    expect(obs.error?.code).toBe('HTTP_PROTOCOL');
    expect(h2.connections - before).toBe(1);
  });

  it('does not hand the connection to another host or address', async () => {
    const before = plain.connections;
    const kept = await probeTlsKeep('www.apex.test', '127.0.0.1', tlsOptions(plain.port));
    const first: FirstHop = { host: 'www.apex.test', address: '127.0.0.2', socket: kept.socket as TLSSocket };
    const obs = await probeHttp('https://www.apex.test/', httpOptions(plain.port), { first });
    expect(obs.status).toBe(200);
    expect(plain.connections - before).toBe(2);
    expect(kept.socket?.destroyed).toBe(true);
  });

  it('one session asks a URL once: the apex redirect reads the www probe’s answer', async () => {
    const before = plain.requests.length;
    const session = newWebSession();
    const [apex, www] = await Promise.all([
      probeHttp('https://apex.test/', httpOptions(plain.port), { session }),
      probeHttp('https://www.apex.test/', httpOptions(plain.port), { session }),
    ]);
    const asked = plain.requests.slice(before).sort();
    expect(asked).toEqual(['apex.test /', 'www.apex.test /']);
    expect(apex.redirects.map((r) => r.status)).toEqual([301]);
    expect(apex.finalUrl).toBe('https://www.apex.test/');
    expect(apex.status).toBe(200);
    expect(www.status).toBe(200);
    expect(apex.html).toEqual(www.html);
  });

  it('keeps no page bytes in the session once the page is read, unless the body is saved', async () => {
    // A session lives as long as its domain; 256 domains of real-sized pages held ~37 MB this way.
    const session = newWebSession();
    const [apex, www] = await Promise.all([
      probeHttp('https://apex.test/', httpOptions(plain.port), { session }),
      probeHttp('https://www.apex.test/', httpOptions(plain.port), { session }),
    ]);
    // Both probes still have the page's signals, whichever read it second.
    expect(www.html?.title).toBe('www');
    expect(apex.html).toEqual(www.html);
    const kept = await Promise.all([...session.fetches.values()]);
    expect(kept.map((r) => ('status' in r ? [r.status, r.body.length, r.signals?.text ?? ''] : r.code))).toEqual(
      expect.arrayContaining([[301, 0, ''], [200, 0, '']]),
    );
    const saved = await probeHttp('https://www.apex.test/', { ...httpOptions(plain.port), saveBody: true }, { session: newWebSession() });
    expect(saved.body).toContain('<title>www</title>');
  });
});

describe('web probe: a failed TLS connection is not tried twice', () => {
  let port = 0;
  let accepted = 0;
  beforeAll(async () => {
    port = await listen(net.createServer(() => void accepted++));
  });

  it('goes straight to the http:// fallback with the TLS probe’s error', async () => {
    const kept = await probeTlsKeep('apex.test', '127.0.0.1', tlsOptions(port, 300));
    expect(kept.obs.error?.code).toBe('TCP_TIMEOUT');
    const first: FirstHop = { host: 'apex.test', address: '127.0.0.1', failure: { code: 'TCP_TIMEOUT', message: kept.obs.error!.message } };
    const before = accepted;
    // http:// goes to port 1 (refused): the fallback fails too, naming both attempts.
    const obs = await probeHttp('https://apex.test/', httpOptions(port, 300), { first });
    expect(accepted - before).toBe(0);
    expect(obs.error?.code).toBe('TCP_TIMEOUT');
    expect(obs.error?.message).toContain('http:// fallback: TCP_REFUSED');
  });
});
