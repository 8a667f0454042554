import { describe, expect, it } from 'vitest';
import { normalizeDomain } from '../../src/input/normalize.js';

describe('normalizeDomain', () => {
  it.each([
    ['hikvision.com', 'hikvision.com'],
    ['  Hikvision.COM.  ', 'hikvision.com'],
    ['https://www.dahuasecurity.com/en/index.html', 'dahuasecurity.com'],
    ['http://user-less.example.org:8080/x?y#z', 'user-less.example.org'],
    ['www.sensetime.com', 'sensetime.com'],
    ['shop.megvii.com', 'shop.megvii.com'],
    ['example.com/path', 'example.com'],
    ['example.com:8443', 'example.com'],
    ['www.co.uk', 'www.co.uk'],
    ['www.example.co.uk', 'example.co.uk'],
  ])('%s → %s', (input, domain) => {
    const n = normalizeDomain(input);
    expect(n).toMatchObject({ ok: true, domain });
  });

  it('converts IDN to punycode and keeps the Unicode form', () => {
    expect(normalizeDomain('例え.テスト')).toEqual({ ok: true, domain: 'xn--r8jz45g.xn--zckzah', unicode: '例え.テスト' });
    expect(normalizeDomain('https://www.Bücher.de/')).toEqual({ ok: true, domain: 'xn--bcher-kva.de', unicode: 'bücher.de' });
  });

  it.each([
    ['', 'empty'],
    ['192.168.1.1', 'IP address'],
    ['http://10.0.0.1/', 'IP address'],
    ['[::1]', 'IP address'],
    ['2001:db8::1', 'IP address'],
    ['exa mple.com', 'space'],
    ['example..com', 'empty label'],
    ['.example.com', 'empty label'],
    [`${'a'.repeat(64)}.com`, 'label longer than 63'],
    [`${'a.'.repeat(127)}com`, 'longer than 253'],
    ['-bad.com', 'hyphen'],
    ['bad-.com', 'hyphen'],
    ['admin@example.com', 'user@host'],
    ['https://admin:pw@example.com/', 'user@host'],
    ['localhost', 'no dot'],
    ['exa_mple.com', 'invalid character'],
    ['ht!tp.com', 'invalid character'],
  ])('rejects %j (%s)', (input, reason) => {
    const n = normalizeDomain(input);
    expect(n.ok).toBe(false);
    if (!n.ok) expect(n.reason).toContain(reason);
  });

  // Issue 19: an input line with a terminal hyperlink (OSC 8) was called "an IP address".
  it.each([
    ['\u001b]8;;https://evil.test/\u001b\\example.com\u001b]8;;\u001b\\', 'contains a terminal escape sequence'],
    ['\u001b[31mexample.com\u001b[0m', 'contains a terminal escape sequence'],
    ['exam\u0007ple.com', 'contains a control character'],
    ['exa\u061cmple.com', 'contains an invisible formatting character'],
    ['\u202eexample.com', 'contains an invisible formatting character'],
    ['exam\u200bple.com', 'contains an invisible formatting character'],
  ])('%j is refused with the right reason', (input, reason) => {
    const n = normalizeDomain(input);
    expect(n.ok).toBe(false);
    expect(n.ok ? '' : n.reason).toContain(reason);
  });
});
