// Small inline vendor files written to a temp dir, for loader and classifier tests.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { VendorEntry } from '../../src/vendors/types.js';

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'whoserves-vendors-'));
}

/** Write files { name: vendors } into a fresh data dir; returns its path. */
export function writeData(files: Record<string, unknown>, dir = path.join(tempDir(), 'data')): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, vendors] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), typeof vendors === 'string' ? vendors : JSON.stringify({ vendors }));
  }
  return dir;
}

const ex = (match: string[], nomatch: string[]) => ({ match, nomatch });

export const AMAZON = { id: 'amazon', name: 'Amazon.com, Inc.', country: 'US' };
export const CHINANET = { id: 'china-telecom', name: 'China Telecom Corporation Limited', country: 'CN' };

export const SAMPLE: VendorEntry[] = [
  {
    id: 'cloudfront',
    name: 'Amazon CloudFront',
    company: AMAZON,
    categories: ['cdn'],
    source: 'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/',
    rules: [
      { kind: 'cname', suffix: 'cloudfront.net', category: 'cdn', examples: ex(['d1x.cloudfront.net'], ['mycloudfront.net']) },
      { kind: 'header', name: 'x-amz-cf-id', category: 'cdn', examples: ex(['x-amz-cf-id: abc'], ['x-amz-id-2: abc']) },
    ],
  },
  {
    id: 'aws',
    name: 'Amazon Web Services',
    company: AMAZON,
    categories: ['hosting'],
    source: 'https://aws.amazon.com/',
    rules: [{ kind: 'asn', asns: [16509, 14618], category: 'hosting', examples: ex(['AS16509'], ['AS13335']) }],
  },
  {
    id: 'cloudflare-dns',
    name: 'Cloudflare DNS',
    company: { id: 'cloudflare', name: 'Cloudflare, Inc.', country: 'US' },
    categories: ['dns'],
    source: 'https://developers.cloudflare.com/dns/',
    rules: [{ kind: 'ns', suffix: 'ns.cloudflare.com', category: 'dns', examples: ex(['ada.ns.cloudflare.com'], ['ns.mycloudflare.com', 'cloudflare.com']) }],
  },
  {
    id: 'china-telecom',
    name: 'China Telecom (ChinaNet)',
    company: CHINANET,
    categories: ['hosting'],
    source: 'https://www.chinatelecomglobal.com/',
    rules: [{ kind: 'asn', asns: [4134, 4809], category: 'hosting', examples: ex(['AS4134'], ['AS4837']) }],
  },
  {
    id: 'google-fonts',
    name: 'Google Fonts',
    company: { id: 'google', name: 'Google LLC', country: 'US', parent: 'alphabet' },
    categories: ['assets'],
    source: 'https://developers.google.com/fonts/docs/getting_started',
    rules: [
      { kind: 'link', pattern: '^https?://fonts\\.(googleapis|gstatic)\\.com/', category: 'assets', examples: ex(['https://fonts.googleapis.com/css?family=Roboto'], ['https://fonts.example.com/x.css']) },
    ],
  },
  {
    id: 'baidu-tongji',
    name: 'Baidu Tongji',
    company: { id: 'baidu', name: 'Baidu, Inc.', country: 'CN' },
    categories: ['analytics'],
    source: 'https://tongji.baidu.com/',
    rules: [
      { kind: 'script', pattern: '^https?://hm\\.baidu\\.com/hm\\.js\\?[0-9a-f]{32}', category: 'analytics', examples: ex(['https://hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef'], ['https://hm.baidu.com.evil.example/hm.js']) },
      { kind: 'analytics-id', pattern: '^hm:[0-9a-f]{32}$', category: 'analytics', examples: ex(['hm:0123456789abcdef0123456789abcdef'], ['UA-1234-1']) },
    ],
  },
  {
    id: 'lets-encrypt',
    name: "Let's Encrypt",
    company: { id: 'isrg', name: 'Internet Security Research Group', country: 'US' },
    categories: ['certificate'],
    source: 'https://letsencrypt.org/certificates/',
    rules: [{ kind: 'issuer', field: 'O', pattern: "^Let's Encrypt$", category: 'certificate', examples: ex(["/C=US/O=Let's Encrypt/CN=R3"], ['/C=US/O=DigiCert Inc/CN=X']) }],
  },
  {
    id: 'microsoft-365',
    name: 'Microsoft 365',
    company: { id: 'microsoft', name: 'Microsoft Corporation', country: 'US' },
    categories: ['email', 'saas'],
    source: 'https://learn.microsoft.com/en-us/microsoft-365/enterprise/',
    rules: [
      { kind: 'mx', suffix: 'mail.protection.outlook.com', category: 'email', examples: ex(['x-com.mail.protection.outlook.com'], ['outlook.com.example.net']) },
      { kind: 'spf', suffix: 'spf.protection.outlook.com', category: 'email', examples: ex(['v=spf1 include:spf.protection.outlook.com -all'], ['v=spf1 include:_spf.google.com -all']) },
      { kind: 'txt', prefix: 'MS=', category: 'saas', examples: ex(['MS=ms12345678'], ['ms=lower']) },
    ],
  },
];
