// CPU by phase from a V8 .cpuprofile (node --cpu-prof): each sample goes to the phase of the
// innermost frame on its stack that names one (so undici's parser under our HTTP probe is
// "http", a certificate read under the TLS probe is "cert"). Idle samples are left out.
// `node bench/phases.mjs FILE.cpuprofile [DOMAINS] [--callers NAME]` prints them; the profile
// section of bench/run.mjs records them per domain in results.json.
import { readFileSync } from 'node:fs';

/** Phase of one frame, or undefined (look further out). Order matters: first match wins. */
const RULES = [
  ['gc', (f, u) => f === '(garbage collector)'],
  ['cert', (f, u) => /getPeerCertificate|getPeerX509Certificate/.test(f) || /dist\/collect\/cert\.js/.test(u) || /dist\/collect\/chain\.js/.test(u)],
  ['html', (f, u) => /dist\/collect\/(html|charset)\.js|node_modules\/(cheerio|parse5|htmlparser2|domhandler|domutils|css-select|css-what|nth-check|entities|dom-serializer|boolbase|encoding-sniffer|whatwg-encoding|iconv-lite|parse5-htmlparser2-tree-adapter|parse5-parser-stream)\//.test(u)],
  ['classify', (f, u) => /dist\/(classify|vendors)\/|node_modules\/tldts/.test(u)],
  ['output', (f, u) => /dist\/(report|cli|monitor)\//.test(u)],
  ['dns', (f, u) => /dist\/collect\/dns\/|node_modules\/dns-packet\/|node:dgram|node:internal\/dgram/.test(u)],
  ['asn', (f, u) => /dist\/collect\/asn\//.test(u)],
  ['http', (f, u) => /node_modules\/undici\/|dist\/collect\/(http|body)\.js|node:zlib/.test(u)],
  ['tls', (f, u) => /dist\/collect\/tls\.js|node:_tls|node:tls|node:internal\/tls\/|node:net|node:internal\/stream_base_commons/.test(u)],
  ['orchestration', (f, u) => /dist\/collect\/(domain|scan|probes)\.js|node_modules\/(p-limit|yocto-queue)\//.test(u) || f === 'structuredClone'],
  ['world', (f, u) => /dist\/world\//.test(u)],
  ['startup', (f, u) => /node:internal\/modules\/|wrapSafe|compileFunction/.test(u + f)],
];

/** A profile's nodes by id, and each node's parent id. */
function tree(prof) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  return { byId, parent };
}

export function phases(prof) {
  const { byId, parent } = tree(prof);
  const phaseOf = new Map();
  const resolve = (id) => {
    if (phaseOf.has(id)) return phaseOf.get(id);
    const { functionName: f, url: u } = byId.get(id).callFrame;
    let p;
    if (f === '(idle)') p = 'idle';
    else if (f === '(program)') p = 'program';
    else {
      for (const [name, test] of RULES) {
        if (test(f, u)) {
          p = name;
          break;
        }
      }
      if (!p) {
        const up = parent.get(id);
        p = up === undefined ? 'other' : resolve(up);
        if (p === 'idle' || p === 'program') p = 'other';
      }
    }
    phaseOf.set(id, p);
    return p;
  };
  const us = {};
  const dts = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const p = resolve(prof.samples[i]);
    us[p] = (us[p] ?? 0) + (dts[i] ?? 0);
  }
  return us;
}

/**
 * Phases in ms per domain, largest first. A profile counts wall time between samples, so on a
 * loaded machine its busy time exceeds the CPU used; given the measured CPU per domain, each
 * phase's share of the busy samples is applied to it (`cpuMsPerDomain`), so phases add up to it.
 */
export function phasesPerDomain(prof, domains, cpuMsPerDomain) {
  const us = phases(prof);
  delete us.idle;
  const total = Object.values(us).reduce((a, b) => a + b, 0);
  const scale = cpuMsPerDomain ? (cpuMsPerDomain * domains * 1000) / total : 1;
  const out = {};
  for (const [k, v] of Object.entries(us).sort((a, b) => b[1] - a[1])) out[k] = +((v * scale) / 1000 / domains).toFixed(3);
  return { profiledBusyMsPerDomain: +(total / 1000 / domains).toFixed(3), ...(cpuMsPerDomain ? { cpuMsPerDomain } : {}), phases: out };
}

/** Who calls frames named `name`: self time of those frames by caller chain (3 deep). */
export function callers(prof, name, depth = 3) {
  const { byId, parent } = tree(prof);
  const self = new Map();
  for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
  const agg = new Map();
  for (const [id, us] of self) {
    if (byId.get(id).callFrame.functionName !== name) continue;
    const chain = [];
    let p = parent.get(id);
    while (p !== undefined && chain.length < depth) {
      const cf = byId.get(p).callFrame;
      chain.push(`${cf.functionName || '(anon)'}@${cf.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${cf.lineNumber + 1}`);
      p = parent.get(p);
    }
    const k = chain.join(' < ');
    agg.set(k, (agg.get(k) ?? 0) + us);
  }
  return [...agg.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, d = '1', flag, name] = process.argv.slice(2); // flag: --callers NAME, or a CPU ms/domain to scale to
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  if (flag === '--callers') process.stdout.write(callers(prof, name, 4).slice(0, 25).join('\n') + '\n');
  else if (flag === '--phase') process.stdout.write(topInPhase(prof, name, 25).join('\n') + '\n');
  else process.stdout.write(JSON.stringify(phasesPerDomain(prof, Number(d), flag ? Number(flag) : undefined), null, 1) + '\n');
}

/** Top self-time frames among the samples of one phase (for digging into a phase). */
export function topInPhase(prof, phase, n = 20) {
  const { byId, parent } = tree(prof);
  const cache = new Map();
  const phaseOfId = (id) => {
    if (cache.has(id)) return cache.get(id);
    const single = phases({ nodes: prof.nodes, samples: [id], timeDeltas: [1] });
    const p = Object.keys(single)[0];
    cache.set(id, p);
    return p;
  };
  const agg = new Map();
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    if (phaseOfId(id) !== phase) continue;
    const cf = byId.get(id).callFrame;
    const k = `${cf.functionName || '(anon)'} ${cf.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${cf.lineNumber + 1}`;
    agg.set(k, (agg.get(k) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  return [...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
}
