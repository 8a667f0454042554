// A large, realistic, deterministic world for benchmarks and soaks: company domains spread over
// real providers' conventions (NS, MX, CNAME chains, edge headers, CAs, CMS markup), apex→www
// redirects, and a fraction of faults. Same seed, same world.
import type { FaultName, World, WorldCa, WorldSite } from './types.js';
import { FAULTS } from './types.js';

export interface GenerateOptions {
  domains: number;
  seed: number;
  /** Fraction 0..1 of domains given a fault. */
  faults?: number;
  latencyMs?: number;
  /** TLS sites also speak HTTP/2 (World `http2`). */
  http2?: boolean;
}

/** mulberry32: tiny, fast, good enough for picking fixtures (bench/pages.mjs draws with it too). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Network {
  asn: number;
  name: string;
  country: string;
}

// Real AS numbers and names (bgp.he.net); addresses are loopback stand-ins.
const NETWORKS: Network[] = [
  { asn: 16509, name: 'AMAZON-02', country: 'US' },
  { asn: 15169, name: 'GOOGLE', country: 'US' },
  { asn: 8075, name: 'MICROSOFT-CORP-MSN-AS-BLOCK', country: 'US' },
  { asn: 37963, name: 'ALIBABA-CN-NET Hangzhou Alibaba Advertising Co.,Ltd.', country: 'CN' },
  { asn: 45090, name: 'TENCENT-NET-AP Shenzhen Tencent Computer Systems Company Limited', country: 'CN' },
  { asn: 4134, name: 'CHINANET-BACKBONE No.31,Jin-rong Street', country: 'CN' },
  { asn: 4837, name: 'CHINA169-BACKBONE CHINA UNICOM China169 Backbone', country: 'CN' },
  { asn: 55990, name: 'HWCSNET Huawei Cloud Service data center', country: 'CN' },
  { asn: 16276, name: 'OVH', country: 'FR' },
  { asn: 24940, name: 'HETZNER-AS', country: 'DE' },
  { asn: 14061, name: 'DIGITALOCEAN-ASN', country: 'US' },
  { asn: 13335, name: 'CLOUDFLARENET', country: 'US' },
  { asn: 20940, name: 'AKAMAI-ASN1', country: 'EU' },
  { asn: 54113, name: 'FASTLY', country: 'US' },
];

interface Cdn {
  zone: string;
  label: (i: number) => string;
  net: number;
  headers: Record<string, string>;
}

const CDNS: Cdn[] = [
  { zone: 'cloudfront.net', label: (i) => `d${(i * 7919).toString(36)}x`, net: 0, headers: { 'x-amz-cf-id': 'Zm9vYmFy', 'x-amz-cf-pop': 'HKG62-C1', via: '1.1 abc.cloudfront.net (CloudFront)' } },
  { zone: 'cdn.cloudflare.net', label: (i) => `www.c${i}`, net: 11, headers: { server: 'cloudflare', 'cf-ray': '8a1b2c3d4e5f-HKG' } },
  { zone: 'akamaiedge.net', label: (i) => `e${1000 + i}.a`, net: 12, headers: { 'x-akamai-transformed': '9 - 0 pmb=mRUM,1' } },
  { zone: 'kunlunsl.com', label: (i) => `w${i}.w`, net: 3, headers: { server: 'Tengine', eagleid: '2f3e4d5c6b' } },
  { zone: 'wscdns.com', label: (i) => `c${i}.wscdns`, net: 5, headers: { 'x-ws-request-id': '65a1b2c3_PS-HKG' } },
];

const DNS_PROVIDERS = [
  { zone: 'awsdns-12.com', ns: ['ns-101'], net: 0 },
  { zone: 'dnspod.net', ns: ['f1g1ns1', 'f1g1ns2'], net: 4 },
  { zone: 'hichina.com', ns: ['dns9', 'dns10'], net: 3 },
  { zone: 'cloudflare.com', ns: ['ada.ns', 'bob.ns'], net: 11 },
  { zone: 'alidns.com', ns: ['ns1', 'ns2'], net: 3 },
];

const MAIL = [
  { mx: (d: string) => `${d.replace(/\./g, '-')}.mail.protection.outlook.com`, zone: 'outlook.com', spf: 'spf.protection.outlook.com', net: 2 },
  { mx: () => 'aspmx.l.google.com', zone: 'google.com', spf: '_spf.google.com', net: 1 },
  { mx: () => 'mxbiz1.qq.com', zone: 'qq.com', spf: 'spf.mail.qq.com', net: 4 },
  { mx: () => 'mxw.mxhichina.com', zone: 'mxhichina.com', spf: 'spf.mxhichina.com', net: 3 },
];

// Third-party senders a company authorises in its SPF record: real include targets, matched by the
// `spf` rules of src/vendors/data/saas.json (sources there).
const SENDERS = ['sendgrid.net', 'amazonses.com', 'servers.mcsv.net', 'spf.mandrillapp.com'];

const BODIES = [
  (t: string) => `<html><head><title>${t}</title><meta name="generator" content="WordPress 6.4.2"><link rel="stylesheet" href="/wp-content/themes/corp/style.css"><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"></head><body><h1>${t}</h1><script src="/wp-includes/js/jquery/jquery.min.js"></script></body></html>`,
  (t: string) => `<html><head><meta charset="utf-8"><title>${t}</title><script src="https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js"></script></head><body><h1>${t}</h1><script>var _hmt=_hmt||[];(function(){var hm=document.createElement("script");hm.src="https://hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef";})();</script></body></html>`,
  (t: string) => `<html><head><title>${t}</title><meta name="Generator" content="Drupal 10 (https://www.drupal.org)"><script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123XYZ9"></script></head><body><h1>${t}</h1></body></html>`,
  (t: string) => `<html><head><title>${t}</title><link rel="stylesheet" href="https://cdn.bootcdn.net/ajax/libs/twitter-bootstrap/5.3.2/css/bootstrap.min.css"></head><body><h1>${t}</h1><p>Powered by DedeCMS</p><script src="/templets/default/js/j.js"></script></body></html>`,
];

const WORDS = ['vision', 'secure', 'data', 'cloud', 'smart', 'tech', 'net', 'intel', 'sense', 'eye', 'guard', 'link'];
const TLDS = ['com', 'cn', 'com.cn', 'net', 'io'];

function cas(): WorldCa[] {
  return [
    { id: 'isrg-x1', subject: { CN: 'ISRG Root X1', O: 'Internet Security Research Group', C: 'US' } },
    { id: 'le-r10', issuer: 'isrg-x1', subject: { CN: 'R10', O: "Let's Encrypt", C: 'US' } },
    { id: 'digicert-root', subject: { CN: 'DigiCert Global Root CA', O: 'DigiCert Inc', OU: 'www.digicert.com', C: 'US' } },
    { id: 'geotrust-cn', issuer: 'digicert-root', subject: { CN: 'GeoTrust CN RSA CA G1', O: 'DigiCert Inc', OU: 'www.digicert.com', C: 'US' } },
    { id: 'digicert-g2', issuer: 'digicert-root', subject: { CN: 'DigiCert TLS RSA SHA256 2020 CA1', O: 'DigiCert Inc', C: 'US' } },
    { id: 'trustasia', issuer: 'digicert-root', subject: { CN: 'TrustAsia RSA DV TLS CA G2', O: 'TrustAsia Technologies, Inc.', C: 'CN' } },
  ];
}
const LEAF_CAS = ['le-r10', 'geotrust-cn', 'digicert-g2', 'trustasia'];

export function generateWorld(opts: GenerateOptions): World {
  const rand = rng(opts.seed);
  // Draws added later come from their own stream, so the rest of a seed's world stays as it was.
  const extra = rng(opts.seed ^ 0x5bd1e995);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const netIndex = NETWORKS.map((_, i) => i);
  // Each network owns 127.(10+i).0.0/16; hosts are numbered inside it.
  const nextHost = netIndex.map(() => 1);
  const addr = (net: number): string => {
    const n = nextHost[net]!++;
    return `127.${10 + net}.${(n >> 8) & 255}.${n & 255}`;
  };
  const zones: Record<string, string[]> = {};
  const sites: Record<string, WorldSite> = {};
  const faults: Record<string, FaultName> = {};
  const add = (zone: string, record: string) => (zones[zone] ??= []).push(record);

  for (const p of DNS_PROVIDERS) for (const ns of p.ns) add(p.zone, `${ns} A ${addr(p.net)}`);
  const mailHosts = new Set<string>();
  const domains: string[] = [];
  const faultNames = FAULTS;

  for (let i = 0; i < opts.domains; i++) {
    const domain = `${pick(WORDS)}${pick(WORDS)}-${i}.${pick(TLDS)}`;
    domains.push(domain);
    const dnsP = pick(DNS_PROVIDERS);
    for (const ns of dnsP.ns) add(domain, `@ NS ${ns}.${dnsP.zone}.`);
    const mail = pick(MAIL);
    const mx = mail.mx(domain);
    add(domain, `@ MX 10 ${mx}.`);
    if (!mailHosts.has(mx)) {
      mailHosts.add(mx);
      add(mail.zone, `${mx.slice(0, -(mail.zone.length + 1))} A ${addr(mail.net)}`);
    }
    const sender = extra() < 0.25 ? ` include:${SENDERS[Math.floor(extra() * SENDERS.length)]!}` : '';
    add(domain, `@ TXT "v=spf1 include:${mail.spf}${sender} -all"`);
    if (rand() < 0.3) add(domain, `@ TXT "google-site-verification=${Math.floor(rand() * 1e12).toString(36)}"`);
    add(domain, `_dmarc TXT "v=DMARC1; p=none"`);
    const host = pick(netIndex.slice(0, 11));
    add(domain, `@ A ${addr(host)}`);
    let headers: Record<string, string> = { server: pick(['nginx', 'Apache', 'Tengine', 'openresty']) };
    if (rand() < 0.5) {
      const cdn = pick(CDNS);
      const label = cdn.label(i);
      add(domain, `www CNAME ${label}.${cdn.zone}.`);
      add(cdn.zone, `${label} A ${addr(cdn.net)}`);
      headers = { ...cdn.headers };
    } else {
      add(domain, `www A ${addr(host)}`);
    }
    const ca = pick(LEAF_CAS);
    const title = `${domain.split('.')[0]} — ${pick(['Solutions', 'Technologies', '智能安防', 'Group'])}`;
    // One certificate for apex and www, as sites usually have (and the world then makes one).
    const names = [domain, `www.${domain}`];
    sites[domain] = { tls: { ca, names }, http: { status: 301, headers: { location: `https://www.${domain}/` } }, plainHttp: { status: 301, headers: { location: `https://www.${domain}/` } } };
    sites[`www.${domain}`] = {
      tls: { ca, names: [...names] },
      http: { status: 200, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }, body: pick(BODIES)(title) },
    };
    if (opts.faults && rand() < opts.faults) {
      const f = pick(faultNames);
      faults[f.startsWith('dns-') ? domain : `www.${domain}`] = f;
    }
  }

  const world: World = {
    world: 1,
    description: `Generated by whoserves world generate (${opts.domains} domains, seed ${opts.seed}). Synthetic: not measured data.`,
    domains,
    latencyMs: opts.latencyMs ?? 0,
    ...(opts.http2 ? { http2: true } : {}),
    asns: NETWORKS.map((n, i) => ({ asn: n.asn, name: n.name, country: n.country, prefixes: [`127.${10 + i}.0.0/16`] })),
    cas: cas(),
    zones,
    sites,
  };
  if (Object.keys(faults).length) world.faults = faults;
  return world;
}
