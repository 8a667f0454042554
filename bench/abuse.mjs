// Issue 19's before/after figures, reproducible: an upstream that floods wrong-id answers
// (item 3), and the per-domain deadline against a trickling page and a slow redirect chain
// (item 4). Run after `npm run build`:
//   node bench/abuse.mjs [ROOT]
// ROOT is the checkout to measure (default: this one); point it at another checkout's root,
// built, to compare. The flooding server and the worlds run in their own processes, as the
// internet would: an in-process world closed at the end of a scan would end lingering probes.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
const bin = path.join(root, 'bin/whoserves.js');
const dir = mkdtempSync(path.join(tmpdir(), 'whoserves-abuse-'));

// ---- item 3: wrong-id floods --------------------------------------------------------------
// mode "each": every answer comes after 100 well-formed answers with wrong ids;
// mode "stream": after the first query the server floods that port without end (what a spoofer
// that learnt the port does), while answering every query.
const FLOOD_SERVER = `
import dgram from 'node:dgram';
import { createRequire } from 'node:module';
const { decode, encode } = createRequire(${JSON.stringify(path.join(root, 'package.json'))})('dns-packet');
const mode = process.argv[1];
const srv = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 });
srv.bind(0, '127.0.0.1', () => console.log(srv.address().port));
const junk = encode({ type: 'response', id: 0, flags: 0x8180, questions: [{ type: 'A', name: 'junk.test' }], answers: [{ type: 'A', name: 'junk.test', ttl: 60, data: '192.0.2.66' }] });
let target, n = 0;
const stream = () => { for (let i = 0; i < 64; i++) { const b = Buffer.from(junk); b.writeUInt16BE(n++ & 0xffff, 0); srv.send(b, target.port, target.address); } setImmediate(stream); };
srv.on('message', (msg, rinfo) => {
  const q = decode(msg);
  const ok = encode({ type: 'response', id: q.id, flags: 0x8180, questions: q.questions, answers: [{ type: 'A', name: q.questions[0].name, ttl: 60, data: '192.0.2.1' }] });
  if (mode === 'each') for (let i = 1; i <= 100; i++) { const b = Buffer.from(ok); b.writeUInt16BE((q.id + i) & 0xffff, 0); srv.send(b, rinfo.port, rinfo.address); }
  srv.send(ok, rinfo.port, rinfo.address);
  if (mode === 'stream' && !target) { target = rinfo; stream(); }
});`;

async function flood(mode, names = 5000, concurrency = 64) {
  const { Resolver } = await import(pathToFileURL(path.join(root, 'dist/collect/dns/resolver.js')).href);
  const server = spawn(process.execPath, ['--input-type=module', '-e', FLOOD_SERVER, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(server.stdout, 'data');
  const r = new Resolver({ upstreams: [{ host: '127.0.0.1', port: Number(String(line).trim()) }], timeoutMs: 2000, retries: 2 });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  let ok = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < names) {
      const i = next++;
      await r.query(`n${i}.flood.test`, 'A').then(() => ok++, () => undefined);
    }
  }));
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await r.close();
  server.kill();
  return { mode, names, wallS: +wall.toFixed(2), cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2), answered: ok, unmatched: r.stats.mismatched, timeouts: r.stats.timeouts };
}

// ---- item 4: deadlines ----------------------------------------------------------------------
const base = { world: 1, asns: [{ asn: 64500, name: 'TEST-NET', country: 'US', prefixes: ['127.0.0.0/8'] }], cas: [{ id: 'root', subject: { CN: 'Bench Root', O: 'Bench' } }] };
const page = { status: 200, headers: { 'content-type': 'text/html' }, body: `<html><head><title>t</title></head><body>${'x'.repeat(400)}</body></html>` };
const hosts = ['chain.test', ...Array.from({ length: 5 }, (_, i) => `h${i + 1}.chain.test`)];
const WORLDS = {
  // Trickles one byte every 200 ms: the page takes minutes.
  slowloris: { ...base, zones: { 'slowloris.test': ['@ A 127.41.0.1', 'www A 127.41.0.1'] }, sites: { 'slowloris.test': { tls: { ca: 'root' }, http: page }, 'www.slowloris.test': { tls: { ca: 'root' }, http: page } }, faults: { 'slowloris.test': 'slow' } },
  // Six requests (five redirects) over six hosts; every DNS answer, TCP accept and first byte waits 2 s.
  chain: {
    ...base,
    latencyMs: 2000,
    zones: { 'chain.test': ['@ A 127.42.0.1', 'www A 127.42.0.1', ...hosts.slice(1).map((h, i) => `${h.split('.')[0]} A 127.42.0.${i + 2}`)] },
    sites: Object.fromEntries([...hosts.map((h, i) => [h, { tls: { ca: 'root' }, http: i < 5 ? { status: 302, headers: { location: `https://${hosts[i + 1]}/` } } : page }]), ['www.chain.test', { tls: { ca: 'root' }, http: { status: 302, headers: { location: 'https://h1.chain.test/' } } }]]),
  },
};

async function deadline(name, domain, args) {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(WORLDS[name]));
  const serve = spawn(process.execPath, [bin, 'world', 'serve', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(serve.stdout, 'data');
  const w = JSON.parse(String(line).split('\n')[0]);
  const t0 = performance.now();
  const scan = spawn(process.execPath, [bin, 'scan', domain, ...args, '--resolver', w.resolver, '--https-port', String(w.httpsPort), '--http-port', String(w.httpPort), '--ca-file', w.caFile, '--allow-private', '--asn-source', 'cymru', '--format', 'json', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  scan.stdout.on('data', (d) => (out += d));
  await once(scan, 'close');
  const wall = (performance.now() - t0) / 1000;
  serve.kill();
  const [r] = JSON.parse(out);
  return { world: name, args: args.join(' '), wallS: +wall.toFixed(1), status: r.status, certificates: r.services.certificate.length, errors: [...new Set(r.errors.map((e) => `${e.stage} ${e.code}`))] };
}

const rows = [
  await flood('none'),
  await flood('each'),
  await flood('stream'),
  await deadline('slowloris', 'slowloris.test', ['--timeout', '12', '--http-timeout', '30']),
  await deadline('chain', 'chain.test', []),
];
for (const r of rows) console.log(JSON.stringify(r));

