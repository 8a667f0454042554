// Where queries go: "--resolver HOST[:PORT]" arguments, or the system's /etc/resolv.conf.
import { readFileSync } from 'node:fs';
import net from 'node:net';

export interface Upstream {
  host: string;
  port: number;
}

/** "1.2.3.4", "1.2.3.4:5353", "::1", "[::1]:53". Throws an Error naming the bad value. */
export function parseUpstream(s: string): Upstream {
  const text = s.trim();
  const bad = (why: string): Error => new Error(`invalid resolver "${s}": ${why} (expected HOST, HOST:PORT or [IPv6]:PORT)`);
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) throw bad('missing "]"');
    host = text.slice(1, end);
    const rest = text.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw bad('unexpected text after "]"');
      portText = rest.slice(1);
    }
  } else if (net.isIPv6(text)) {
    host = text;
  } else {
    const colon = text.lastIndexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
  }
  // An address, not a name: resolving the resolver's name would need a resolver.
  if (net.isIP(host) === 0) throw bad('host must be an IPv4 or IPv6 address');
  let port = 53;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) throw bad('port must be a number');
    port = Number(portText);
    if (port < 1 || port > 65535) throw bad('port must be 1-65535');
  }
  return { host, port };
}

/** Nameservers of resolv.conf text, in order; zone ids (fe80::1%eth0) are kept as given. */
export function parseResolvConf(text: string): Upstream[] {
  const out: Upstream[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m?.[1]) continue;
    const addr = m[1];
    if (net.isIP(addr.replace(/%.*$/, '')) === 0) continue;
    out.push({ host: addr, port: 53 });
    if (out.length >= 8) break; // bounded; glibc reads three
  }
  return out;
}

/** The system's resolvers (what a user expects), or 127.0.0.1:53 when none are configured. */
export function systemUpstreams(file = '/etc/resolv.conf'): Upstream[] {
  let found: Upstream[] = [];
  try {
    found = parseResolvConf(readFileSync(file, 'utf8'));
  } catch {
    // no resolv.conf: fall back below
  }
  return found.length > 0 ? found : [{ host: '127.0.0.1', port: 53 }];
}
