// The scanner's probes composed from dist/ modules, for the in-process soak variant and for the
// stand-in scanner (bench/scan-standin.mjs) used while `whoserves scan` is not wired.
import { readFileSync } from 'node:fs';
import { Resolver } from '../dist/collect/dns/resolver.js';
import { gatherDns, resolveHost, txtOf } from '../dist/collect/dns/gather.js';
import { openAsnSource } from '../dist/collect/asn/index.js';
import { probeTls } from '../dist/collect/tls.js';
import { probeHttp, DEFAULT_USER_AGENT } from '../dist/collect/http.js';

/** o: { resolver: 'host:port', httpsPort, httpPort, caFile } */
export async function makeProbes(o) {
  const i = o.resolver.lastIndexOf(':');
  const r = new Resolver({ upstreams: [{ host: o.resolver.slice(0, i), port: Number(o.resolver.slice(i + 1)) }], timeoutMs: 2000, retries: 2 });
  const asn = await openAsnSource({ kind: 'cymru', resolver: { txt: (name) => r.query(name, 'TXT').then((a) => txtOf(a.answers)) } });
  const ca = o.caFile ? [readFileSync(o.caFile, 'utf8')] : undefined;
  const probes = {
    gatherDns: (d) => gatherDns(d, r),
    resolveHost: (name, roles) => resolveHost(name, r, roles),
    asn: (ip) => asn.lookup(ip),
    tls: (host, address) => probeTls(host, address, { port: o.httpsPort, ca, timeoutMs: 10_000, allowPrivate: true }),
    http: (url) =>
      probeHttp(url, {
        resolve: async (h) => {
          const x = await resolveHost(h, r, ['final']);
          return [...x.host.a, ...x.host.aaaa];
        },
        httpsPort: o.httpsPort,
        httpPort: o.httpPort,
        ca,
        timeoutMs: 10_000,
        maxBody: 1024 * 1024,
        maxRedirects: 10,
        userAgent: DEFAULT_USER_AGENT,
        allowPrivate: true,
      }),
  };
  return { probes, close: async () => Promise.allSettled([r.close(), asn.close?.()]) };
}
