// Fuzz: zone-file strings for the world. parseRecord gives a record or throws an Error with a
// message (never a TypeError/RangeError from a missing guard); a whole world with fuzzed zones
// is refused with a WorldError (`FILE: field: reason`) or compiles; and the world's DNS server
// answers any bytes with a packet or silence, never a throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDnsWorld, respond } from '../../src/world/dns/server.js';
import { WorldError } from '../../src/world/errors.js';
import { validateWorld } from '../../src/world/load.js';
import type { World } from '../../src/world/types.js';
import { parseRecord, RECORD_TYPES } from '../../src/world/zone.js';
import { params, timed } from './budget.js';

const VALID = [
  '@ 300 IN A 192.0.2.1',
  'www CNAME cdn.example.net.',
  '@ IN AAAA 2001:db8::1',
  '@ MX 10 mx1',
  '@ TXT "v=spf1 include:_spf.google.com ~all" "second \\"quoted\\" \\065"',
  '@ SOA ns1 hostmaster 2024010101 7200 3600 1209600 300',
  '@ CAA 0 issue "letsencrypt.org"',
  '_sip._tcp SRV 10 5 5060 sip',
  '@ 1h30m NS ns1.example.net.',
  '1.2 PTR host.example.com.',
  'bücher A 192.0.2.9',
  '*.wild TXT (a b c) ; comment',
];

/** Characters that matter to the tokenizer, plus anything at all. */
const zoneChar = fc.oneof(
  fc.constantFrom(' ', '\t', '"', '\\', ';', '(', ')', '.', '@', '*', '0', '9', '2', '5', '\n', '\r', '\u0000', 'ü', '😀', '\u202e'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
const zoneText = fc.string({ unit: zoneChar, maxLength: 120 });

/** A valid record with an edit: a splice of random text, a cut, a repeat. */
const mutated = fc
  .tuple(fc.constantFrom(...VALID), fc.nat(), fc.nat(), zoneText, fc.integer({ min: 1, max: 300 }))
  .chain(([v, a, b, ins, rep]) =>
    fc.constantFrom(
      v.slice(0, a % (v.length + 1)) + ins + v.slice(b % (v.length + 1)),
      v.slice(0, a % (v.length + 1)),
      v.replace(/[a-z0-9]+/, (w) => w.repeat(rep)),
      `${v} ${ins}`,
      v.replace(/[A-Z]+/, () => RECORD_TYPES[a % RECORD_TYPES.length]!),
    ),
  );

const line = fc.oneof(zoneText, mutated, fc.string({ unit: 'binary', maxLength: 200 }));
const zone = fc.oneof(fc.constant('example.com'), fc.constant(''), fc.domain(), fc.string({ maxLength: 20 }));

function expectNoLibraryError(e: unknown): void {
  expect(e).toBeInstanceOf(Error);
  expect(e).not.toBeInstanceOf(TypeError);
  expect(e).not.toBeInstanceOf(RangeError);
  expect(e).not.toBeInstanceOf(ReferenceError);
  expect((e as Error).message.length).toBeGreaterThan(0);
}

describe('fuzz: zone records', () => {
  it('parseRecord: a well-formed record or an Error with a message', () => {
    fc.assert(
      fc.property(line, fc.constantFrom('example.com', ''), fc.option(fc.constant('prev.example.com'), { nil: undefined }), (l, z, prev) => {
        let r;
        try {
          r = timed('parseRecord', () => parseRecord(l, z, prev));
        } catch (e) {
          expectNoLibraryError(e);
          return;
        }
        expect(RECORD_TYPES).toContain(r.type);
        expect(r.name).toBe(r.name.toLowerCase());
        expect(r.name.length).toBeLessThanOrEqual(253);
        expect(r.name.endsWith('.')).toBe(false);
        expect(Number.isInteger(r.ttl) && r.ttl >= 0 && r.ttl <= 2 ** 31 - 1).toBe(true);
        if (r.type === 'TXT') for (const c of r.data) expect(c.length).toBeLessThanOrEqual(255);
      }),
      params(3000),
    );
  });

  it('the valid seeds parse (the fuzz starts from records that work)', () => {
    for (const v of VALID) expect(() => parseRecord(v, 'example.com')).not.toThrow();
  });

  it('compileDnsWorld: a WorldError naming the file, or a store', () => {
    fc.assert(
      fc.property(fc.dictionary(zone, fc.array(line, { maxLength: 8 }), { maxKeys: 3 }), (zones) => {
        const world = { world: 1, zones };
        try {
          validateWorld(world, 'fuzz.json', '/tmp');
          timed('compileDnsWorld', () => compileDnsWorld(world, 'fuzz.json'));
        } catch (e) {
          expect(e).toBeInstanceOf(WorldError);
          expect((e as WorldError).message.startsWith('fuzz.json: ')).toBe(true);
        }
      }),
      params(1000),
    );
  });

  it('validateWorld: any JSON value is a World or a WorldError', () => {
    const worldish = fc.oneof(
      fc.jsonValue(),
      fc.record({ world: fc.oneof(fc.constant(1), fc.jsonValue()), zones: fc.jsonValue(), sites: fc.jsonValue(), asns: fc.jsonValue(), cas: fc.jsonValue(), faults: fc.jsonValue() }, { requiredKeys: ['world'] }),
    );
    fc.assert(
      fc.property(worldish, (w) => {
        try {
          timed('validateWorld', () => validateWorld(w, 'fuzz.json', '/tmp'));
          timed('compileDnsWorld', () => compileDnsWorld(w as unknown as World, 'fuzz.json'));
        } catch (e) {
          expect(e).toBeInstanceOf(WorldError);
        }
      }),
      params(1000),
    );
  });

  it("the world's DNS server: any bytes get a packet or nothing, never a throw", () => {
    const world = { world: 1 as const, zones: { 'example.com': VALID } };
    const w = compileDnsWorld(world);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom('udp', 'tcp') as fc.Arbitrary<'udp'>, (bytes, transport) => {
        const out = timed('respond', () => respond(w, Buffer.from(bytes), transport));
        if (out !== undefined) expect(Buffer.isBuffer(out)).toBe(true);
      }),
      params(2000),
    );
  });
});
