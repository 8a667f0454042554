// Organisation names: legal forms stripped in several languages, whole-word matching (a brand
// inside another word is not the brand), and the shipped organisation rules against real names
// of the embedded database, Team Cymru's AS names and decoys.
import { describe, expect, it } from 'vitest';
import { compileOrgPattern, MAX_ORG_NAME, normalizeOrgName } from '../../src/vendors/asorg.js';
import { loadVendorDb } from '../../src/vendors/load.js';
import { semanticProblems } from '../../src/vendors/semantics.js';
import type { VendorEntry } from '../../src/vendors/types.js';

describe('normalizeOrgName', () => {
  it.each([
    ['Hangzhou Alibaba Advertising Co.,Ltd.', 'Hangzhou Alibaba Advertising'],
    ['Shenzhen Tencent Computer Systems Company Limited', 'Shenzhen Tencent Computer Systems'],
    ['Amazon.com, Inc.', 'Amazon.com'],
    ['Liquid Web, L.L.C', 'Liquid Web'],
    ['Hetzner Online GmbH', 'Hetzner Online'],
    ['Telefonica Germany GmbH & Co.OHG', 'Telefonica Germany'],
    ['Strato AG', 'Strato'],
    ['IONOS SE', 'IONOS'],
    ['OVH SAS', 'OVH'],
    ['TELEFONICA BRASIL S.A', 'TELEFONICA BRASIL'],
    ['Uninet S.A. de C.V.', 'Uninet'],
    ['Axtel, S.A.B. de C.V.', 'Axtel'],
    ['TIM S/A', 'TIM'],
    ['LeaseWeb Netherlands B.V.', 'LeaseWeb Netherlands'],
    ['Telia Finland Oyj', 'Telia Finland'],
    ['Telenor Norge AS', 'Telenor Norge'],
    ['Leaseweb Japan K.K.', 'Leaseweb Japan'],
    ['SingTel Optus Pty Ltd', 'SingTel Optus'],
    ['Alibaba Cloud (Singapore) Private Limited', 'Alibaba Cloud (Singapore)'],
    ['P4 Sp. z o.o.', 'P4'],
    ['Orange Polska Spolka Akcyjna', 'Orange Polska'],
    ['Turk Telekomunikasyon Anonim Sirketi', 'Turk Telekomunikasyon'],
    ['BUNNYWAY, informacijske storitve d.o.o.', 'BUNNYWAY, informacijske storitve'],
    ['PT. Telekomunikasi Selular', 'Telekomunikasi Selular'],
    ['JSC Selectel', 'Selectel'],
    ['PJSC "Vimpelcom"', 'Vimpelcom'],
    ['LLC "SPUTNIK"', 'SPUTNIK'],
    ['Joint Stock Company TransTeleCom', 'TransTeleCom'],
    ['ООО «Яндекс»', 'Яндекс'],
    ['杭州阿里巴巴广告有限公司', '杭州阿里巴巴广告'],
    ['さくらインターネット株式会社', 'さくらインターネット'],
    ['AS262180 - CANTV (NAP)', 'CANTV (NAP)'],
    ['ＡＭＡＺＯＮ－０２', 'AMAZON-02'],
    ['  Multiple\t  spaces\u0007 Inc. ', 'Multiple spaces'],
  ])('%j → %j', (raw, want) => {
    expect(normalizeOrgName(raw)).toBe(want);
  });

  it('never strips a name down to nothing, and keeps names without a legal form', () => {
    expect(normalizeOrgName('Limited')).toBe('Limited');
    expect(normalizeOrgName('Inc.')).toBe('Inc.');
    expect(normalizeOrgName('University of Delaware')).toBe('University of Delaware');
    expect(normalizeOrgName('Cisco')).toBe('Cisco');
    expect(normalizeOrgName('')).toBe('');
  });

  it('is bounded: a hostile name is cut, not scanned whole', () => {
    const t0 = performance.now();
    const out = normalizeOrgName(`${'a, '.repeat(50_000)}Ltd`);
    expect(out.length).toBeLessThanOrEqual(MAX_ORG_NAME);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('whole-word organisation patterns', () => {
  const naver = compileOrgPattern('^naver (cloud|business platform)|naver');
  const strato = compileOrgPattern('strato');
  it('a brand inside another word is not the brand', () => {
    expect(naver.test(normalizeOrgName('Canaveral Port Authority'))).toBe(false);
    expect(naver.test(normalizeOrgName('NAVER Cloud Corp.'))).toBe(true);
    expect(strato.test(normalizeOrgName('THE AMERICAN ASSOCIATION OF MOTOR VEHICLE ADMINISTRATORS'))).toBe(false);
    expect(strato.test(normalizeOrgName('Strato AG'))).toBe(true);
    expect(compileOrgPattern('amazon').test('AMAZONIA TELECOMUNICACOES')).toBe(false);
    expect(compileOrgPattern('amazon').test('AMAZON-02')).toBe(true);
    // Accented and Cyrillic letters are letters too.
    expect(compileOrgPattern('amazon').test('Amazonía Cloud')).toBe(false);
    expect(compileOrgPattern('яндекс').test('Яндексы')).toBe(false);
  });
  it('scripts written without spaces have no word boundary to require', () => {
    expect(compileOrgPattern('阿里巴巴').test(normalizeOrgName('杭州阿里巴巴广告有限公司'))).toBe(true);
  });
});

describe('the shipped organisation rules', () => {
  const db = loadVendorDb();
  const companyOf = (name: string): string[] => [...new Set(db.matchers.asorg(name).map((h) => h.vendor.company.id))].sort();

  it.each([
    // Names as the embedded database carries them.
    ['Amazon.com, Inc.', 'amazon'],
    ['Amazon Data Services Ireland Ltd', 'amazon'],
    ['Amazon Technologies Inc.', 'amazon'],
    ['Hangzhou Alibaba Advertising Co.,Ltd.', 'alibaba'],
    ['Alibaba (US) Technology Co., Ltd.', 'alibaba'],
    ['Shenzhen Tencent Computer Systems Company Limited', 'tencent'],
    ['Tencent Cloud Computing (Beijing) Co., Ltd', 'tencent'],
    ['Huawei Cloud Service data center', 'huawei'],
    ['Beijing Baidu Netcom Science and Technology Co., Ltd.', 'baidu'],
    ['Beijing Volcano Engine Technology Co., Ltd.', 'bytedance'],
    ['Chinanet', 'china-telecom'],
    ['CHINANET Guangdong province network', 'china-telecom'],
    ['IDC, China Telecommunications Corporation', 'china-telecom'],
    ['CHINA UNICOM China169 Backbone', 'china-unicom'],
    ['China TieTong Telecommunications Corporation', 'china-mobile'],
    ['Akamai International B.V.', 'akamai'],
    ['Linode, LLC', 'akamai'],
    ['The Constant Company, LLC', 'constant-company'],
    ['Level 3 Communications, Inc.', 'lumen'],
    ['CenturyLink Communications, LLC', 'lumen'],
    ['NTT America, Inc.', 'ntt'],
    ['NTT DOCOMO, INC.', 'ntt'],
    ['KDDI CORPORATION', 'kddi'],
    ['SAKURA Internet Inc.', 'sakura-internet'],
    ['PJSC Rostelecom', 'rostelecom'],
    ['Yandex.Cloud LLC', 'yandex'],
    ['JSC Selectel', 'selectel'],
    ['JSC "TIMEWEB"', 'timeweb'],
    ['Hetzner Online GmbH', 'hetzner'],
    ['OVH SAS', 'ovh'],
    ['NAVER Cloud Corp.', 'naver'],
    ['Strato AG', 'strato'],
    ['Orange Polska Spolka Akcyjna', 'orange'],
    ['AS262180 - CANTV (NAP)', 'cantv'],
    // Team Cymru's AS names.
    ['AMAZON-02', 'amazon'],
    ['AMAZON-AES', 'amazon'],
    ['ALIBABA-CN-NET Hangzhou Alibaba Advertising Co.,Ltd.', 'alibaba'],
    ['TENCENT-NET-AP Shenzhen Tencent Computer Systems Company Limited', 'tencent'],
    ['CHINANET-BACKBONE No.31,Jin-rong Street', 'china-telecom'],
    ['GOOGLE-CLOUD-PLATFORM', 'google'],
    ['MICROSOFT-CORP-MSN-AS-BLOCK', 'microsoft'],
    ['CLOUDFLARENET', 'cloudflare'],
    ['HETZNER-AS', 'hetzner'],
  ])('%j is %s', (name, company) => {
    expect(companyOf(name)).toEqual([company]);
  });

  it.each([
    'Canaveral Port Authority',
    'THE AMERICAN ASSOCIATION OF MOTOR VEHICLE ADMINISTRATORS',
    'Strato Labs Inc',
    'Strato One Networks',
    'AMAZON TELECOM LTDA',
    'AMAZONIA TELECOMUNICACOES LTDA',
    'Banco da Amazonia S/A',
    'Alibaba Travel Company (LTD)',
    'AZURE TECHNOLOGY CO., LIMITED',
    'County of Orange',
    'Orange County Department of Education',
    'Hurricane Labs, LLC',
    'Cogent Broadband',
    'LEVEL3 CARRIER LIMITED',
    'South China Telecommunications (H.K.) Limited',
    'LinkChina Telecom Global Limited.',
    'UNICOM Systems Inc.',
    'COMCAST-SRL',
    'Vultric Hosting',
    'FIBMESH PRIVATE LIMITED',
    'Datacampus SAS',
    'Uscloud Inc',
    'MTS Systems Corporation',
    'Sunrise Banks',
    'Sky Internet',
    'ARUBA NETWORKS, INC.',
    'University of Delaware',
  ])('%j is nobody’s network', (name) => {
    expect(companyOf(name)).toEqual([]);
  });

  it('carrier rules say so; hosting companies are not carriers', () => {
    const carrier = (name: string) => db.matchers.asorg(name).some((h) => 'carrier' in h.rule && h.rule.carrier === true);
    expect(carrier('Chinanet')).toBe(true);
    expect(carrier('KDDI CORPORATION')).toBe(true);
    expect(carrier('Hetzner Online GmbH')).toBe(false);
    expect(carrier('Amazon.com, Inc.')).toBe(false);
  });
});

describe('asorg rules in the vendor semantics', () => {
  const entry = (pattern: string): VendorEntry => ({
    id: 'x-net',
    name: 'X',
    company: { id: 'x', name: 'X', country: 'US' },
    categories: ['hosting'],
    source: 'https://example.com/',
    rules: [{ kind: 'asorg', pattern, category: 'hosting', examples: { match: ['X'], nomatch: ['Y'] } }],
  });
  it('patterns compile with the u flag and are bounded', () => {
    expect(semanticProblems([{ file: 'x.json', entry: entry('^x\\-net') }])).toEqual([expect.stringContaining('rules[0].pattern: does not compile with the u flag')]);
    expect(semanticProblems([{ file: 'x.json', entry: entry('(a+)+x') }])).toEqual([expect.stringContaining('nested quantifier')]);
    expect(semanticProblems([{ file: 'x.json', entry: entry('^x(-net)?$') }])).toEqual([]);
  });
  it('may prove hosting or CDN only', () => {
    const e = entry('^x$');
    e.categories = ['dns'];
    e.rules[0]!.category = 'dns';
    expect(semanticProblems([{ file: 'x.json', entry: e }])).toEqual(["x.json: vendor x-net: rules[0].category: a asorg rule cannot attribute 'dns' (it can: hosting, cdn)"]);
  });
});
