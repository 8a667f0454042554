// Native-memory check of the TLS/HTTP probes: `node --expose-gc bench/leak.mjs MODE [N]` serves a
// generated N-domain world in its own process, probes www.<domain> for each domain (128 at a
// time) and prints the process's RssAnon after a full GC every 2,000 connections. Flat = no
// native leak. MODE: tls (our TLS probe), http (our HTTP probe), web (both over one connection),
// raw (bare tls.connect), x509 (bare tls.connect + getPeerX509Certificate(), which leaks
// ~5 KB a call on Node 20.20 — the reason the TLS probe uses getPeerCertificate(true)).
import { mkdirSync, readFileSync } from 'node:fs';
import tls from 'node:tls';
import pLimit from 'p-limit';
import { serveWorld, stopChild, tempDir, writeWorld } from './lib.mjs';
import { probeTls, probeTlsKeep } from '../dist/collect/tls.js';
import { probeHttp } from '../dist/collect/http.js';

if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
const [mode = 'web', nStr] = process.argv.slice(2);
const N = Number(nStr ?? 10_000);
const dir = tempDir();
mkdirSync(dir, { recursive: true });
// LEAK_HTTP2=1: the world speaks h2 (world generate --http2), so web and http run over HTTP/2.
const gen = await writeWorld(dir, { domains: N, seed: 1, latencyMs: 0, faults: 0, http2: process.env.LEAK_HTTP2 === '1' });
const w = await serveWorld(gen.file, { latencyMs: 0 });
const ca = [readFileSync(w.caFile, 'utf8')];
const anonMB = () => Math.round(Number(/RssAnon:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1000);
const tlsOpts = { port: w.httpsPort, ca, timeoutMs: 10_000, allowPrivate: true };
const httpOpts = { resolve: async () => ['127.0.0.1'], httpsPort: w.httpsPort, httpPort: w.httpPort, timeoutMs: 10_000, maxBody: 1 << 20, maxRedirects: 5, userAgent: 'leak-check', allowPrivate: true };
const ctx = tls.createSecureContext({ ca: [...tls.rootCertificates, ...ca] });
const bare = (host, read) =>
  new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port: w.httpsPort, servername: host, secureContext: ctx, rejectUnauthorized: false });
    s.once('secureConnect', () => {
      read?.(s);
      s.destroy();
      resolve();
    });
    s.once('error', resolve);
  });
const probe = {
  tls: (host) => probeTls(host, '127.0.0.1', tlsOpts),
  http: (host) => probeHttp(`https://${host}/`, httpOpts),
  web: async (host) => {
    const k = await probeTlsKeep(host, '127.0.0.1', tlsOpts);
    await probeHttp(`https://${host}/`, httpOpts, { first: { host, address: '127.0.0.1', socket: k.socket } });
  },
  raw: (host) => bare(host),
  x509: (host) => bare(host, (s) => s.getPeerX509Certificate()?.subject),
}[mode];
if (!probe) throw new Error(`unknown mode ${mode}`);
const limit = pLimit(128);
let done = 0;
process.stdout.write(`${mode}: RssAnon ${anonMB()} MB at start (world loaded)\n`);
try {
  await Promise.all(
    gen.world.domains.map((d) =>
      limit(async () => {
        await probe(`www.${d}`);
        if (++done % 2000 === 0) {
          global.gc();
          process.stdout.write(`${done} connections: RssAnon ${anonMB()} MB, heapTotal ${Math.round(process.memoryUsage().heapTotal / 1e6)} MB, heapUsed ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB\n`);
        }
      }),
    ),
  );
} finally {
  await stopChild(w.child);
}
// LEAK_SNAPSHOT=FILE: a heap snapshot after the last full GC, to see what stayed.
if (process.env.LEAK_SNAPSHOT) {
  global.gc();
  (await import('node:v8')).writeHeapSnapshot(process.env.LEAK_SNAPSHOT);
}
