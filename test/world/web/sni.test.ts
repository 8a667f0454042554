// ClientHello peeking (pure) against hellos produced by Node's own TLS client.
import { describe, expect, it } from 'vitest';
import net from 'node:net';
import tls from 'node:tls';
import { peekServerName } from '../../../src/world/web/sni.js';
import { hostFromHeader } from '../../../src/world/web/site.js';
import { isLoopback } from '../../../src/world/web/server.js';

/** The first bytes a real TLS client sends, captured by a plain TCP server. */
async function captureHello(servername: string | undefined): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const got = new Promise<Buffer>((resolve) => {
      server.once('connection', (s) => {
        let buf = Buffer.alloc(0);
        s.on('data', (d: Buffer) => {
          buf = Buffer.concat([buf, d]);
          if (buf.length >= 5 && buf.length >= 5 + buf.readUInt16BE(3)) {
            s.destroy();
            resolve(buf);
          }
        });
      });
    });
    const c = tls.connect({ host: '127.0.0.1', port, ...(servername ? { servername } : {}), rejectUnauthorized: false });
    c.on('error', () => {});
    const hello = await got;
    c.destroy();
    return hello;
  } finally {
    server.close();
  }
}

describe('peekServerName', () => {
  it('reads SNI from a real ClientHello, and asks for more when cut short', async () => {
    const hello = await captureHello('Www.Example.TEST');
    expect(peekServerName(hello)).toEqual({ done: true, servername: 'www.example.test' });
    expect(peekServerName(hello.subarray(0, 3))).toEqual({ done: false });
    expect(peekServerName(hello.subarray(0, hello.length - 1))).toEqual({ done: false });
  });

  it('gives no name for a hello without SNI, for non-TLS bytes, and for garbage', async () => {
    expect(peekServerName(await captureHello(undefined))).toEqual({ done: true, servername: undefined });
    expect(peekServerName(Buffer.from('GET / HTTP/1.1\r\n'))).toEqual({ done: true, servername: undefined });
    const junk = Buffer.concat([Buffer.from([0x16, 3, 1, 0, 8]), Buffer.from([1, 0, 0, 200, 3, 3, 255, 255])]);
    expect(peekServerName(junk)).toEqual({ done: true, servername: undefined });
  });
});

describe('hostFromHeader / isLoopback', () => {
  it('strips ports and brackets and lowercases', () => {
    expect(hostFromHeader('WWW.Example.com:8443')).toBe('www.example.com');
    expect(hostFromHeader('example.com.')).toBe('example.com');
    expect(hostFromHeader('[::1]:80')).toBe('::1');
    expect(hostFromHeader(undefined)).toBeUndefined();
  });
  it('accepts all of 127.0.0.0/8 only', () => {
    expect(['127.0.0.1', '127.16.3.4', '::ffff:127.9.9.9', '::1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['10.0.0.1', '::ffff:192.168.1.1', '2001:db8::1', undefined].map(isLoopback)).toEqual([false, false, false, false]);
  });
});
