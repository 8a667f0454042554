// Team Cymru over real DNS: the world's server answers, a tiny dns-packet client asks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from 'dns-packet';
import { CymruSource, originName, parseAsName, parseOrigin, type TxtLookup } from '../../../src/collect/asn/cymru.js';
import { openAsnSource } from '../../../src/collect/asn/index.js';
import { startDnsServer } from '../../../src/world/dns/server.js';
import type { DnsServerHandle } from '../../../src/world/running.js';
import { queryPacket, udpRaw } from '../../helpers/dnswire.js';

let dns: DnsServerHandle;
beforeAll(async () => {
  dns = await startDnsServer({
    world: 1,
    asns: [
      { asn: 16509, name: 'AMAZON-02', country: 'US', prefixes: ['127.16.0.0/16', '2600:1f00::/24'] },
      { asn: 4134, name: 'CHINANET-BACKBONE', country: 'CN', registry: 'apnic', prefixes: ['127.40.0.0/16'] },
      // A more specific prefix of another AS inside Amazon's.
      { asn: 45102, name: 'ALIBABA-CN-NET', country: 'CN', prefixes: ['127.16.9.0/24'] },
    ],
    // Addresses in 127.99/16 time out at the world's resolver.
    faults: { '99.127.origin.asn.cymru.com': 'dns-timeout' },
  });
});
afterAll(async () => {
  await dns?.close();
});

/** A TxtLookup over UDP with dns-packet: what the Resolver will provide. */
class Client implements TxtLookup {
  asked: string[] = [];
  async txt(name: string): Promise<string[]> {
    this.asked.push(name);
    const raw = await udpRaw(dns.port, queryPacket(name, 'TXT'), 300);
    if (!raw) throw Object.assign(new Error('timeout'), { code: 'DNS_TIMEOUT' });
    const p = decode(raw);
    if (p.rcode === 'NXDOMAIN') throw Object.assign(new Error('nxdomain'), { code: 'DNS_NXDOMAIN' });
    return (p.answers ?? [])
      .filter((a) => a.type === 'TXT')
      .map((a) => (a.data as unknown as Buffer[]).map((b) => b.toString()).join(''));
  }
}

describe('Cymru names and answers', () => {
  it('builds origin and origin6 names', () => {
    expect(originName('127.16.0.10')).toBe('10.0.16.127.origin.asn.cymru.com');
    expect(originName('2600:1f00::1')).toBe(`1.${'0.'.repeat(23)}0.0.f.1.0.0.6.2.origin6.asn.cymru.com`);
    expect(originName('nope')).toBeUndefined();
  });

  it('parses the TXT formats', () => {
    expect(parseOrigin('16509 14618 | 127.16.0.0/16 | US | arin | 2020-01-01')).toEqual({ asn: 16509, prefix: '127.16.0.0/16', country: 'US' });
    expect(parseOrigin('garbage')).toBeUndefined();
    expect(parseOrigin(' | 1.2.3.0/24 | US | arin |')).toBeUndefined();
    expect(parseAsName('16509 | US | arin | 2020-01-01 | AMAZON-02, US')).toEqual({ name: 'AMAZON-02', country: 'US' });
    expect(parseAsName('4134 | CN | apnic | 2002-10-08 | CHINANET-BACKBONE No.31,Jin-rong Street, CN')).toEqual({
      name: 'CHINANET-BACKBONE No.31,Jin-rong Street',
      country: 'CN',
    });
    expect(parseAsName('1 | US')).toBeUndefined();
  });
});

describe('cymru source against a world', () => {
  it('IPv4 and IPv6 → ASN, name, prefix, country, tagged cymru with a date', async () => {
    const src = await openAsnSource({ kind: 'cymru', resolver: new Client() });
    expect(src.kind).toBe('cymru');
    expect(await src.lookup('127.16.0.10')).toEqual({ asn: 16509, asName: 'AMAZON-02', country: 'US', prefix: '127.16.0.0/16', source: 'cymru', date: src.date });
    expect(await src.lookup('127.40.1.2')).toMatchObject({ asn: 4134, asName: 'CHINANET-BACKBONE', country: 'CN', prefix: '127.40.0.0/16' });
    expect(await src.lookup('2600:1f00::1')).toMatchObject({ asn: 16509, asName: 'AMAZON-02', prefix: '2600:1f00::/24' });
  });

  it('unknown addresses, bad input and a timing-out resolver → asn null, never a rejection', async () => {
    const src = await openAsnSource({ kind: 'cymru', resolver: new Client() });
    expect(await src.lookup('127.98.0.1')).toEqual({ asn: null, source: 'cymru', date: src.date });
    expect(await src.lookup('127.99.0.1')).toEqual({ asn: null, source: 'cymru', date: src.date }); // dns-timeout
    expect(await src.lookup('not-an-ip')).toMatchObject({ asn: null });
    const broken = await openAsnSource({ kind: 'cymru', resolver: { txt: () => Promise.reject(new Error('boom')) } });
    expect(await broken.lookup('127.16.0.1')).toMatchObject({ asn: null, source: 'cymru' });
    const weird = await openAsnSource({ kind: 'cymru', resolver: { txt: async () => ['nonsense', '1 | x | y'] } });
    expect(await weird.lookup('127.16.0.1')).toMatchObject({ asn: null });
  });

  it('caches per prefix block and per ASN; a more specific prefix of another AS is still found', async () => {
    const client = new Client();
    const src = new CymruSource(client);
    await src.lookup('127.16.0.10');
    await src.lookup('127.16.0.11'); // same /24: no question
    await src.lookup('127.16.0.10'); // same address
    expect(client.asked).toEqual(['10.0.16.127.origin.asn.cymru.com', 'AS16509.asn.cymru.com']);
    await src.lookup('127.16.1.1'); // another /24: origin asked again, name cached
    expect(client.asked).toHaveLength(3);
    expect(await src.lookup('127.16.9.5')).toMatchObject({ asn: 45102, prefix: '127.16.9.0/24' });
    // Concurrent lookups of one address share one question.
    const c2 = new Client();
    const s2 = new CymruSource(c2);
    await Promise.all([s2.lookup('127.40.0.1'), s2.lookup('127.40.0.1'), s2.lookup('127.40.0.1')]);
    expect(c2.asked.filter((n) => n.includes('origin'))).toHaveLength(1);
  });

  it('a failed question is not cached: a later lookup asks again', async () => {
    let fail = true;
    const client = new Client();
    const flaky: TxtLookup = { txt: (n) => (fail ? Promise.reject(Object.assign(new Error('t'), { code: 'DNS_TIMEOUT' })) : client.txt(n)) };
    const src = new CymruSource(flaky);
    expect((await src.lookup('127.40.0.9')).asn).toBeNull();
    fail = false;
    expect((await src.lookup('127.40.0.9')).asn).toBe(4134);
  });
});
