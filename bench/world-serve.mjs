// Stand-in for `whoserves world serve FILE` while that command is not wired: serves a world
// (DNS, TLS, HTTP on loopback) from dist/ in its own process and prints one JSON line.
// Extra flags for benchmarks: --dns-host H --dns-port P (adnshost only speaks to port 53).
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadWorld } from '../dist/world/load.js';
import { startDnsServer } from '../dist/world/dns/server.js';
import { startWebServer } from '../dist/world/web/index.js';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const file = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
if (!file) {
  process.stderr.write('usage: node bench/world-serve.mjs FILE [--latency MS] [--dns-host H --dns-port P] [--no-web]\n');
  process.exit(2);
}
const latency = flag('--latency');
const latencyMs = latency === undefined ? undefined : Number(latency);
const { world, baseDir } = loadWorld(file);
const dns = await startDnsServer(world, { latencyMs, file, host: flag('--dns-host'), port: flag('--dns-port') ? Number(flag('--dns-port')) : undefined });
const web = args.includes('--no-web') ? undefined : await startWebServer(world, { latencyMs, file, baseDir });
let caFile;
if (web) {
  caFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'whoserves-ca-')), 'roots.pem');
  writeFileSync(caFile, web.rootsPem);
}
process.stdout.write(
  JSON.stringify({ resolver: `${dns.host}:${dns.port}`, dnsHost: dns.host, dnsPort: dns.port, httpPort: web?.httpPort, httpsPort: web?.httpsPort, caFile }) + '\n',
);
const stop = async () => {
  await Promise.allSettled([dns.close(), web?.close()]);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
