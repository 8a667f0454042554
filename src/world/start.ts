// Start a whole world: DNS (UDP+TCP) and the web servers, plus a PEM of its roots on disk so
// outside tools (curl --cacert, openssl s_client -CAfile) can trust it too.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDnsServer } from './dns/server.js';
import { startWebServer } from './web/server.js';
import type { LoadedWorld } from './load.js';
import type { ServeOptions } from './running.js';

export interface RunningWorld {
  resolver: string;
  dnsHost: string;
  dnsPort: number;
  httpPort: number;
  httpsPort: number;
  rootsPem: string;
  caFile: string;
  close(): Promise<void>;
}

export async function startWorld(loaded: LoadedWorld, opts: ServeOptions = {}): Promise<RunningWorld> {
  const serve = { ...opts, baseDir: loaded.baseDir, file: loaded.file };
  const dns = await startDnsServer(loaded.world, serve);
  let web;
  try {
    web = await startWebServer(loaded.world, serve);
  } catch (e) {
    await dns.close();
    throw e;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'whoserves-world-'));
  const caFile = path.join(dir, 'roots.pem');
  writeFileSync(caFile, web.rootsPem);
  const dnsHost = dns.host.includes(':') ? `[${dns.host}]` : dns.host;
  return {
    resolver: `${dnsHost}:${dns.port}`,
    dnsHost: dns.host,
    dnsPort: dns.port,
    httpPort: web.httpPort,
    httpsPort: web.httpsPort,
    rootsPem: web.rootsPem,
    caFile,
    async close() {
      await Promise.allSettled([dns.close(), web.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
