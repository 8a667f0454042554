// A small set of Results for the format tests, including hostile strings from "the network".
import { emptyServices, type Attribution, type Result } from '../../src/types.js';

const a = (over: Partial<Attribution>): Attribution => ({
  vendor: null,
  vendorName: null,
  company: null,
  companyName: null,
  country: null,
  confidence: 0.9,
  evidence: [],
  ...over,
});

const cloudfront = a({ vendor: 'cloudfront', vendorName: 'Amazon CloudFront', company: 'amazon', companyName: 'Amazon.com, Inc.', country: 'US', confidence: 0.95, evidence: ['header x-amz-cf-id', 'www CNAME d1x.cloudfront.net'] });
const aws = a({ vendor: 'aws', vendorName: 'Amazon Web Services', company: 'amazon', companyName: 'Amazon.com, Inc.', country: 'US', confidence: 0.6, evidence: ['AS16509 AMAZON-02 (127.16.0.20)', 'origin hidden behind Amazon CloudFront'] });
const m365 = a({ vendor: 'microsoft-365', vendorName: 'Microsoft 365', company: 'microsoft', companyName: 'Microsoft Corporation', country: 'US', evidence: ['MX 10 sensetime-com.mail.protection.outlook.com'] });
const dnspod = a({ vendor: 'dnspod', vendorName: 'DNSPod', company: 'tencent', companyName: 'Tencent Holdings Limited', country: 'CN', evidence: ['NS f1g1ns1.dnspod.net'] });
const geotrust = a({ vendor: 'geotrust', vendorName: 'GeoTrust', company: 'digicert', companyName: 'DigiCert, Inc.', country: 'US', evidence: ['issuer O=DigiCert Inc CN=GeoTrust CN RSA CA G1'] });
const trustasia = a({
  vendor: 'trustasia', vendorName: 'TrustAsia', company: 'trustasia', companyName: 'TrustAsia Technologies, Inc.', country: 'CN', confidence: 0.95,
  evidence: ['issuer /C=CN/O=TrustAsia Technologies, Inc./CN=TrustAsia RSA DV TLS CA G2'],
  root: { company: 'digicert', companyName: 'DigiCert, Inc.', country: 'US' },
});
const fonts = a({ vendor: 'google-fonts', vendorName: 'Google Fonts', company: 'google', companyName: 'Google LLC', country: 'US', evidence: ['link https://fonts.googleapis.com/css?family=Roboto'] });
// Self-hosted software: the CMS the company runs itself, not a provider (types.ts isRelationship).
const wordpress = a({ vendor: 'wordpress', vendorName: 'WordPress', company: 'wordpress', companyName: 'WordPress Foundation', country: 'US', confidence: 0.9, evidence: ['generator WordPress 6.4'], selfHosted: true });
const hostileAs = a({ vendorName: 'AS64500 \u001b]8;;http://evil\u0007EVIL\u001b[31m NET', companyName: '=HYPERLINK("http://evil")', country: 'ZZ', confidence: 0.5, evidence: ['AS64500 (127.9.0.1)'] });
const hostileIssuer = a({ vendorName: 'issuer \u202eevil\u202c, "quoted"\nnewline', country: null, confidence: 0.3, evidence: ['issuer O=@SUM(1+1) CN=+cmd|calc'] });

export function sampleResults(): Result[] {
  const hik: Result = { domain: 'hikvision.com', input: { line: 2, entity: 'Hikvision', list: 'Entity List 2019-10' }, status: 'ok', services: emptyServices(), errors: [] };
  hik.services.cdn.push(cloudfront);
  hik.services.hosting.push(aws);
  hik.services.certificate.push(geotrust);
  hik.services.dns.push(dnspod);
  hik.services.assets.push(fonts);
  const st: Result = { domain: 'sensetime.com', input: { line: 3, entity: 'SenseTime', list: 'Entity List 2019-10' }, status: 'partial', services: emptyServices(), errors: [{ stage: 'tls', code: 'TCP_TIMEOUT', message: 'no answer within 10 s', target: 'www.sensetime.com:443' }] };
  st.services.email.push(m365);
  st.services.certificate.push(trustasia);
  st.services.dns.push(dnspod);
  st.services.cms.push(wordpress);
  const evil: Result = { domain: 'xn--bcher-kva.de', unicode: 'bücher.de', input: { line: 4, entity: '-2+3', list: '@evil\t"x"' }, status: 'ok', services: emptyServices(), errors: [] };
  evil.services.hosting.push(hostileAs);
  evil.services.certificate.push(hostileIssuer);
  const failed: Result = { domain: 'gone.example', input: { line: 5, entity: 'Gone', list: '' }, status: 'failed', services: emptyServices(), errors: [{ stage: 'dns', code: 'DNS_NXDOMAIN', message: 'gone.example does not exist', target: 'gone.example A' }] };
  return [hik, st, evil, failed];
}
