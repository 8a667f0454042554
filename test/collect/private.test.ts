import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../src/collect/private.js';

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '127.16.0.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.251', '255.255.255.255', '::1', '::', 'fd00::1', 'fe80::1%eth0', 'ff02::1', '::ffff:10.0.0.1', 'not-an-ip'])(
    'refuses %s',
    (ip) => expect(isPrivateAddress(ip)).toBe(true),
  );
  it.each(['1.1.1.1', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('allows %s', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );
});
