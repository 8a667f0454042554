import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadWorld } from '../../src/world/load.js';

const dir = mkdtempSync(path.join(tmpdir(), 'whoserves-world-'));
function worldFile(content: unknown, name = 'w.json'): string {
  const f = path.join(dir, name);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}

const good = {
  world: 1,
  asns: [{ asn: 16509, name: 'AMAZON-02', country: 'US', prefixes: ['127.16.0.0/16'] }],
  cas: [
    { id: 'root', subject: { CN: 'ISRG Root X1', O: 'Internet Security Research Group' } },
    { id: 'r3', issuer: 'root', subject: { CN: 'R3', O: "Let's Encrypt" } },
  ],
  zones: { 'example.com': ['@ A 127.16.0.1'] },
  sites: { 'example.com': { tls: { ca: 'r3' }, http: { status: 200, headers: { 'set-cookie': ['a=1', 'b=2'] }, body: 'hi' } } },
  faults: { 'slow.example.com': 'slow', 'bad.example.com': ['tcp-reset', 'http-500'] },
};

describe('loadWorld', () => {
  it('accepts a valid world', () => {
    expect(loadWorld(worldFile(good)).world.sites?.['example.com']?.tls?.ca).toBe('r3');
  });

  it.each([
    [{ ...good, world: 2 }, 'world: must be 1'],
    [{ ...good, latencyMs: -1 }, 'latencyMs: must be a number'],
    [{ ...good, asns: [{ asn: 'x', name: 'A', prefixes: [] }] }, 'asns[0].asn: must be an AS number'],
    [{ ...good, asns: [{ asn: 1, name: 'A', prefixes: ['127.0.0.0/33'] }] }, 'asns[0].prefixes[0]: not a CIDR prefix'],
    [{ ...good, asns: [{ asn: 1, name: 'A', country: 'usa', prefixes: [] }] }, 'asns[0].country'],
    [{ ...good, cas: [{ id: 'a', issuer: 'nope', subject: { CN: 'x' } }] }, 'cas[0].issuer: unknown CA "nope"'],
    [{ ...good, cas: [{ id: 'a', issuer: 'b', subject: { CN: 'x' } }, { id: 'b', issuer: 'a', subject: { CN: 'y' } }] }, 'cas[0].issuer: issuer chain loops'],
    [{ ...good, cas: [{ id: 'a', subject: {} }] }, 'cas[0].subject'],
    [{ ...good, zones: { 'example.com': [42] } }, 'zones.example.com[0]: must be a string'],
    [{ ...good, sites: { 'x.com': { tls: { ca: 'missing' } } } }, 'sites.x.com.tls.ca: unknown CA "missing"'],
    [{ ...good, sites: { 'x.com': { http: { status: 999 } } } }, 'sites.x.com.http.status'],
    [{ ...good, sites: { 'x.com': { http: { headers: { a: 1 } } } } }, 'sites.x.com.http.headers.a'],
    [{ ...good, sites: { 'x.com': { http: { bodyFile: 'nope.html' } } } }, 'sites.x.com.http.bodyFile: no such file'],
    [{ ...good, faults: { 'x.com': 'meltdown' } }, 'faults.x.com: unknown fault "meltdown"'],
  ])('refuses an invalid world with FILE: field: reason (%#)', (world, message) => {
    const f = worldFile(world);
    expect(() => loadWorld(f)).toThrow(`${f}: ${message}`);
  });

  it('refuses bad JSON and missing files without a stack trace', () => {
    const f = worldFile('{"world": 1,', 'broken.json');
    expect(() => loadWorld(f)).toThrow(`${f}: (root): invalid JSON`);
    expect(() => loadWorld(path.join(dir, 'absent.json'))).toThrow('absent.json: (file): no such file');
  });
});
