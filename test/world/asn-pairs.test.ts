// Pairs files are user input (`world from-asn-pairs`, WHOSERVES_ASN_PAIRS): every problem named
// with file, item and field; the world built from them answers Cymru the way the scanner reads.
import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AsnPairsError, buildAsnPairsWorld, parseAsnPairs, readAsnPairs } from '../../src/world/asn-pairs.js';
import { CymruTable } from '../../src/world/dns/cymru.js';
import { validateWorld } from '../../src/world/load.js';
import { cli, tempDir } from '../e2e/helpers.js';

const problems = (text: string): string[] => {
  try {
    parseAsnPairs(text, 'p.json');
  } catch (e) {
    if (e instanceof AsnPairsError) return e.problems;
    throw e;
  }
  return [];
};

describe('pairs files', () => {
  it('reports every bad item with its field', () => {
    expect(problems('{')).toEqual([expect.stringMatching(/^p\.json: invalid JSON/)]);
    expect(problems('{"items": []}')).toEqual(['p.json: not a pairs file (expected {"pairs": 1, "items": [...]})']);
    const text = JSON.stringify({ pairs: 1, items: [{ asn: 0, name: 'X' }, { asn: 1, name: '' }, { asn: 2, name: 'Y', labels: { hosting: 'amazon' } }, { asn: 3, name: 'Z', labels: { cloud: ['x'] } }, 'no', { asn: 3, name: 'Other' }] });
    expect(problems(text)).toEqual([
      'p.json: items[0].asn: expected an AS number, got 0',
      'p.json: items[1].name: expected a non-empty name (at most 500 characters)',
      'p.json: items[2].labels.hosting: expected an array of company ids',
      'p.json: items[3].labels.cloud: not a category (hosting, cdn, email, certificate, dns, cms, analytics, assets, saas)',
      'p.json: items[4]: expected an object',
      'p.json: items[5].asn: AS3 is already items[3] under another name (a world answers one name per AS)',
    ]);
  });

  it('builds one company a pair, its address in a prefix of the pair’s AS, under the pair’s name', () => {
    const pairs = parseAsnPairs(JSON.stringify({ pairs: 1, items: [{ asn: 16509, name: 'Amazon.com, Inc.', labels: { hosting: ['amazon'] } }, { asn: 394656, name: 'Canaveral Port Authority', labels: {}, why: 'decoy' }] }), 'p.json');
    const { world, labels } = buildAsnPairsWorld(pairs);
    expect(world.domains).toEqual(['as16509-0.com', 'as394656-1.com']);
    expect(world.zones!['as394656-1.com']).toEqual(['@ A 127.64.1.1']);
    expect(labels.domains).toEqual({ 'as16509-0.com': { hosting: ['amazon'] }, 'as394656-1.com': {} });
    expect(labels.sources!['as394656-1.com']).toBe('AS394656 Canaveral Port Authority (decoy)');
    validateWorld(world, 'w.json', '.');
    const table = CymruTable.fromWorld(world);
    expect(table.answer('1.1.64.127.origin.asn.cymru.com')).toEqual({ kind: 'txt', text: expect.stringMatching(/^394656 \| 127\.64\.1\.0\/24 \| ZZ/) });
    expect(table.answer('as16509.asn.cymru.com')).toEqual({ kind: 'txt', text: expect.stringMatching(/\| Amazon\.com, Inc\., ZZ$/) });
  });

  it('`world from-asn-pairs` writes a world and labels; a bad file costs exit 2 and nothing else', () => {
    const dir = tempDir();
    const file = path.join(dir, 'pairs.json');
    writeFileSync(file, JSON.stringify({ pairs: 1, items: [{ asn: 24940, name: 'Hetzner Online GmbH', labels: { hosting: ['hetzner'] } }] }));
    const out = path.join(dir, 'w.json');
    const ok = cli(['world', 'from-asn-pairs', file, '-o', out, '--labels', path.join(dir, 'l.json')]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(readAsnPairs(file)).toHaveLength(1);
    writeFileSync(file, JSON.stringify({ pairs: 1, items: [{ asn: 'x', name: 'Y' }] }));
    const bad = cli(['world', 'from-asn-pairs', file, '-o', path.join(dir, 'w2.json'), '--labels', path.join(dir, 'l2.json')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${file}: items[0].asn: expected an AS number, got "x"`);
    expect(existsSync(path.join(dir, 'w2.json'))).toBe(false);
  });
});
