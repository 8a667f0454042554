// One measured scan of a generated world: the world in its own process, the scanner
// (`whoserves scan`) in a child measured by /usr/bin/time, the world's CPU read from /proc.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { BIN, measured, serveWorld, round, writeWorld } from './lib.mjs';

/** CPU ms (user+sys) of a live process from /proc/PID/stat; undefined off Linux. */
export function procCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const hz = 100; // USER_HZ on Linux
    return ((Number(f[11]) + Number(f[12])) * 1000) / hz;
  } catch {
    return undefined;
  }
}

export function scanArgs(list, w, { concurrency, out, extra = [] }) {
  const a = [BIN, 'scan', list, '--resolver', w.resolver, '--allow-private', '--asn-source', 'cymru', '--concurrency', String(concurrency), '--format', 'ndjson', '-o', out, '--quiet'];
  if (w.httpsPort) a.push('--https-port', String(w.httpsPort));
  if (w.httpPort) a.push('--http-port', String(w.httpPort));
  if (w.caFile) a.push('--ca-file', w.caFile);
  return [...a, ...extra];
}

/** Where scanWorld writes a scan's Results (ndjson). */
export function scanOutput(dir, { domains, concurrency, latencyMs, faults = 0, tag = '' }) {
  return path.join(dir, `scan-${domains}-${concurrency}-${latencyMs}-${faults}${tag}.ndjson`);
}

/**
 * Generates (or reuses) a world, serves it, scans it. Returns the figures; `error` when the
 * scan could not run. `nodeArgs` go before the script (e.g. --cpu-prof). `sampleFds` counts the
 * scanner's open descriptors every 100 ms (/proc/PID/fd): first, peak and last sample.
 */
export async function scanWorld(dir, { domains, seed = 1, latencyMs, faults = 0, http2 = false, concurrency, nodeArgs = [], worldNodeArgs = [], extra = [], sampleFds = false, world = undefined, tag = '' }) {
  // `world`: an already written world ({ file, list, world }) instead of a generated one.
  const gen = world ?? (await writeWorld(dir, { domains, seed, latencyMs, faults, http2 }));
  const w = await serveWorld(gen.file, { latencyMs, nodeArgs: worldNodeArgs });
  const out = scanOutput(dir, { domains, concurrency, latencyMs, faults, tag });
  try {
    const worldCpu0 = procCpuMs(w.child.pid);
    const cliArgs = scanArgs(gen.list, w, { concurrency, out, extra });
    const fds = sampleFds ? fdSampler() : undefined;
    const r = await measured(process.execPath, [...nodeArgs, ...cliArgs], { onSpawn: fds?.start });
    fds?.stop();
    const worldCpuMs = procCpuMs(w.child.pid) - worldCpu0;
    const rows = existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
    const seen = new Map();
    const status = {};
    const errors = {}; // "stage CODE" → count: timeouts here mean an overloaded machine
    let unparsable = 0;
    for (const l of rows) {
      try {
        const o = JSON.parse(l);
        seen.set(o.domain, (seen.get(o.domain) ?? 0) + 1);
        status[o.status] = (status[o.status] ?? 0) + 1;
        for (const e of o.errors ?? []) errors[`${e.stage} ${e.code}`] = (errors[`${e.stage} ${e.code}`] ?? 0) + 1;
      } catch {
        unparsable++;
      }
    }
    const expected = gen.world.domains;
    const missing = expected.filter((d) => !seen.has(d)).length;
    const duplicated = [...seen.values()].filter((n) => n > 1).length;
    const fig = {
      domains,
      concurrency,
      latencyMs,
      faults,
      exitCode: r.code,
      wallS: round(r.wallMs / 1000, 2),
      domainsPerS: round(domains / (r.wallMs / 1000), 1),
      scannerCpuMs: round(r.cpuMs, 0),
      scannerCpuMsPerDomain: round(r.cpuMs / domains, 3),
      // The kernel's share: on loopback each side's send also runs the other side's receive path.
      scannerSysMsPerDomain: round(r.sysMs / domains, 3),
      peakRssMB: r.maxRssMB,
      worldCpuMs: round(worldCpuMs, 0),
      worldCpuMsPerDomain: round(worldCpuMs / domains, 3),
      rows: rows.length,
      missing,
      duplicated,
      unparsable,
      status,
      errors,
      ...(fds ? { fds: fds.figures() } : {}),
    };
    if (r.code !== 0 || rows.length === 0) fig.error = `scan exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
    return fig;
  } finally {
    await w.stop();
  }
}

/**
 * Samples the open fds and the resident set (VmRSS) of the scanner (the node child of
 * /usr/bin/time, or the child itself) every 100 ms. `rssByQuarterMB`: the highest RSS in each
 * quarter of the run — flat after the first quarter means memory does not grow with the domains
 * scanned so far.
 */
function fdSampler() {
  const samples = [];
  const rss = [];
  const rssOf = (pid) => {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  };
  let timer;
  const count = (pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).length;
    } catch {
      return undefined;
    }
  };
  const target = (pid) => {
    try {
      const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      return kids.length ? Number(kids[0]) : pid;
    } catch {
      return pid;
    }
  };
  return {
    start: (child) => {
      timer = setInterval(() => {
        const pid = target(child.pid);
        const n = count(pid);
        if (n) samples.push(n); // 0: the process has exited (a zombie lists no fds)
        const mb = n ? rssOf(pid) : undefined;
        if (mb) rss.push(mb);
      }, 100);
    },
    stop: () => clearInterval(timer),
    figures: () => ({
      samples: samples.length,
      first: samples[0] ?? null,
      peak: samples.length ? Math.max(...samples) : null,
      last: samples.at(-1) ?? null,
      rssByQuarterMB: [0, 1, 2, 3].map((q) => {
        const part = rss.slice(Math.floor((q * rss.length) / 4), Math.floor(((q + 1) * rss.length) / 4));
        return part.length ? Math.round(Math.max(...part)) : null;
      }),
    }),
  };
}

export const loadavg = () => os.loadavg().map((x) => +x.toFixed(2));
