// der.ts against node-forge's ASN.1 encoder (an independent implementation) at the edges:
// length forms, INTEGER sign and padding, OID arcs, the UTCTime/GeneralizedTime switch, IP bytes.
import fc from 'fast-check';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { directoryString, ipBytes, octetString, oid, time, uint } from '../../../src/world/web/der.js';

const { asn1 } = forge;
const forgeDer = (o: forge.asn1.Asn1): Buffer => Buffer.from(asn1.toDer(o).getBytes(), 'binary');
const prim = (type: number, bytes: Buffer): Buffer => forgeDer(asn1.create(asn1.Class.UNIVERSAL, type, false, bytes.toString('binary')));

describe('der', () => {
  it('lengths in short and long form', () => {
    for (const n of [0, 1, 127, 128, 255, 256, 65_535, 65_536, 70_000]) {
      const body = Buffer.alloc(n, 0x61);
      expect(octetString(body).equals(prim(asn1.Type.OCTETSTRING, body)), `length ${n}`).toBe(true);
    }
  });

  it('INTEGERs are minimal and non-negative', () => {
    expect(uint(Buffer.from([0x00, 0x00, 0x01]))).toEqual(Buffer.from([0x02, 0x01, 0x01]));
    expect(uint(Buffer.from([0x80]))).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x80]));
    expect(uint(Buffer.from([0x00, 0x00]))).toEqual(Buffer.from([0x02, 0x01, 0x00]));
    // 16 random bytes with the top bit cleared (the world's serials): forge strips at most one
    // leading zero, so the comparison keeps the second byte non-zero.
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (a) => {
        const b = Buffer.from(a);
        b[0] = b[0]! & 0x7f;
        b[1] = b[1]! | 1;
        expect(uint(b).equals(prim(asn1.Type.INTEGER, b))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('OIDs, including arcs above 127', () => {
    for (const o of ['2.5.4.3', '1.2.840.113549.1.1.11', '1.2.840.10045.4.3.2', '2.999.16384.1', '1.3.6.1.4.1.311.60.2.1.3']) {
      expect(oid(o).equals(prim(asn1.Type.OID, Buffer.from(asn1.oidToDer(o).getBytes(), 'binary'))), o).toBe(true);
    }
  });

  it('UTCTime before 2050, GeneralizedTime from 2050, whole seconds', () => {
    for (const iso of ['1999-12-31T23:59:59.999Z', '2049-12-31T23:59:59Z', '2050-01-01T00:00:00Z', '2024-02-29T01:02:03.456Z']) {
      const d = new Date(iso);
      const y = d.getUTCFullYear();
      const f = y < 2050 ? asn1.create(0, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(d)) : asn1.create(0, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(d));
      expect(time(d).equals(forgeDer(f)), iso).toBe(true);
    }
  });

  it('directory strings: ASCII PrintableString, beyond it UTF8String', () => {
    expect(directoryString('a\u001bb')).toEqual(Buffer.from([0x13, 3, 0x61, 0x1b, 0x62]));
    expect(directoryString('é')).toEqual(Buffer.from([0x0c, 2, 0xc3, 0xa9]));
  });

  it('IP literals: v4, v6 in every compressed form, zone ids dropped, names refused', () => {
    const word = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(word, { minLength: 8, maxLength: 8 }), (words) => {
        const bytes = Buffer.alloc(16);
        words.forEach((w, i) => bytes.writeUInt16BE(w, i * 2));
        // The URL parser writes the canonical (RFC 5952) text, with '::' wherever zeros run.
        const text = new URL(`http://[${words.map((w) => w.toString(16)).join(':')}]/`).hostname.slice(1, -1);
        expect(ipBytes(text)?.toString('hex'), text).toBe(bytes.toString('hex'));
      }),
      { numRuns: 300 },
    );
    expect(ipBytes('::')?.toString('hex')).toBe('0'.repeat(32));
    expect(ipBytes('1::')?.toString('hex')).toBe('0001' + '0'.repeat(28));
    expect(ipBytes('::ffff:10.1.2.3')?.toString('hex')).toBe('00000000000000000000ffff0a010203');
    expect(ipBytes('fe80::1%eth0')?.toString('hex')).toBe('fe80' + '0'.repeat(24) + '0001');
    expect(ipBytes('127.0.0.9')).toEqual(Buffer.from([127, 0, 0, 9]));
    expect(ipBytes('a.test')).toBeUndefined();
    expect(ipBytes('1.2.3.256')).toBeUndefined();
  });
});
