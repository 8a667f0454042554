// The world keeps only its most recently used TLS contexts (each holds ~40 KB of OpenSSL memory):
// a scan of a 50,000-domain world in-process grew by ~2 GB when every site's context was kept.
// Certificates are kept longer than contexts: a site whose certificate was dropped gets a fresh
// one (a new serial) on its next handshake; one whose context alone was dropped keeps its own.
// Past the bound, a dropped context is refitted with the next certificate (server.ts): each
// handshake must still get its own site's leaf and chain, however many run at once.
import { afterAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/world/generate.js';
import type { WebServerHandle } from '../../../src/world/running.js';
import { LIMITS, startWebServer, WRONG_HOST_NAME } from '../../../src/world/web/server.js';
import type { FaultName } from '../../../src/world/types.js';
import { tlsHandshake } from './client.js';

let srv: WebServerHandle | undefined;
const saved = { ...LIMITS };
afterAll(async () => {
  Object.assign(LIMITS, saved);
  await srv?.close();
});

describe('the world web server', () => {
  it('keeps a bounded number of certificates and TLS contexts: a dropped certificate is issued again', async () => {
    LIMITS.cachedContexts = 2;
    LIMITS.cachedLeaves = 2;
    const world = generateWorld({ domains: 6, seed: 3 });
    const hosts = Object.keys(world.sites ?? {}).filter((h) => h.startsWith('www.'));
    srv = await startWebServer(world, {});
    const serial = async (h: string) => {
      const r = await tlsHandshake(srv!.httpsPort, h, srv!.rootsPem);
      r.socket.destroy();
      expect(r.authorized).toBe(true);
      return r.cert.serialNumber;
    };
    const first = await serial(hosts[0]!);
    expect(await serial(hosts[0]!)).toBe(first); // cached
    for (const h of hosts.slice(1, 4)) await serial(h); // three other certificates push it out
    expect(await serial(hosts[0]!)).not.toBe(first);
  });

  it('keeps a certificate longer than its context: a refitted site keeps its serial', async () => {
    LIMITS.cachedContexts = 1;
    LIMITS.cachedLeaves = 8;
    const world = generateWorld({ domains: 6, seed: 3 });
    const hosts = Object.keys(world.sites ?? {}).filter((h) => h.startsWith('www.'));
    const server = await startWebServer(world, {});
    try {
      const serial = async (h: string) => {
        const r = await tlsHandshake(server.httpsPort, h, server.rootsPem);
        r.socket.destroy();
        expect(r.authorized).toBe(true);
        return r.cert.serialNumber;
      };
      const first = await Promise.all(hosts.slice(0, 4).map(serial));
      expect(new Set(first).size).toBe(4);
      expect(await Promise.all(hosts.slice(0, 4).map(serial))).toEqual(first);
    } finally {
      await server.close();
    }
  });
});

describe('refitted TLS contexts', () => {
  it('serve each site its own leaf and chain while handshakes run at once, fault variants too', async () => {
    LIMITS.cachedContexts = 2;
    LIMITS.cachedLeaves = 2;
    const world = generateWorld({ domains: 12, seed: 5 });
    const hosts = Object.keys(world.sites ?? {}).filter((h) => world.sites![h]!.tls?.ca !== undefined);
    // Variants without intermediates (self-signed) and with them (expired, wrong host) among the
    // rest, on www hosts (a fault on a zone applies to the names below it).
    const www = hosts.filter((h) => h.startsWith('www.'));
    const faults: Record<string, FaultName> = { [www[1]!]: 'self-signed', [www[2]!]: 'expired-cert', [www[3]!]: 'wrong-host-cert' };
    world.faults = faults;
    const subjects = new Map((world.cas ?? []).map((c) => [c.id, c.subject]));
    const server = await startWebServer(world, {});
    try {
      for (let round = 0; round < 2; round++) {
        const got = await Promise.all(hosts.map((h) => tlsHandshake(server.httpsPort, h, server.rootsPem)));
        got.forEach((r, i) => {
          r.socket.destroy();
          const host = hosts[i]!;
          const ca = subjects.get(world.sites![host]!.tls!.ca!)!.CN;
          const sans = (r.cert.subjectaltname ?? '').split(', ');
          if (faults[host] === 'self-signed') {
            expect([r.authorizationError, r.cert.issuer.CN, sans], host).toEqual(['DEPTH_ZERO_SELF_SIGNED_CERT', r.cert.subject.CN, expect.arrayContaining([`DNS:${host}`])]);
          } else if (faults[host] === 'expired-cert') {
            // Expiry is reported only once the chain is built: the intermediates were sent.
            expect([r.authorizationError, r.cert.issuer.CN, sans], host).toEqual(['CERT_HAS_EXPIRED', ca, expect.arrayContaining([`DNS:${host}`])]);
          } else if (faults[host] === 'wrong-host-cert') {
            // The chain verifies; only the name does not match.
            expect([r.authorizationError, r.cert.issuer.CN, sans], host).toEqual(['ERR_TLS_CERT_ALTNAME_INVALID', ca, [`DNS:${WRONG_HOST_NAME}`]]);
          } else {
            expect([r.authorized, r.cert.issuer.CN, sans], host).toEqual([true, ca, expect.arrayContaining([`DNS:${host}`])]);
          }
        });
      }
      expect(hosts.length).toBeGreaterThan(8);
    } finally {
      await server.close();
    }
  });
});
