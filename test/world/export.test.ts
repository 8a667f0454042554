import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CymruTable } from '../../src/world/dns/cymru.js';
import { exportZones, reversed, zoneRecords } from '../../src/world/export.js';
import type { World } from '../../src/world/types.js';
import { parseRecord, RecordStore, type ZoneRecord } from '../../src/world/zone.js';

const world: World = {
  world: 1,
  asns: [{ asn: 64500, name: 'EXAMPLE-NET', country: 'NL', prefixes: ['127.30.0.0/16', '2001:db8::/32'] }],
  zones: {
    'example.com': [
      '@ 300 IN SOA ns1.example.com. admin.example.com. 7 3600 600 86400 60',
      '@ NS ns1',
      'ns1 A 127.30.0.53',
      'www CNAME edge.cdn.example.',
      '@ MX 10 mail',
      'mail A 127.30.0.25',
      '@ TXT "v=spf1 include:_spf.example.com -all" "quote \\" and \\\\ and \\200"',
      '@ CAA 0 issue "letsencrypt.org"',
      '_sip._tcp SRV 10 5 5060 sip',
      '*.wild AAAA 2001:db8::1',
    ],
    'cdn.example': ['edge A 127.30.1.1', '  AAAA 2001:db8:0:1::5'],
  },
};

const dir = mkdtempSync(join(tmpdir(), 'export-zones-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Parses a written zone file back: one record a line after the directives. */
function reparse(file: string, zone: string): ZoneRecord[] {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l && !l.startsWith('$'));
  return lines.map((l) => parseRecord(l, zone));
}

const key = (r: ZoneRecord) => JSON.stringify([r.name, r.type, r.ttl, r.class, r.data], (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('hex') : v));

describe('exportZones', () => {
  const zones = exportZones(world, dir);
  const store = RecordStore.fromWorld(world);

  it('writes every zone, the Cymru zone and zones.list', () => {
    expect(zones.map((z) => z.zone).sort()).toEqual(['asn.cymru.com', 'cdn.example', 'example.com']);
    const list = readFileSync(join(dir, 'zones.list'), 'utf8').trim().split('\n');
    expect(list.sort()).toEqual(['asn.cymru.com asn.cymru.com.zone', 'cdn.example cdn.example.zone', 'example.com example.com.zone']);
  });

  it('re-parses to exactly the world records, with the SOA the server uses', () => {
    for (const [zone, lines] of Object.entries(world.zones ?? {})) {
      const back = reparse(`${zone}.zone`, zone).map(key).sort();
      const want = zoneRecords(lines, zone).filter((r) => r.type !== 'SOA');
      want.push(store.zones.get(zone)!.soa as unknown as (typeof want)[number]);
      if (zone === 'cdn.example') {
        // No NS in the world: a synthesized NS with loopback glue.
        want.push({ name: 'cdn.example', type: 'NS', ttl: 3600, class: 'IN', data: 'ns.cdn.example' });
        want.push({ name: 'ns.cdn.example', type: 'A', ttl: 3600, class: 'IN', data: '127.0.0.1' });
      }
      expect(back).toEqual(want.map(key).sort());
    }
    const soa = reparse('cdn.example.zone', 'cdn.example').find((r) => r.type === 'SOA');
    expect(soa).toEqual(store.zones.get('cdn.example')!.soa);
  });

  it('holds the Cymru answers for every address and AS', () => {
    const cymru = CymruTable.fromWorld(world);
    const txt = new Map(
      reparse('asn.cymru.com.zone', 'asn.cymru.com')
        .filter((r) => r.type === 'TXT')
        .map((r) => [r.name, Buffer.concat(r.data as Buffer[]).toString('latin1')]),
    );
    const names = [
      '53.0.30.127.origin.asn.cymru.com',
      '1.1.30.127.origin.asn.cymru.com',
      `${reversed('2001:db8::1')}.origin6.asn.cymru.com`,
      `${reversed('2001:db8:0:1::5')}.origin6.asn.cymru.com`,
      'as64500.asn.cymru.com',
    ];
    for (const n of names) {
      const a = cymru.answer(n);
      expect(a.kind).toBe('txt');
      expect(txt.get(n)).toBe((a as { text: string }).text);
    }
    expect(txt.size).toBe(6); // four addresses above, mail, and the AS
  });

  it('reverses IPv6 addresses to 32 nibbles', () => {
    expect(reversed('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2');
    expect(reversed('127.30.0.53')).toBe('53.0.30.127');
  });
});
