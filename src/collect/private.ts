// The guard in front of every TCP connection: a scanned domain pointing at 10.x, 127.x or
// 169.254.169.254 must not make the scanner probe its own network (unless --allow-private).
import { BlockList, isIPv4, isIPv6 } from 'node:net';

// IANA special-purpose registries (iana.org/assignments/iana-ipv4-special-registry,
// iana-ipv6-special-registry): the ranges that are never a public web server.
const V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4'];
const V6 = ['::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8'];

const blocked = new BlockList();
for (const c of V4) {
  const [net, len] = c.split('/');
  blocked.addSubnet(net!, Number(len), 'ipv4');
}
for (const c of V6) {
  const [net, len] = c.split('/');
  blocked.addSubnet(net!, Number(len), 'ipv6');
}

/** True for loopback, private (RFC 1918, CGNAT, ULA), link-local, multicast and reserved addresses, and for non-addresses. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/%.*$/, '');
  if (isIPv4(ip)) return blocked.check(ip, 'ipv4');
  if (!isIPv6(ip)) return true;
  // IPv4-mapped (::ffff:a.b.c.d) is judged by its IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(ip, 'ipv6');
}
