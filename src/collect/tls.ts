// The TLS probe: connect to the address our resolver gave (Node does no lookup), offer SNI and
// ALPN, never reject a certificate but record whether it verified and why not, and keep the
// chain. Never throws: failures are the `error` of the observation.
import { isIP } from 'node:net';
import tls from 'node:tls';
import { RecentlyUsed } from '../recent.js';
import type { CertInfo, ErrorCode, TlsObservation } from '../types.js';
import { chainOf } from './cert.js';
import { connectionCode, oneLine } from './neterr.js';
import { isPrivateAddress } from './private.js';

export interface TlsProbeOptions {
  port: number;
  /** Extra trusted roots (PEM), added to Node's. */
  ca?: string[];
  timeoutMs: number;
  allowPrivate: boolean;
  /** The domain's deadline: when it fires, the connection is closed and the probe answers DEADLINE. */
  signal?: AbortSignal;
  /** Chains read earlier in this scan (apex and www usually serve one leaf): read each once. One cache per trust store (`ca`). */
  chains?: ChainCache;
}

/**
 * Chains by leaf SHA-256, one cache per trust store. Reading a chain (`getPeerCertificate(true)`) copies
 * and re-parses every certificate in it, ~0.4 ms of OpenSSL work; the leaf alone costs ~0.02.
 * The chain is the leaf, the intermediates the server sent and the root our store holds, so one
 * leaf from one site gives one chain. Entries are read-only once stored.
 */
export class ChainCache extends RecentlyUsed<string, readonly CertInfo[]> {
  // Apex and www are probed side by side: recent leaves are the ones asked again.
  constructor(max = 512) {
    super(max);
  }
}

const peerCertificate = tls.TLSSocket.prototype.getPeerCertificate;

// Node's default context already trusts tls.rootCertificates; with extra CAs a context holding
// both is built once per CA list, not per connection (parsing ~150 roots costs milliseconds).
const contexts = new Map<string, tls.SecureContext>();
function contextWith(ca: string[]): tls.SecureContext {
  const key = ca.join('\n');
  let ctx = contexts.get(key);
  if (!ctx) {
    if (contexts.size >= 8) contexts.clear();
    ctx = tls.createSecureContext({ ca: [...tls.rootCertificates, ...ca] });
    contexts.set(key, ctx);
  }
  return ctx;
}

/** Client context without extra CAs: one for the process, not one built per connection. */
let defaultContext: tls.SecureContext | undefined;

/** The client context for a CA list (none: Node's roots), shared by every connection. */
export function clientContext(ca?: string[]): tls.SecureContext {
  return ca && ca.length > 0 ? contextWith(ca) : (defaultContext ??= tls.createSecureContext());
}

/**
 * A client context that trusts no root: for connections that never verify (the HTTP probe's).
 * A chain that cannot verify is not read for Node's name check (~0.4 ms a connection).
 */
let emptyStore: tls.SecureContext | undefined;
export function unverifiedContext(): tls.SecureContext {
  return (emptyStore ??= tls.createSecureContext({ ca: [] }));
}

/** A TLS probe that hands its connection on (for the HTTP request) when it succeeded. */
export interface KeptTls {
  obs: TlsObservation;
  /** Connected socket, still open, when the handshake succeeded (HTTP/1.1 or h2, as `obs.alpn` says). */
  socket?: tls.TLSSocket;
}

export async function probeTls(host: string, address: string, o: TlsProbeOptions): Promise<TlsObservation> {
  return (await connectTls(host, address, o, false)).obs;
}

/**
 * The TLS probe, keeping the connection: the HTTP probe sends its first request over it, which
 * saves a second handshake on both sides. The ALPN offer is a browser's (`alpn` is evidence); when
 * the server picks h2 the HTTP client speaks h2 over this connection.
 */
export function probeTlsKeep(host: string, address: string, o: TlsProbeOptions): Promise<KeptTls> {
  return connectTls(host, address, o, true);
}

function connectTls(host: string, address: string, o: TlsProbeOptions, keep: boolean): Promise<KeptTls> {
  const obs: TlsObservation = { host, address, port: o.port, authorized: false, chain: [] };
  // Once the probe has answered, a late 'close' or 'error' must not rewrite what it answered.
  let answered = false;
  const fail = (code: ErrorCode, message: string): TlsObservation => {
    if (answered) return obs;
    // No port in the target: worlds use random ports, and two scans of a world must be identical
    // (the port is on the observation itself).
    obs.error = { stage: 'tls', code, message, target: `${host} ${address}` };
    return obs;
  };
  if (!isIP(address)) return Promise.resolve({ obs: fail('NO_ADDRESS', `not an IP address: ${address.slice(0, 100)}`) });
  if (!o.allowPrivate && isPrivateAddress(address)) return Promise.resolve({ obs: fail('PRIVATE_ADDRESS', `refused to connect to private address ${address}`) });
  if (o.signal?.aborted) return Promise.resolve({ obs: fail('DEADLINE', 'domain deadline passed before the TLS probe started') });

  return new Promise<KeptTls>((resolve) => {
    let settled = false;
    let connected = false;
    const done = (r: TlsObservation): void => {
      if (settled) return;
      settled = true;
      answered = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (keep && !r.error && !socket.destroyed) {
        // From here the HTTP client owns the socket; an error before it attaches must not throw.
        socket.on('error', () => undefined);
        resolve({ obs: r, socket });
        return;
      }
      socket.destroy();
      resolve({ obs: r });
    };
    let socket: tls.TLSSocket;
    // The leaf Node's own name check was given; only when the chain verified (Node skips it otherwise).
    let checked: tls.PeerCertificate | undefined;
    try {
      socket = tls.connect({
        host: address,
        port: o.port,
        // SNI must be a host name; an IP "host" sends none (RFC 6066 section 3).
        ...(isIP(host) ? {} : { servername: host }),
        ALPNProtocols: ['h2', 'http/1.1'],
        rejectUnauthorized: false,
        secureContext: clientContext(o.ca),
        // Node asks only for a verified chain; the name is checked once, below, for every case.
        checkServerIdentity: (_name, cert) => {
          checked = cert;
          return undefined;
        },
      });
      // Node's check of a verified chain asks for the detailed chain but reads only the leaf's
      // subject and names: give it the leaf (the chain is read below, once, or not at all).
      socket.getPeerCertificate = (() => peerCertificate.call(socket, false)) as tls.TLSSocket['getPeerCertificate'];
    } catch (e) {
      resolve({ obs: fail('TLS_HANDSHAKE', oneLine(e)) });
      return;
    }
    const timer = setTimeout(() => {
      const what = connected ? 'no TLS handshake' : 'no TCP connection';
      done(fail('TCP_TIMEOUT', `${what} within ${o.timeoutMs} ms`));
    }, o.timeoutMs);
    const onAbort = (): void => done(fail('DEADLINE', 'domain deadline reached during the TLS handshake'));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      connected = true;
    });
    socket.once('error', (e) => done(fail(connectionCode(e), oneLine(e))));
    socket.once('close', () => done(fail('TCP_RESET', 'connection closed before the TLS handshake finished')));
    socket.once('secureConnect', () => {
      try {
        delete (socket as { getPeerCertificate?: unknown }).getPeerCertificate;
        const leaf = checked ?? socket.getPeerCertificate(false);
        const hasLeaf = leaf !== null && typeof leaf === 'object' && 'raw' in leaf;
        obs.chain = hasLeaf ? [...readChain(socket, leaf, o)] : [];
        obs.authorized = socket.authorized;
        if (!socket.authorized) {
          const err: unknown = socket.authorizationError;
          obs.authorizationError = typeof err === 'string' ? err : err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message) : 'UNKNOWN';
        } else if (hasLeaf) {
          // The chain verified; the name is ours to check (Node's check above is a no-op, and it
          // would not check without SNI).
          const mismatch = tls.checkServerIdentity(host, leaf);
          if (mismatch) {
            obs.authorized = false;
            obs.authorizationError = (mismatch as NodeJS.ErrnoException).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID';
          }
        }
        const protocol = socket.getProtocol();
        if (protocol) obs.protocol = protocol;
        const cipher = socket.getCipher()?.name;
        if (cipher) obs.cipher = cipher;
        if (typeof socket.alpnProtocol === 'string') obs.alpn = socket.alpnProtocol;
        done(obs);
      } catch (e) {
        done(fail('TLS_HANDSHAKE', oneLine(e)));
      }
    });
  });
}

/** The chain of a connection whose leaf is `leaf`: from the scan's cache, else read (and kept). */
function readChain(socket: tls.TLSSocket, leaf: tls.PeerCertificate, o: TlsProbeOptions): readonly CertInfo[] {
  const key = leaf.fingerprint256;
  const known = o.chains && key ? o.chains.get(key) : undefined;
  if (known) return known;
  const chain = chainOf(socket.getPeerCertificate(true));
  if (o.chains && key) o.chains.set(key, chain);
  return chain;
}
