// readPeerChain against the old path on real TLS servers: every site of the study world and of a
// world with hostile CA names and certificate faults gives the same CertInfo[] as
// chainOf(getPeerCertificate(true)) on a second connection, and nameMismatch the same code as
// tls.checkServerIdentity.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainOf } from '../../src/collect/cert.js';
import { nameMismatch, parseName, peerStats, readPeerChain, trustIndex, type PeerChain } from '../../src/collect/peer.js';
import { loadWorld } from '../../src/world/load.js';
import { startWorld, type RunningWorld } from '../../src/world/start.js';
import type { World } from '../../src/world/types.js';
import type { CertInfo } from '../../src/types.js';

const ESCAPES = '\u001b]8;;http://evil\u0007click\u001b]8;;\u0007\u001b[31m red \u202eevil-rtl\u0000nul';
const NASTY = ['a,b+c"d\\e<f>g;h', '#lead', ' lead and trail ', '中国 深圳 = x', '=HYPERLINK("x")', ESCAPES, 'x'.repeat(10 * 1024), 'a + b', 'new\nline', '\\41'];

/** Hostile CA names (one CA per nasty string), sites under them, and the certificate faults. */
function hostileWorld(): World {
  const cas: NonNullable<World['cas']> = [{ id: 'root', subject: { CN: 'Plain Root', O: 'Test', C: 'US' } }];
  const sites: NonNullable<World['sites']> = {};
  const zones: World['zones'] = { 'evil.test': ['@ A 127.0.0.1'] };
  NASTY.forEach((s, i) => {
    cas.push({ id: `r${i}`, subject: { CN: s, O: `${s} org`, OU: s.slice(0, 64), C: 'ZZ' } });
    cas.push({ id: `i${i}`, issuer: `r${i}`, subject: { CN: `inter ${s}`, O: s } });
    sites[`evil${i}.test`] = { tls: { ca: i % 2 ? `i${i}` : `r${i}`, names: [`evil${i}.test`, `*.w${i}.evil.test`] }, http: { status: 200 } };
  });
  for (const f of ['self-signed', 'expired-cert', 'wrong-host-cert']) sites[`${f}.test`] = { tls: { ca: 'root' }, http: { status: 200 } };
  return {
    world: 1,
    description: 'peer.test.ts',
    cas,
    zones,
    sites,
    faults: { 'self-signed.test': 'self-signed', 'expired-cert.test': 'expired-cert', 'wrong-host-cert.test': 'wrong-host-cert' },
  };
}

function connect(port: number, servername: string, ctx: tls.SecureContext): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername, secureContext: ctx, rejectUnauthorized: false }, () => resolve(s));
    s.once('error', reject);
  });
}

interface Both {
  fresh: PeerChain;
  old: CertInfo[];
  oldMismatch: (host: string) => string | undefined;
}

async function both(w: RunningWorld, host: string, ctx: tls.SecureContext): Promise<Both> {
  const a = await connect(w.httpsPort, host, ctx);
  const fresh = readPeerChain(a, trustIndex([w.rootsPem]));
  a.destroy();
  const b = await connect(w.httpsPort, host, ctx);
  const peer = b.getPeerCertificate(true);
  b.destroy();
  const oldMismatch = (h: string): string | undefined => {
    const e = tls.checkServerIdentity(h, peer);
    return e ? (e as NodeJS.ErrnoException).code : undefined;
  };
  return { fresh, old: chainOf(peer && 'raw' in peer ? peer : undefined), oldMismatch };
}

const dir = mkdtempSync(path.join(tmpdir(), 'peer-test-'));
const running: RunningWorld[] = [];
afterAll(async () => {
  await Promise.all(running.map((w) => w.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function compareWorld(world: RunningWorld, hosts: string[]): Promise<{ withRoot: number; lengths: number[] }> {
  const ctx = tls.createSecureContext({ ca: [...tls.rootCertificates, world.rootsPem] });
  let withRoot = 0;
  const lengths: number[] = [];
  for (const host of hosts) {
    const { fresh, old, oldMismatch } = await both(world, host, ctx);
    expect(fresh.chain, host).toEqual(old);
    expect(fresh.identity, host).toBeDefined();
    for (const h of [host, `x.${host}`, `x.w1.evil.test`, 'other.example', '127.0.0.1', `${host}.`]) expect(nameMismatch(h, fresh.identity!), `${host} as ${h}`).toBe(oldMismatch(h));
    lengths.push(old.length);
    const last = old[old.length - 1];
    if (last && world.rootsPem.includes('BEGIN') && old.length > 1 && JSON.stringify(last.subject) === JSON.stringify(last.issuer)) withRoot++;
  }
  return { withRoot, lengths };
}

describe('readPeerChain equals chainOf(getPeerCertificate(true))', () => {
  let study: RunningWorld;
  let hostile: RunningWorld;
  beforeAll(async () => {
    study = await startWorld(loadWorld('fixtures/worlds/study-2020.json'));
    running.push(study);
    const file = path.join(dir, 'hostile.json');
    writeFileSync(file, JSON.stringify(hostileWorld()));
    hostile = await startWorld(loadWorld(file));
    running.push(hostile);
  }, 30_000);

  it('on every TLS site of the study world, roots from the trust store included', async () => {
    const sites = loadWorld('fixtures/worlds/study-2020.json').world.sites ?? {};
    const hosts = Object.keys(sites).filter((h) => sites[h]?.tls && !h.startsWith('*'));
    expect(hosts.length).toBeGreaterThan(10);
    const before = { ...peerStats };
    const { withRoot, lengths } = await compareWorld(study, hosts);
    // Through the new path (its world roots share names with real ones), not the old one.
    expect(trustIndex([study.rootsPem]).exact).toBe(true);
    expect(peerStats.fast - before.fast).toBeGreaterThan(hosts.length);
    // The world sends leaf and intermediates: the root at the end came from the trust index.
    expect(withRoot).toBe(hosts.length);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('on hostile CA names and certificate faults', async () => {
    const hosts = Object.keys(hostileWorld().sites ?? {});
    const before = { ...peerStats };
    const { lengths } = await compareWorld(hostile, hosts);
    expect(lengths.filter((n) => n >= 2).length).toBeGreaterThanOrEqual(NASTY.length);
    // The hostile names went through the unescaping, not the detail-object fallback.
    expect(peerStats.fast - before.fast).toBeGreaterThan(2 * NASTY.length);
    expect(peerStats.legacy - before.legacy).toBe(0);
  }, 30_000);

  it('without the world roots: no root appended, as Node does', async () => {
    const ctx = tls.createSecureContext({ ca: tls.rootCertificates });
    const a = await connect(study.httpsPort, 'www.hikvision.com', ctx);
    const fresh = readPeerChain(a, trustIndex());
    a.destroy();
    const b = await connect(study.httpsPort, 'www.hikvision.com', ctx);
    const old = chainOf(b.getPeerCertificate(true));
    b.destroy();
    expect(fresh.chain).toEqual(old);
    expect(old.length).toBeGreaterThanOrEqual(2);
  });
});

describe('parseName', () => {
  it('unescapes what X509_NAME_print_ex writes and groups repeats', () => {
    expect(parseName('C=US\nO=a\\, b \\+ c\nOU=x\nOU=y\nCN=\\#h\\00\\1B\\ ')).toEqual({ C: 'US', O: 'a, b + c', OU: ['x', 'y'], CN: '#h\u0000\u001b ' });
    expect(parseName('CN=a + O=b')).toEqual({ CN: 'a', O: 'b' });
    expect(parseName('1.2.3=x')).toBeUndefined();
    expect(parseName('CN=\\C3')).toBeUndefined();
    expect(parseName('CN=bad\uFFFD')).toBeUndefined();
  });
});
