// Regression (fault matrix, issue 8): every scanned domain added an 'abort' listener to the
// scan-wide signal and never removed it, so listeners grew with the number of domains and Node
// printed MaxListenersExceededWarning on stderr after 10 of them.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { scanDomain, type Probes } from '../../src/collect/domain.js';
import { runScanLoop } from '../../src/collect/scan.js';

const probes: Probes = {
  gatherDns: () => Promise.resolve({ dns: { ns: [], soa: null, mx: [], txt: [], dmarc: [], caa: [], hosts: {} }, errors: [] }),
  resolveHost: (_n, roles) => Promise.resolve({ host: { roles, cname: [], a: [], aaaa: [] }, errors: [] }),
  asn: () => Promise.resolve({ asn: null, source: 'db' }),
  tls: (host, address) => Promise.resolve({ host, address, port: 443, authorized: false, chain: [] }),
  http: (url) => Promise.resolve({ url, redirects: [], headers: [] }),
  web: (host) => Promise.resolve({ http: { url: `https://${host}/`, redirects: [], headers: [] } }),
};
const entry = (i: number) => ({ domain: `d${i}.test`, input: { line: i + 1 } });

describe('abort listener leak', () => {
  it('scanDomain leaves no listener on the shared signal', async () => {
    const ac = new AbortController();
    for (let i = 0; i < 30; i++) await scanDomain(entry(i), probes, { web: true, deadlineMs: 5_000, signal: ac.signal });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('a scan of many domains at high concurrency emits no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const seen: number[] = [];
      const loop = runScanLoop(Array.from({ length: 200 }, (_, i) => entry(i)), probes, {
        concurrency: 64,
        deadlineMs: 5_000,
        web: true,
        onObservation: (i) => void seen.push(i),
      });
      await loop.finished;
      await new Promise((r) => setImmediate(r));
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
