// The per-domain deadline and --http-timeout (issue 19, item 4): a deadline aborts the probes of
// its domain (connections closed, nothing left running), a TLS handshake is recorded as soon as
// it is done, and --http-timeout bounds a whole redirect chain, not each hop.
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT, probeHttp, type HttpProbeOptions } from '../../src/collect/http.js';
import { probeTls } from '../../src/collect/tls.js';
import { scanDomain, type Probes } from '../../src/collect/domain.js';
import type { TlsObservation } from '../../src/types.js';
import { localServers } from './servers.js';

const { listen, closeAll } = localServers();
const ports = { chain: 0, silent: 0, trickle: 0 };
/** Resolves with each connection the silent server accepts (for the test to abort on). */
let onSilent: ((s: net.Socket) => void) | undefined;
let onTrickle: ((res: http.ServerResponse) => void) | undefined;

beforeAll(async () => {
  // /hop/N: 302 to /hop/N+1 after 400 ms, up to /hop/6, which answers 200.
  ports.chain = await listen(
    http.createServer((req, res) => {
      const n = Number(/^\/hop\/(\d+)$/.exec(req.url ?? '')?.[1] ?? 0);
      const t = setTimeout(() => (n >= 6 ? res.writeHead(200, { 'content-type': 'text/html' }).end('<html>end</html>') : res.writeHead(302, { location: `/hop/${n + 1}` }).end()), 400);
      res.on('close', () => clearTimeout(t));
    }),
  );
  // Accepts and never speaks.
  ports.silent = await listen(net.createServer((s) => onSilent?.(s)));
  // A page that trickles one byte every 100 ms, for ever.
  ports.trickle = await listen(
    http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const t = setInterval(() => res.write('.'), 100);
      res.on('close', () => clearInterval(t));
      onTrickle?.(res);
    }),
  );
});
afterAll(closeAll);

function opts(extra: Partial<HttpProbeOptions> = {}): HttpProbeOptions {
  return { resolve: async () => ['127.0.0.1'], httpsPort: ports.silent, httpPort: ports.chain, timeoutMs: 1000, maxBody: 1 << 20, maxRedirects: 10, userAgent: DEFAULT_USER_AGENT, allowPrivate: true, ...extra };
}

describe('--http-timeout covers every redirect hop together', () => {
  it('a chain of 400 ms hops is cut at 1 s, not followed to its end', async () => {
    // Each hop alone is well within 1 s: before the fix all six were followed (2.4 s).
    const o = await probeHttp('http://site.test/hop/0', opts());
    expect(o.error?.code).toBe('HTTP_TIMEOUT');
    if (o.redirects.length > 0) expect(o.error?.message).toMatch(/redirect\(s\) followed, no final answer within 1000 ms/);
    expect(o.redirects.length).toBeLessThan(6);
    expect(o.status).toBeUndefined();
  });
  it('a chain within the budget is followed to its end', async () => {
    const o = await probeHttp('http://site.test/hop/0', opts({ timeoutMs: 60_000 }));
    expect([o.status, o.redirects.length, o.error]).toEqual([200, 6, undefined]);
  });
});

describe('an aborted domain stops its probes and closes their connections', () => {
  it('HTTP: a trickling page is dropped at once (DEADLINE), its socket closed', async () => {
    const ac = new AbortController();
    const served = new Promise<http.ServerResponse>((r) => (onTrickle = r));
    const probe = probeHttp('http://site.test/', opts({ httpPort: ports.trickle, timeoutMs: 120_000 }), { signal: ac.signal });
    const res = await served;
    ac.abort();
    const o = await probe;
    expect(o.error?.code).toBe('DEADLINE');
    if (!res.destroyed) await once(res, 'close');
    expect(res.destroyed).toBe(true);
  });
  it('TLS: a server that never handshakes is dropped at once (DEADLINE), its socket closed', async () => {
    const ac = new AbortController();
    const accepted = new Promise<net.Socket>((r) => (onSilent = r));
    const probe = probeTls('site.test', '127.0.0.1', { port: ports.silent, timeoutMs: 120_000, allowPrivate: true, signal: ac.signal });
    const s = await accepted;
    ac.abort();
    const o = await probe;
    expect(o.error?.code).toBe('DEADLINE');
    if (!s.closed) await once(s, 'close');
  });
});

describe('scanDomain at its deadline', () => {
  const dns = { ns: [], soa: null, mx: [], txt: [], dmarc: [], caa: [], hosts: { 'slow.test': { roles: ['apex' as const], cname: [], a: ['127.0.0.1'], aaaa: [] } } };
  const tls = (host: string, address: string): TlsObservation => ({ host, address, port: 443, authorized: true, chain: [] });

  it('keeps a TLS handshake finished before the deadline, and aborts the HTTP exchange still running', async () => {
    let signalSeen: AbortSignal | undefined;
    const probes: Probes = {
      gatherDns: () => Promise.resolve({ dns, errors: [] }),
      resolveHost: (_n, roles) => Promise.resolve({ host: { roles, cname: [], a: [], aaaa: [] }, errors: [] }),
      asn: () => Promise.resolve({ asn: null, source: 'db' }),
      tls: (host, address) => Promise.resolve(tls(host, address)),
      http: (url) => Promise.resolve({ url, redirects: [], headers: [] }),
      // The handshake is done at once; the page then never finishes (until aborted).
      web: (host, address, _session, o) => {
        signalSeen = o?.signal;
        o?.onTls?.(tls(host, address!));
        return new Promise((resolve) => o?.signal?.addEventListener('abort', () => resolve({ tls: tls(host, address!), http: { url: `https://${host}/`, redirects: [], headers: [] } })));
      },
    };
    const obs = await scanDomain({ domain: 'slow.test', input: { line: 1 } }, probes, { web: true, deadlineMs: 300 });
    expect(obs.errors.map((e) => e.code)).toEqual(['DEADLINE']);
    expect(obs.tls.map((t) => t.host)).toEqual(['slow.test']);
    expect(signalSeen?.aborted).toBe(true);
  });
});
