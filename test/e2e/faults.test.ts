// The fault matrix (issue 8): every fault of docs/contracts.md "World", alone and combined, plus a
// healthy control, scanned in ONE run with small timeouts. For each domain: one Result in input
// order, the failure coded on the right stage, and what the other probes found still reported.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, ERROR_CODES, type ErrorCode, type Observation, type Result, type Stage } from '../../src/types.js';
import { FAULTS, type FaultName } from '../../src/world/types.js';
import { cli, tempDir, writeWorld } from './helpers.js';
import { COMBO, CONTROL, faultWorld, single } from './fault-world.js';

/** The errors a domain must carry, as "stage CODE target", and nothing else. */
type Expected = { status: Result['status']; errors: string[] };

const ERR = (stage: Stage, code: ErrorCode, target: string): string => `${stage} ${code} ${target}`;
const both = (stage: Stage, code: ErrorCode, f: FaultName, what: 'url' | 'tls'): string[] =>
  [single(f), `www.${single(f)}`].map((h) => ERR(stage, code, what === 'url' ? `https://${h}/` : h));

/** What each fault does, from docs/contracts.md and the probes' documented codes. */
const EXPECTED: Record<FaultName, Expected> = {
  // DNS faults on www: the apex still answers, so NS/MX/web are there.
  'dns-servfail': { status: 'partial', errors: ['A', 'AAAA'].map((t) => ERR('dns', 'DNS_SERVFAIL', `www.dns-servfail.test ${t}`)) },
  'dns-timeout': { status: 'partial', errors: ['A', 'AAAA'].map((t) => ERR('dns', 'DNS_TIMEOUT', `www.dns-timeout.test ${t}`)) },
  'dns-malformed': { status: 'partial', errors: ['A', 'AAAA'].map((t) => ERR('dns', 'DNS_MALFORMED', `www.dns-malformed.test ${t}`)) },
  // The whole zone does not exist: nothing usable.
  'dns-nxdomain': { status: 'failed', errors: [ERR('dns', 'DNS_NXDOMAIN', 'dns-nxdomain.test')] },
  // TC over UDP, the full answer over TCP: not an error at all.
  'dns-truncate': { status: 'ok', errors: [] },
  'tcp-timeout': { status: 'partial', errors: [...both('tls', 'TCP_TIMEOUT', 'tcp-timeout', 'tls'), ...both('http', 'TCP_TIMEOUT', 'tcp-timeout', 'url')] },
  'tcp-reset': { status: 'partial', errors: [...both('tls', 'TCP_RESET', 'tcp-reset', 'tls'), ...both('http', 'TCP_RESET', 'tcp-reset', 'url')] },
  slow: { status: 'partial', errors: both('http', 'HTTP_TIMEOUT', 'slow', 'url') },
  // Certificate problems are evidence on the TLS observation, not errors.
  'expired-cert': { status: 'ok', errors: [] },
  'self-signed': { status: 'ok', errors: [] },
  'wrong-host-cert': { status: 'ok', errors: [] },
  'http-500': { status: 'partial', errors: both('http', 'HTTP_STATUS', 'http-500', 'url') },
  // The loop is caught where it closes: the URL it returns to.
  'redirect-loop': { status: 'partial', errors: both('http', 'HTTP_REDIRECT_LOOP', 'redirect-loop', 'url') },
  'huge-body': { status: 'partial', errors: both('http', 'HTTP_TOO_LARGE', 'huge-body', 'url') },
  'gzip-bomb': { status: 'partial', errors: both('http', 'HTTP_TOO_LARGE', 'gzip-bomb', 'url') },
  'bad-encoding': { status: 'partial', errors: both('http', 'HTTP_BAD_ENCODING', 'bad-encoding', 'url') },
};

const COMBO_EXPECTED: Record<string, Expected> = {
  [COMBO.slowCname]: { status: 'partial', errors: [ERR('http', 'HTTP_TIMEOUT', `https://www.${COMBO.slowCname}/`)] },
  [COMBO.bombRedirect]: { status: 'partial', errors: [ERR('http', 'HTTP_TOO_LARGE', 'https://bomb.other-host.test/')] },
  [COMBO.expiredDnsTimeout]: {
    status: 'partial',
    errors: ['A', 'AAAA'].map((t) => ERR('dns', 'DNS_TIMEOUT', `www.${COMBO.expiredDnsTimeout} ${t}`)),
  },
  [COMBO.mxTimeout]: {
    status: 'partial',
    errors: ['A', 'AAAA'].map((t) => ERR('dns', 'DNS_TIMEOUT', `combo-mx-test.mail.protection.outlook.com ${t}`)),
  },
};

/**
 * Timeouts small enough for one run well under 40 s (tcp-timeout costs two HTTP timeouts, https
 * then http), large enough that handshakes on a loaded 2-core machine running the whole suite
 * beside this in-process world are not mistaken for faults (3 s was not).
 */
const LIMITS = ['--timeout', '25', '--http-timeout', '6', '--dns-timeout', '1.5', '--dns-retries', '1', '--concurrency', '8'];

// Twice: HTTP/1.1 as the world's sites spoke until now, and HTTP/2 as most real sites speak it
// (the HTTP probe then speaks h2 on the TLS probe's connection). The same table holds for both.
for (const http2 of [false, true]) describe(`fault matrix${http2 ? ' over HTTP/2' : ''}: every fault alone and combined, one scan`, () => {
  const { world, domains } = faultWorld();
  if (http2) world.http2 = true;
  let results: Result[] = [];
  let observations = new Map<string, Observation>();
  let elapsedMs = 0;
  let stderr = '';

  beforeAll(() => {
    const dir = tempDir();
    const file = writeWorld(dir, world);
    const list = path.join(dir, 'domains.txt');
    writeFileSync(list, domains.join('\n') + '\n');
    const raw = path.join(dir, 'raw.ndjson');
    const started = Date.now();
    const r = cli(['scan', list, '--world', file, '--format', 'json', '--quiet', '--raw', raw, ...LIMITS]);
    elapsedMs = Date.now() - started;
    stderr = r.stderr;
    if (r.status !== 0) throw new Error(`scan exited ${r.status}: ${r.stderr}`);
    results = JSON.parse(r.stdout) as Result[];
    const lines = readFileSync(raw, 'utf8').trim().split('\n');
    observations = new Map(lines.map((l) => JSON.parse(l) as Observation).map((o) => [o.domain, o]));
  }, 90_000);

  const result = (d: string): Result => results.find((r) => r.domain === d)!;
  const obs = (d: string): Observation => observations.get(d)!;
  // A TLS target is "host address"; the world's address is not the point here.
  const errorsOf = (r: Result): string[] =>
    r.errors.map((e) => ERR(e.stage, e.code, e.stage === 'tls' ? (e.target ?? '').split(' ')[0]! : (e.target ?? ''))).sort();
  const companies = (r: Result, c: (typeof CATEGORIES)[number]): (string | null)[] => r.services[c].map((a) => a.company);

  it('covers every fault of the world format', () => {
    for (const f of FAULTS) expect(domains).toContain(single(f));
    expect(Object.keys(EXPECTED).sort()).toEqual([...FAULTS].sort());
  });

  it('finishes within its deadlines with exactly one Result per domain, in input order', () => {
    expect(elapsedMs).toBeLessThan(40_000);
    expect(results.map((r) => r.domain)).toEqual(domains);
    expect([...observations.keys()].sort()).toEqual([...domains].sort());
    expect(stderr).not.toMatch(/internal error|unhandled|Warning/i);
    for (const r of results) {
      for (const c of CATEGORIES) expect(r.services[c]).toBeInstanceOf(Array);
      for (const e of r.errors) {
        expect(ERROR_CODES).toContain(e.code);
        // No domain may run into the scan's own deadline or an uncaught failure.
        expect(e.stage).not.toBe('scan');
        expect(e.message).not.toMatch(/\n|\bat .*\.js:\d+/);
      }
    }
  });

  it('speaks the protocol the world offers', () => {
    expect(obs(CONTROL).tls.map((t) => t.alpn)).toEqual(http2 ? ['h2', 'h2'] : ['http/1.1', 'http/1.1']);
  });

  it('the control domain is ok, with every provider found', () => {
    const r = result(CONTROL);
    expect(r.status).toBe('ok');
    expect(r.errors).toEqual([]);
    expect(companies(r, 'dns')).toContain('alibaba');
    expect(companies(r, 'email')).toContain('microsoft');
    expect(companies(r, 'certificate')).toContain('digicert');
  });

  for (const f of FAULTS) {
    it(`${f}: coded on the right stage, the rest still reported`, () => {
      const d = single(f);
      const r = result(d);
      expect({ status: r.status, errors: errorsOf(r) }).toEqual({ status: EXPECTED[f].status, errors: [...EXPECTED[f].errors].sort() });
      if (f === 'dns-nxdomain') {
        for (const c of CATEGORIES) expect(r.services[c]).toEqual([]);
        return;
      }
      // DNS (NS at alibaba, MX at microsoft) is attributed whatever happened on the web.
      expect(companies(r, 'dns')).toContain('alibaba');
      expect(companies(r, 'email')).toContain('microsoft');
    });
  }

  it('DNS faults on www leave the apex site probed', () => {
    for (const f of ['dns-servfail', 'dns-timeout', 'dns-malformed'] as const) {
      const o = obs(single(f));
      expect(o.dns.hosts[`www.${single(f)}`]?.a).toEqual([]);
      expect(o.http.map((h) => [h.url, h.status])).toEqual([[`https://${single(f)}/`, 200]]);
      expect(companies(result(single(f)), 'certificate')).toContain('digicert');
    }
  });

  it('dns-truncate: the full answer came over TCP', () => {
    const o = obs(single('dns-truncate'));
    expect(o.dns.ns).toEqual(['ns1.alidns.com']);
    expect(o.dns.hosts['www.dns-truncate.test']?.a).toEqual(['127.37.0.10']);
  });

  it('certificate faults: not errors, the certificate still attributed, the reason on the TLS observation', () => {
    const reasons: Record<string, string> = {
      'expired-cert': 'CERT_HAS_EXPIRED',
      'self-signed': 'DEPTH_ZERO_SELF_SIGNED_CERT',
      'wrong-host-cert': 'ERR_TLS_CERT_ALTNAME_INVALID',
    };
    for (const [f, reason] of Object.entries(reasons)) {
      const d = `${f}.test`;
      const o = obs(d);
      expect(o.tls.map((t) => [t.host, t.authorized, t.authorizationError, t.error])).toEqual([
        [d, false, reason, undefined],
        [`www.${d}`, false, reason, undefined],
      ]);
      expect(o.tls.every((t) => t.chain.length > 0)).toBe(true);
      // The page behind a bad certificate is still read (certificate problems must not hide the site).
      expect(o.http.map((h) => h.status)).toEqual([200, 200]);
      expect(result(d).services.certificate.length).toBeGreaterThan(0);
    }
    expect(companies(result('expired-cert.test'), 'certificate')).toEqual(['digicert']);
    expect(companies(result('wrong-host-cert.test'), 'certificate')).toEqual(['digicert']);
    // Self-signed: no CA to name, so the signal stays unmatched but present.
    expect(result('self-signed.test').services.certificate.map((a) => a.vendorName).sort()).toEqual(['self-signed.test', 'www.self-signed.test']);
  });

  it('connection faults: no chain, no response, nothing invented', () => {
    for (const f of ['tcp-timeout', 'tcp-reset'] as const) {
      const o = obs(single(f));
      expect(o.tls.every((t) => t.chain.length === 0 && t.error !== undefined)).toBe(true);
      expect(o.http.every((h) => h.status === undefined && h.headers.length === 0)).toBe(true);
      expect(result(single(f)).services.certificate).toEqual([]);
    }
    // slow: the handshake is fine (the certificate counts), the response never completes.
    expect(obs('slow.test').tls.every((t) => t.authorized)).toBe(true);
    expect(companies(result('slow.test'), 'certificate')).toContain('digicert');
  });

  it('HTTP faults: responses kept as far as they are sound, bodies capped', () => {
    expect(obs('http-500.test').http.map((h) => h.status)).toEqual([500, 500]);
    for (const f of ['huge-body', 'gzip-bomb', 'bad-encoding'] as const) {
      expect(obs(single(f)).http.map((h) => h.status)).toEqual([200, 200]);
      expect(obs(single(f)).tls.every((t) => t.authorized)).toBe(true);
    }
    for (const h of obs('redirect-loop.test').http) {
      expect(h.redirects.length).toBeGreaterThan(0);
      expect(h.redirects.length).toBeLessThanOrEqual(6);
      expect(h.status).toBeUndefined();
    }
  });

  it('combined faults', () => {
    for (const [d, exp] of Object.entries(COMBO_EXPECTED)) {
      const r = result(d);
      expect({ d, status: r.status, errors: errorsOf(r) }).toEqual({ d, status: exp.status, errors: [...exp.errors].sort() });
      expect(companies(r, 'dns')).toContain('alibaba');
    }
    // A slow CNAME target behind a truncated answer: the chain resolved over TCP, the apex page read.
    const slow = obs(COMBO.slowCname);
    expect(slow.dns.hosts[`www.${COMBO.slowCname}`]).toMatchObject({ cname: ['edge.trunc-cdn.test'], a: ['127.16.0.20'] });
    expect(slow.addresses['127.16.0.20']?.asn).toBe(16509);
    expect(slow.http.find((h) => h.url === `https://${COMBO.slowCname}/`)?.status).toBe(200);
    // A redirect to a gzip bomb on another host: the hop recorded, the body capped, the final host placed.
    const bomb = obs(COMBO.bombRedirect);
    const h = bomb.http[0]!;
    expect([h.finalUrl, h.status, h.redirects.map((x) => x.status)]).toEqual(['https://bomb.other-host.test/', 200, [301]]);
    expect(bomb.dns.hosts['bomb.other-host.test']?.roles).toContain('final');
    expect(bomb.tls.map((t) => [t.host, t.authorized])).toEqual([
      ['bomb.other-host.test', true],
      [COMBO.bombRedirect, true],
    ]);
    // Expired certificate on a site whose www DNS times out: both reported, neither hides the other.
    const exp = obs(COMBO.expiredDnsTimeout);
    expect(exp.tls.map((t) => [t.host, t.authorizationError])).toEqual([[COMBO.expiredDnsTimeout, 'CERT_HAS_EXPIRED']]);
    expect(companies(result(COMBO.expiredDnsTimeout), 'certificate')).toEqual(['digicert']);
    // dns-timeout on the MX host only: the MX record and the mail provider are still there.
    const mx = obs(COMBO.mxTimeout);
    expect(mx.dns.mx.map((m) => m.exchange)).toEqual(['combo-mx-test.mail.protection.outlook.com']);
    expect(companies(result(COMBO.mxTimeout), 'email')).toContain('microsoft');
    expect(mx.http.map((x) => x.status)).toEqual([200, 200]);
  });
});
