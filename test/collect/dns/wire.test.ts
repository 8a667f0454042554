// The hand-written query encoder against dns-packet's, byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUERY_TYPES, encodeQuery, encodeWithLibrary } from '../../../src/collect/dns/wire.js';

describe('encodeQuery', () => {
  it.each(QUERY_TYPES)('matches dns-packet for %s', (type) => {
    for (const name of ['example.com', 'a', '_dmarc.xn--bcher-kva.test', `${'x'.repeat(63)}.y`, '4.3.2.1.origin.asn.cymru.com']) {
      expect(encodeQuery(0xbeef, name, type).toString('hex')).toBe(encodeWithLibrary(0xbeef, name, type).toString('hex'));
    }
  });
  it('matches dns-packet for random valid names', () => {
    const label = fc.stringMatching(/^[a-z0-9_-]{1,20}$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(...QUERY_TYPES), (labels, id, type) => {
        const name = labels.join('.');
        expect(encodeQuery(id, name, type).equals(encodeWithLibrary(id, name, type))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
