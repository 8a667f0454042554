// Certificates are made lazily: starting a large generated world costs only the CA certificates,
// and each site's leaf costs one native ECDSA signature on first handshake. Figures are printed,
// bounds are loose (a shared 2-core machine), the point being that nothing is per-site at start.
import { afterAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/world/generate.js';
import type { WebServerHandle } from '../../../src/world/running.js';
import { startWebServer } from '../../../src/world/web/server.js';
import { tlsHandshake } from './client.js';

let srv: WebServerHandle | undefined;
afterAll(() => srv?.close());

describe('lazy certificates on a 2,000-domain generated world', () => {
  it('starts fast and issues each site its certificate on first handshake', async () => {
    const world = generateWorld({ domains: 2_000, seed: 7 });
    const hosts = Object.keys(world.sites ?? {}).filter((h) => h.startsWith('www.'));
    expect(hosts.length).toBe(2_000);
    const t0 = performance.now();
    srv = await startWebServer(world, {});
    const startMs = performance.now() - t0;

    const sample = hosts.filter((_, i) => i % 80 === 0); // 25 sites spread over the world
    const t1 = performance.now();
    for (const h of sample) {
      const r = await tlsHandshake(srv.httpsPort, h, srv.rootsPem);
      r.socket.destroy();
      // Generated apex and www share one certificate: CN is the apex, the SANs name both.
      expect([r.authorized, r.cert.subject.CN]).toEqual([true, h.slice('www.'.length)]);
      expect(r.cert.subjectaltname).toContain(`DNS:${h}`);
    }
    const firstMs = (performance.now() - t1) / sample.length;
    // Same CA and names → one certificate (the world makes it once, not per site).
    const apex = await tlsHandshake(srv.httpsPort, sample[0]!.slice('www.'.length), srv.rootsPem);
    const www = await tlsHandshake(srv.httpsPort, sample[0]!, srv.rootsPem);
    apex.socket.destroy();
    www.socket.destroy();
    expect(apex.cert.fingerprint256).toBe(www.cert.fingerprint256);
    const t2 = performance.now();
    for (const h of sample) (await tlsHandshake(srv.httpsPort, h, srv.rootsPem)).socket.destroy();
    const cachedMs = (performance.now() - t2) / sample.length;

    console.log(
      `web world 2,000 domains (${Object.keys(world.sites ?? {}).length} sites): start ${startMs.toFixed(0)} ms; ` +
        `first handshake ${firstMs.toFixed(1)} ms/site (cert made); cached ${cachedMs.toFixed(1)} ms/site`,
    );
    expect(startMs).toBeLessThan(10_000);
  });
});
