import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeTls } from '../../src/collect/tls.js';
import { makePki } from './certs.js';
import { localServers } from './servers.js';

const pki = makePki('Probe Test Root');
const good = pki.leaf(['good.test', 'www.good.test']);
const expired = pki.leaf(['expired.test'], { notBefore: new Date(Date.now() - 90 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
const self = pki.selfSigned(['self.test']);
const bare = pki.leaf(['bare.test']);

const { listen, closeAll } = localServers();
let tlsPort = 0;
let barePort = 0;
let resetPort = 0;
let silentPort = 0;
let plainPort = 0;
let closedPort = 0;

beforeAll(async () => {
  const contexts: Record<string, tls.SecureContext> = {
    'expired.test': tls.createSecureContext({ cert: expired.certPem, key: expired.keyPem }),
    'self.test': tls.createSecureContext({ cert: self.certPem, key: self.keyPem }),
  };
  // Leaf and CA sent together so the whole chain is visible; SNI picks the faulty certificates.
  const server = tls.createServer({
    cert: good.certPem + pki.caPem,
    key: good.keyPem,
    ALPNProtocols: ['http/1.1'],
    SNICallback: (name, cb) => cb(null, contexts[name]),
  });
  server.on('secureConnection', (s) => s.end());
  tlsPort = await listen(server);
  // The leaf alone, without its CA (a separate server: SNI contexts keep the default's extra chain).
  const bareServer = tls.createServer({ cert: bare.certPem, key: bare.keyPem });
  bareServer.on('secureConnection', (s) => s.end());
  barePort = await listen(bareServer);
  resetPort = await listen(net.createServer((s) => s.resetAndDestroy()));
  silentPort = await listen(net.createServer(() => undefined));
  // Speaks plain HTTP where TLS is expected.
  plainPort = await listen(net.createServer((s) => s.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n')));
  const closed = net.createServer();
  closedPort = await listen(closed);
  closed.close();
});

afterAll(closeAll);

const opts = (port: number, extra: Partial<Parameters<typeof probeTls>[2]> = {}) => ({ port, timeoutMs: 2000, allowPrivate: true, ca: [pki.caPem], ...extra });

describe('probeTls', () => {
  it('verifies a chain against the extra CA and records it leaf first', async () => {
    const o = await probeTls('good.test', '127.0.0.1', opts(tlsPort));
    expect(o.error).toBeUndefined();
    expect(o.authorized).toBe(true);
    expect(o.authorizationError).toBeUndefined();
    expect(o.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(o.cipher).toBeTruthy();
    expect(o.alpn).toBe('http/1.1');
    expect(o.chain).toHaveLength(2);
    const [leaf, root] = o.chain;
    expect(leaf!.subject).toEqual({ CN: 'good.test', O: 'Leaf Org' });
    expect(leaf!.issuer).toEqual(pki.caSubject);
    expect(leaf!.san).toEqual(['good.test', 'www.good.test']);
    expect(leaf!.keyType).toBe('rsa-2048');
    expect(leaf!.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(Date.parse(leaf!.validTo)).toBeGreaterThan(Date.now());
    expect(leaf!.validFrom).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(leaf!.serial).toMatch(/^[0-9A-F]+$/);
    expect(root!.subject).toEqual(pki.caSubject);
    // The socket's 'close' comes after the answer; it must not turn a good probe into a reset.
    await new Promise((r) => setTimeout(r, 50));
    expect(o.error).toBeUndefined();
  });

  it('does not trust an unknown issuer', async () => {
    const withRoot = await probeTls('good.test', '127.0.0.1', opts(tlsPort, { ca: [] }));
    expect(withRoot.authorized).toBe(false);
    expect(withRoot.authorizationError).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    expect(withRoot.chain[0]?.subject.CN).toBe('good.test');
    const leafOnly = await probeTls('bare.test', '127.0.0.1', opts(barePort, { ca: [] }));
    expect(leafOnly.authorizationError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(leafOnly.chain).toHaveLength(1);
    // The same leaf verifies once its CA is trusted.
    expect((await probeTls('bare.test', '127.0.0.1', opts(barePort))).authorized).toBe(true);
  });

  it('records an expired certificate', async () => {
    const o = await probeTls('expired.test', '127.0.0.1', opts(tlsPort));
    expect(o.authorized).toBe(false);
    expect(o.authorizationError).toBe('CERT_HAS_EXPIRED');
    expect(Date.parse(o.chain[0]!.validTo)).toBeLessThan(Date.now());
  });

  it('records a self-signed certificate', async () => {
    const o = await probeTls('self.test', '127.0.0.1', opts(tlsPort));
    expect(o.authorized).toBe(false);
    expect(o.authorizationError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(o.chain).toHaveLength(1);
    expect(o.chain[0]!.issuer).toEqual(o.chain[0]!.subject);
  });

  it('records a certificate for another host', async () => {
    const o = await probeTls('other.test', '127.0.0.1', opts(tlsPort));
    expect(o.error).toBeUndefined();
    expect(o.authorized).toBe(false);
    expect(o.authorizationError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('maps a reset, a silent server and a refused port', async () => {
    const reset = await probeTls('good.test', '127.0.0.1', opts(resetPort));
    expect(reset.error).toMatchObject({ stage: 'tls', code: 'TCP_RESET' });
    const started = Date.now();
    const silent = await probeTls('good.test', '127.0.0.1', opts(silentPort, { timeoutMs: 300 }));
    expect(silent.error).toMatchObject({ stage: 'tls', code: 'TCP_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(1500);
    const refused = await probeTls('good.test', '127.0.0.1', opts(closedPort));
    expect(refused.error).toMatchObject({ stage: 'tls', code: 'TCP_REFUSED' });
    for (const o of [reset, silent, refused]) {
      expect(o.authorized).toBe(false);
      expect(o.chain).toEqual([]);
    }
  });

  it('maps a server that does not speak TLS to TLS_HANDSHAKE', async () => {
    const o = await probeTls('good.test', '127.0.0.1', opts(plainPort));
    expect(o.error).toMatchObject({ stage: 'tls', code: 'TLS_HANDSHAKE' });
    expect(o.error!.message).toBe('ERR_SSL_WRONG_VERSION_NUMBER: wrong version number');
  });

  it('refuses private addresses unless allowed', async () => {
    const o = await probeTls('good.test', '127.0.0.1', opts(tlsPort, { allowPrivate: false }));
    expect(o.error).toMatchObject({ stage: 'tls', code: 'PRIVATE_ADDRESS' });
    expect(o.chain).toEqual([]);
  });
});
