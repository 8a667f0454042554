import { describe, expect, it } from 'vitest';
import { embeddedIPv4, isPrivateAddress } from '../../src/collect/private.js';
import { probeHttp, DEFAULT_USER_AGENT, type HttpProbeOptions } from '../../src/collect/http.js';
import { probeTls } from '../../src/collect/tls.js';

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '127.16.0.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.251', '255.255.255.255', '::1', '::', 'fd00::1', 'fe80::1%eth0', 'ff02::1', '::ffff:10.0.0.1', 'not-an-ip'])(
    'refuses %s',
    (ip) => expect(isPrivateAddress(ip)).toBe(true),
  );
  it.each(['1.1.1.1', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('allows %s', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );
});

describe('IPv6 forms that embed an IPv4 address (issue 19)', () => {
  it.each([
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::7f00:1', 'IPv4-compatible, hex'],
    ['::a9fe:a9fe', 'IPv4-compatible metadata address'],
    ['64:ff9b::a00:5', 'NAT64 well-known prefix'],
    ['64:ff9b::10.0.0.5', 'NAT64, dotted'],
    ['64:ff9b::169.254.169.254', 'NAT64 metadata address'],
    ['64:ff9b:1::808:808', 'NAT64 local-use prefix (refused whole)'],
    ['64:ff9b:1:ab::a00:5', 'NAT64 local-use prefix, /64'],
    ['::ffff:0:10.0.0.5', 'SIIT'],
    ['::ffff:0:7f00:1', 'SIIT, hex'],
    ['2002:a00:5::1', '6to4 of 10.0.0.5'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['2002:c0a8:101:1::1', '6to4 of 192.168.1.1'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo (refused whole)'],
    ['2001::1', 'Teredo prefix'],
    ['::FFFF:127.0.0.1', 'mapped, upper case'],
  ])('refuses %s (%s)', (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(['64:ff9b::808:808', '64:ff9b::8.8.8.8', '2002:808:808::1', '::ffff:0:8.8.8.8', '2001:4860:4860::8888', '2001:db9::1'])('allows %s (a public IPv4 inside, or no IPv4 at all)', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );

  it('finds the IPv4 address where each form puts it', () => {
    expect(embeddedIPv4('64:ff9b::a00:5')).toBe('10.0.0.5');
    expect(embeddedIPv4('2002:a00:5:1::2')).toBe('10.0.0.5');
    expect(embeddedIPv4('::ffff:0:c0a8:101')).toBe('192.168.1.1');
    expect(embeddedIPv4('::1.2.3.4')).toBe('1.2.3.4');
    expect(embeddedIPv4('2606:4700::1111')).toBeUndefined();
    expect(embeddedIPv4('not-an-ip')).toBeUndefined();
  });
});

const httpOptions: HttpProbeOptions = {
  resolve: () => Promise.resolve([]),
  httpsPort: 443,
  httpPort: 80,
  timeoutMs: 2000,
  maxBody: 1024 * 1024,
  maxRedirects: 5,
  userAgent: DEFAULT_USER_AGENT,
  allowPrivate: false,
};

describe('the probes refuse the embedded forms before connecting', () => {
  it.each(['::127.0.0.1', '64:ff9b::a00:5', '2002:a9fe:a9fe::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2'])('TLS to %s is PRIVATE_ADDRESS', async (ip) => {
    const obs = await probeTls('site.test', ip, { port: 443, timeoutMs: 2000, allowPrivate: false });
    expect(obs.error?.code).toBe('PRIVATE_ADDRESS');
  });

  // A redirect's Location is fetched like any URL: an address literal there meets the same guard.
  it.each(['http://[::127.0.0.1]/', 'https://[64:ff9b::a00:5]/admin', 'http://[::ffff:0:10.0.0.5]:8080/', 'http://[2002:7f00:1::]/'])('HTTP to %s is PRIVATE_ADDRESS', async (url) => {
    const obs = await probeHttp(url, httpOptions);
    expect(obs.error?.code).toBe('PRIVATE_ADDRESS');
  });
});

describe('network unreachable has its own code', () => {
  // The kernel refuses a TCP connection to a multicast address with ENETUNREACH, locally:
  // nothing leaves the machine.
  it('TLS probe: NET_UNREACHABLE, not TLS_HANDSHAKE', async () => {
    const obs = await probeTls('site.test', '224.0.0.1', { port: 443, timeoutMs: 5000, allowPrivate: true });
    expect(obs.error?.code).toBe('NET_UNREACHABLE');
  });
  it('HTTP probe: NET_UNREACHABLE, not TCP_RESET', async () => {
    const obs = await probeHttp('http://224.0.0.1/', { ...httpOptions, allowPrivate: true, timeoutMs: 5000 });
    expect(obs.error?.code).toBe('NET_UNREACHABLE');
  });
});
