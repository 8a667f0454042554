// The guard in front of every TCP connection: a scanned domain pointing at 10.x, 127.x or
// 169.254.169.254 must not make the scanner probe its own network (unless --allow-private).
import { BlockList, isIPv4, isIPv6 } from 'node:net';

// IANA special-purpose registries (iana.org/assignments/iana-ipv4-special-registry,
// iana-ipv6-special-registry): the ranges that are never a public web server.
const V4 = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4'];
// Refused whole: 64:ff9b:1::/48 (local-use NAT64, RFC 8215: the IPv4 sits where the local
// prefix length puts it, which we cannot know) and Teredo 2001::/32 (RFC 4380: two IPv4s, one
// of them obfuscated, and a relay we do not control), besides loopback, ULA, link-local, multicast.
const V6 = ['::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8', '64:ff9b:1::/48', '2001::/32'];

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
  if (blocked.check(ip, 'ipv6')) return true;
  // Forms that carry an IPv4 address and reach it (a NAT64 gateway, a 6to4 relay, the kernel
  // for mapped ones) are judged by that address: 64:ff9b::a00:5 is 10.0.0.5 on a NAT64 network.
  const v4 = embeddedIPv4(ip);
  return v4 !== undefined && blocked.check(v4, 'ipv4');
}

/**
 * The IPv4 address inside an IPv6 one, for the forms with a fixed place for it: IPv4-mapped
 * ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d (RFC 4291), SIIT ::ffff:0:a.b.c.d (RFC 6052/7915),
 * NAT64 64:ff9b::a.b.c.d (RFC 6052) and 6to4 2002:AABB:CCDD:: (RFC 3056).
 */
export function embeddedIPv4(ip: string): string | undefined {
  const b = ipv6Bytes(ip);
  if (!b) return undefined;
  const zero = (from: number, to: number): boolean => b.subarray(from, to).every((x) => x === 0);
  const at = (i: number): string => `${b[i]}.${b[i + 1]}.${b[i + 2]}.${b[i + 3]}`;
  const word = (i: number): number => (b[i]! << 8) | b[i + 1]!;
  if (zero(0, 10) && word(10) === 0xffff) return at(12); // mapped
  if (zero(0, 12)) return at(12); // compatible (:: and ::1 are refused above)
  if (zero(0, 8) && word(8) === 0xffff && word(10) === 0) return at(12); // SIIT
  if (word(0) === 0x64 && word(2) === 0xff9b && zero(4, 12)) return at(12); // NAT64 well-known prefix
  if (word(0) === 0x2002) return at(2); // 6to4
  return undefined;
}

/** 16 bytes of a textual IPv6 address (with or without a trailing dotted quad), or undefined. */
function ipv6Bytes(ip: string): Uint8Array | undefined {
  if (!isIPv6(ip)) return undefined;
  let text = ip.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const words = (s: string | undefined): number[] => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const left = words(head);
  const right = words(tail);
  const all = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  if (all.length !== 8 || all.some((w) => !(w >= 0 && w <= 0xffff))) return undefined;
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}
