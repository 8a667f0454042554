// Interop with real DNS servers: a world's zones exported as zone files, served authoritatively by
// NSD, with Unbound in front as the recursive resolver. Scanning through Unbound must give the same
// DNS and address observations as the in-process world (TTLs and order aside). This runs our
// resolver against real implementations: EDNS, name compression, TC and the retry over TCP.
// (Names avoid RFC 6761 TLDs like .test: Unbound answers those itself, NXDOMAIN.)
// `.ci/run` installs Debian's nsd and unbound when it can; where they are missing this test skips loudly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Resolver } from '../../src/collect/dns/resolver.js';
import { fromRoot } from '../../src/paths.js';
import type { Observation } from '../../src/types.js';
import { exportZones } from '../../src/world/export.js';
import type { World } from '../../src/world/types.js';

const BIN = fromRoot('bin/whoserves.js');
const NSD = ['/usr/sbin/nsd', '/usr/bin/nsd'].find((p) => existsSync(p));
const UNBOUND = ['/usr/sbin/unbound', '/usr/bin/unbound'].find((p) => existsSync(p));
const missing = !NSD || !UNBOUND;
if (missing)
  console.warn(
    '\n*** INTEROP TEST SKIPPED: nsd and/or unbound not installed (apt-get install nsd unbound; .ci/run does this as root). ***\n',
  );

/** A TXT longer than our EDNS size (1232) and far over 512: the answer must be truncated and re-asked over TCP. */
const BIG_TXT = Array.from({ length: 12 }, (_, i) => `chunk${i}-${'x'.repeat(240)}`);

function testWorld(): World {
  const world = JSON.parse(readFileSync(fromRoot('fixtures/worlds/study-2020.json'), 'utf8')) as World & { domains?: string[] };
  world.zones = {
    ...world.zones,
    'interop-test.com': [
      // An explicit SOA here; a zone without one gets the same synthesized SOA from the world and
      // from its exported file (test/world/dns/zone.test.ts, test/world/export.test.ts).
      '@ 3600 SOA ns1 hostmaster 2024010101 7200 3600 1209600 300',
      '@ NS ns1',
      'ns1 A 127.60.0.53',
      '@ A 127.60.0.1',
      '@ MX 10 mx1',
      '@ MX 20 aspmx.l.google.com.',
      'mx1 A 127.60.0.25',
      'www CNAME step1',
      'step1 CNAME edge.cdn-interop.net.',
      '@ CAA 0 issue "letsencrypt.org"',
      '@ CAA 0 iodef "mailto:security@interop-test.com"',
      '@ TXT "v=spf1 include:_spf.google.com -all"',
      `big TXT ${BIG_TXT.map((s) => `"${s}"`).join(' ')}`,
    ],
    'cdn-interop.net': ['edge CNAME e1234.a.akamaiedge.net.', 'edge6 AAAA 2001:db8::6'],
  };
  world.domains = [...(world.domains ?? []), 'interop-test.com'];
  return world;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Polls until `name` resolves through host:port (each try a fresh Resolver: errors are cached). */
async function waitFor(port: number, name: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${log()}`);
    const r = new Resolver({ upstreams: [{ host: '127.0.0.1', port }], timeoutMs: 300, retries: 0 });
    try {
      const a = await r.query(name, 'A');
      if (a.answers.length > 0) return;
    } catch {
      // not up yet
    } finally {
      await r.close();
    }
    if (Date.now() > deadline) throw new Error(`no answer for ${name} on port ${port}: ${log()}`);
    await new Promise((res) => setTimeout(res, 150));
  }
}

function start(bin: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const take = (d: Buffer) => {
    if (out.length < 20_000) out += d.toString();
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return { child, log: () => out };
}

function readObservations(file: string): Observation[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Observation)
    .sort((a, b) => a.domain.localeCompare(b.domain));
}

/** The comparable part of an observation: dns and addresses, TTLs and dates dropped, arrays in a stable order. */
function comparable(o: Observation): unknown {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== 'ttl' && k !== 'date' && !k.endsWith('Ms'))
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, x]) => [k, strip(x)]),
      );
    return v;
  };
  return { domain: o.domain, dns: strip(o.dns), addresses: strip(o.addresses) };
}

describe.skipIf(missing)('interop: NSD (authoritative) + Unbound (recursive) serving an exported world', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'whoserves-interop-'));
  const zonesDir = path.join(dir, 'zones');
  const world = testWorld();
  const worldFile = path.join(dir, 'world.json');
  const children: ChildProcess[] = [];
  let unboundPort = 0;

  beforeAll(async () => {
    writeFileSync(worldFile, JSON.stringify(world));
    const zones = exportZones(world, zonesDir);
    // Names outside every zone are NXDOMAIN in the world: a root zone at NSD answers them the same way,
    // where Unbound would otherwise try the real root servers.
    writeFileSync(
      path.join(zonesDir, 'root.zone'),
      '. 3600 IN SOA ns.root.invalid. hostmaster.root.invalid. 1 7200 3600 1209600 300\n. 3600 IN NS ns.root.invalid.\n',
    );
    const all = [...zones.map((z) => z.zone), ''];
    const fileOf = (z: string) => (z === '' ? 'root.zone' : `${z}.zone`);
    const nsdPort = await freePort();
    unboundPort = await freePort();
    const nsdConf = [
      'server:',
      '  ip-address: 127.0.0.1',
      `  port: ${nsdPort}`,
      '  username: ""',
      '  chroot: ""',
      `  zonesdir: "${zonesDir}"`,
      `  pidfile: "${dir}/nsd.pid"`,
      `  zonelistfile: "${dir}/nsd.zonelist"`,
      `  xfrdfile: "${dir}/xfrd.state"`,
      `  xfrdir: "${dir}"`,
      '  database: ""',
      '  server-count: 1',
      '  verbosity: 0',
      'remote-control:',
      '  control-enable: no',
      ...all.flatMap((z) => ['zone:', `  name: "${z === '' ? '.' : z}"`, `  zonefile: "${fileOf(z)}"`]),
    ].join('\n');
    writeFileSync(path.join(dir, 'nsd.conf'), nsdConf + '\n');
    const unboundConf = [
      'server:',
      `  interface: 127.0.0.1@${unboundPort}`,
      `  port: ${unboundPort}`,
      '  do-ip6: no',
      '  do-not-query-localhost: no',
      '  username: ""',
      '  chroot: ""',
      `  directory: "${dir}"`,
      `  pidfile: "${dir}/unbound.pid"`,
      '  do-daemonize: no',
      '  use-syslog: no',
      '  logfile: ""',
      '  verbosity: 0',
      '  num-threads: 1',
      '  access-control: 127.0.0.0/8 allow',
      '  module-config: "iterator"',
      '  qname-minimisation: no',
      '  harden-below-nxdomain: no',
      '  harden-referral-path: no',
      '  harden-glue: no',
      '  target-fetch-policy: "0 0 0 0 0"',
      'remote-control:',
      '  control-enable: no',
      ...all.flatMap((z) => ['stub-zone:', `  name: "${z === '' ? '.' : z}"`, `  stub-addr: 127.0.0.1@${nsdPort}`]),
    ].join('\n');
    writeFileSync(path.join(dir, 'unbound.conf'), unboundConf + '\n');

    const nsd = start(NSD!, ['-d', '-c', path.join(dir, 'nsd.conf')]);
    children.push(nsd.child);
    await waitFor(nsdPort, 'interop-test.com', nsd.child, nsd.log);
    const unbound = start(UNBOUND!, ['-d', '-c', path.join(dir, 'unbound.conf')]);
    children.push(unbound.child);
    await waitFor(unboundPort, 'interop-test.com', unbound.child, unbound.log);
  }, 40_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const t = setTimeout(() => c.kill('SIGKILL'), 2_000);
            c.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('a TXT over 1232 bytes comes back intact through Unbound (truncated over UDP, re-asked over TCP)', async () => {
    const r = new Resolver({ upstreams: [{ host: '127.0.0.1', port: unboundPort }], timeoutMs: 2000, retries: 1 });
    try {
      const a = await r.query('big.interop-test.com', 'TXT');
      const txt = a.answers.filter((x) => x.type === 'TXT');
      expect(txt).toHaveLength(1);
      const strings = (txt[0]!.data as Buffer[]).map((b) => b.toString('latin1'));
      expect(strings).toEqual(BIG_TXT);
      expect(r.stats.truncated).toBeGreaterThanOrEqual(1);
      expect(r.stats.tcpSent).toBeGreaterThanOrEqual(1);
    } finally {
      await r.close();
    }
  });

  it('scanning through Unbound gives the observations of the in-process world', () => {
    const domains = (world as World & { domains: string[] }).domains;
    const run = (args: string[], raw: string) => {
      const r = spawnSync(process.execPath, [BIN, 'scan', ...domains, '--no-http', '--quiet', '--format', 'json', '--raw', raw, ...args], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NO_COLOR: '1' },
      });
      if (r.status !== 0) throw new Error(`scan exited ${r.status}: ${r.stderr}`);
      return readObservations(raw);
    };
    const real = run(['--resolver', `127.0.0.1:${unboundPort}`, '--asn-source', 'cymru', '--allow-private'], path.join(dir, 'obs.ndjson'));
    const sim = run(['--world', worldFile], path.join(dir, 'obs2.ndjson'));
    expect(real).toHaveLength(domains.length);
    expect(real.map((o) => o.domain)).toEqual(sim.map((o) => o.domain));
    // Sanity: the comparison has something in it (addresses resolved to ASNs, the CNAME chain followed).
    const interop = real.find((o) => o.domain === 'interop-test.com')!;
    expect(Object.keys(interop.addresses).length).toBeGreaterThan(2);
    expect(real.map(comparable)).toEqual(sim.map(comparable));
  }, 60_000);
});
