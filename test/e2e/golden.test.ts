// What a scan observes is pinned: the raw Observations of a generated world (with deterministic
// faults on some domains) and of the study world hash to the values below. Performance work on
// the collectors must not change one byte of them. Only what a world makes anew each time it
// starts is normalised: certificate fingerprints, serials and key identifiers (renamed in order of first
// appearance, so which certificate is which stays pinned), validity dates (kept as a length in
// days), Date headers, ephemeral ports and the Cymru answer's date.
// If the world generator, the world's servers or the collectors changed ON PURPOSE, print the new
// hashes with WHOSERVES_PRINT_GOLDEN=1 npx vitest run test/e2e/golden.test.ts and update them here
// (WHOSERVES_DUMP=FILE writes the generated world's normalised lines, to diff two builds).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../src/paths.js';
import { generateWorld } from '../../src/world/generate.js';
import type { FaultName } from '../../src/world/types.js';
import { cli, tempDir, writeWorld } from './helpers.js';

const GOLDEN = {
  generated: 'b8214007d507b7e32081739d85bfea8e',
  study: 'e897c1bc01f37552bccbc8b43733869f',
};

/** A generated world, and faults that answer the same way every time (no timeouts, no trickle). */
function faultWorld() {
  const w = generateWorld({ domains: 60, seed: 21, latencyMs: 0 });
  const faults: FaultName[] = ['expired-cert', 'self-signed', 'wrong-host-cert', 'tcp-reset', 'http-500', 'redirect-loop', 'bad-encoding', 'gzip-bomb', 'dns-nxdomain', 'dns-servfail', 'dns-truncate', 'dns-malformed'];
  w.faults = {};
  faults.forEach((f, i) => {
    const d = w.domains![i * 4]!;
    w.faults![f.startsWith('dns-') ? d : `www.${d}`] = f;
  });
  return w;
}

/** The raw file, normalised as described at the top, one line per domain. */
export function normalised(rawFile: string): string {
  const names = new Map<string, string>();
  const rename = (kind: string, v: string): string => {
    const k = `${kind} ${v}`;
    if (!names.has(k)) names.set(k, `${kind}${names.size}`);
    return names.get(k)!;
  };
  const lines = readFileSync(rawFile, 'utf8').split('\n').filter(Boolean);
  return lines
    .map((l) => {
      const o = JSON.parse(l) as Record<string, any>;
      for (const a of Object.values(o.addresses ?? {}) as Record<string, unknown>[]) if ('date' in a) a.date = 'DATE';
      for (const h of o.http ?? []) for (const pair of h.headers ?? []) if (pair[0] === 'date') pair[1] = 'DATE';
      for (const t of o.tls ?? []) {
        t.port = 0;
        for (const c of t.chain ?? []) {
          c.fingerprint256 = rename('F', c.fingerprint256);
          c.serial = rename('S', c.serial);
          // Key identifiers (a CA's SKI is its leaves' AKI): renamed alike, so the link stays pinned.
          if (typeof c.ski === 'string') c.ski = rename('K', c.ski);
          if (typeof c.aki === 'string') c.aki = rename('K', c.aki);
          c.validDays = Math.round((Date.parse(c.validTo) - Date.parse(c.validFrom)) / 86_400_000);
          delete c.validFrom;
          delete c.validTo;
        }
      }
      // The world's resolver listens on an ephemeral port, and DNS error messages name it.
      return JSON.stringify(o).replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
    })
    .join('\n');
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);

function scanRaw(args: string[], dir: string): string {
  const raw = path.join(dir, `raw-${Math.random().toString(36).slice(2)}.ndjson`);
  const r = cli(['scan', ...args, '--format', 'ndjson', '-o', path.join(dir, 'out.ndjson'), '--raw', raw, '--quiet']);
  expect(r.status, r.stderr).toBe(0);
  return normalised(raw);
}

describe('golden: a scan observes exactly what it observed before', () => {
  const dir = tempDir();

  it('a generated world with deterministic faults', () => {
    const file = writeWorld(dir, faultWorld(), 'golden.json');
    const text = scanRaw(['--world', file], dir);
    expect(text.split('\n')).toHaveLength(60);
    // Every kind of outcome is in it, so the pin covers error paths too.
    expect(text).toContain('"authorized":true');
    expect(text).toContain('CERT_HAS_EXPIRED');
    expect(text).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(text).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(text).toContain('HTTP_BAD_ENCODING');
    expect(text).toContain('DNS_NXDOMAIN');
    if (process.env.WHOSERVES_PRINT_GOLDEN) process.stderr.write(`generated: '${sha(text)}',\n`);
    if (process.env.WHOSERVES_DUMP) writeFileSync(process.env.WHOSERVES_DUMP, text);
    expect(sha(text)).toBe(GOLDEN.generated);
  }, 120_000);

  it('the study world', () => {
    const text = scanRaw([fromRoot('fixtures/domains/entity-list-2019.csv'), '--world', fromRoot('fixtures/worlds/study-2020.json')], dir);
    expect(text.split('\n')).toHaveLength(18);
    if (process.env.WHOSERVES_PRINT_GOLDEN) process.stderr.write(`study: '${sha(text)}',\n`);
    expect(sha(text)).toBe(GOLDEN.study);
  }, 120_000);
});
