// The JSON Schemas of the two public contracts (src/observation.schema.json, src/result.schema.json)
// must describe exactly the TypeScript types in src/types.ts: same keys, same optionality, same
// JSON types, same enums. The TS side is read from the source with the compiler's parser, so a
// field added to one side only fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import AjvModule from 'ajv';
import ts from 'typescript';
import { fromRoot } from '../../src/paths.js';
import {
  CATEGORIES,
  ERROR_CODES,
  emptyObservation,
  emptyServices,
  type Observation,
  type Result,
} from '../../src/types.js';

const Ajv = AjvModule.default;
type Json = Record<string, any>;

const obsSchema = JSON.parse(readFileSync(fromRoot('src/observation.schema.json'), 'utf8')) as Json;
const resSchema = JSON.parse(readFileSync(fromRoot('src/result.schema.json'), 'utf8')) as Json;

function compile(schema: Json) {
  // strict: unknown keywords, tuple shapes and type/keyword mismatches are schema bugs.
  return new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
}
const validateObs = compile(obsSchema);
const validateRes = compile(resSchema);

// ---------------------------------------------------------------- the TS side, parsed

interface TsProp {
  optional: boolean;
  types: Set<string>;
}
interface TsShape {
  props: Map<string, TsProp>;
  open: boolean;
}

const source = ts.createSourceFile('types.ts', readFileSync(fromRoot('src/types.ts'), 'utf8'), ts.ScriptTarget.ES2022, true);
const shapes = new Map<string, TsShape>();
const unions = new Map<string, string[]>();
/** Inline object types get a schema definition of their own, named here. */
const INLINE_NAMES: Record<string, string> = { 'HtmlSignals.links': 'Link' };

function jsonTypes(node: ts.TypeNode, owner: string): Set<string> {
  const out = new Set<string>();
  const add = (n: ts.TypeNode): void => {
    if (ts.isUnionTypeNode(n)) return n.types.forEach(add);
    if (ts.isParenthesizedTypeNode(n)) return add(n.type);
    if (n.kind === ts.SyntaxKind.StringKeyword) return void out.add('string');
    if (n.kind === ts.SyntaxKind.NumberKeyword) return void out.add('number');
    if (n.kind === ts.SyntaxKind.BooleanKeyword) return void out.add('boolean');
    if (n.kind === ts.SyntaxKind.UndefinedKeyword) return;
    if (ts.isLiteralTypeNode(n)) {
      if (n.literal.kind === ts.SyntaxKind.NullKeyword) return void out.add('null');
      if (ts.isNumericLiteral(n.literal)) return void out.add('number');
      if (ts.isStringLiteral(n.literal)) return void out.add('string');
    }
    if (ts.isArrayTypeNode(n) || ts.isTupleTypeNode(n)) {
      if (ts.isArrayTypeNode(n) && ts.isTypeLiteralNode(n.elementType)) readShape(INLINE_NAMES[owner] ?? owner, n.elementType.members);
      return void out.add('array');
    }
    if (ts.isTypeReferenceNode(n)) {
      const name = n.typeName.getText(source);
      if (name === 'Record') return void out.add('object');
      return void out.add(`ref:${name}`);
    }
    throw new Error(`${owner}: unhandled type ${n.getText(source)}`);
  };
  add(node);
  return out;
}

function readShape(name: string, members: ts.NodeArray<ts.TypeElement>): void {
  const shape: TsShape = { props: new Map(), open: false };
  for (const m of members) {
    if (ts.isIndexSignatureDeclaration(m)) shape.open = true;
    else if (ts.isPropertySignature(m) && m.type) {
      const key = m.name.getText(source);
      shape.props.set(key, { optional: !!m.questionToken, types: jsonTypes(m.type, `${name}.${key}`) });
    }
  }
  shapes.set(name, shape);
}

for (const st of source.statements) {
  if (ts.isInterfaceDeclaration(st)) readShape(st.name.text, st.members);
  if (ts.isTypeAliasDeclaration(st) && ts.isUnionTypeNode(st.type) && st.type.types.every((t) => ts.isLiteralTypeNode(t))) {
    unions.set(st.name.text, st.type.types.map((t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text));
  }
}
// Aliases whose type is a reference resolve to the referenced JSON type.
const ALIASES: Record<string, string> = { ErrorCode: 'string', Stage: 'string', HostRole: 'string', ResultStatus: 'string', Services: 'object', Category: 'string' };

// ---------------------------------------------------------------- the schema side

function resolve(schema: Json, node: Json): Json {
  if (typeof node.$ref !== 'string') return node;
  const name = (node.$ref as string).replace('#/definitions/', '');
  return schema.definitions[name] as Json;
}

function schemaTypes(schema: Json, node: Json): Set<string> {
  const out = new Set<string>();
  if (typeof node.$ref === 'string') {
    const name = (node.$ref as string).replace('#/definitions/', '');
    out.add(shapes.has(name) ? `ref:${name}` : [...schemaTypes(schema, resolve(schema, node))].join('|'));
    return out;
  }
  if ('const' in node) out.add(node.const === null ? 'null' : typeof node.const);
  for (const t of [node.type ?? []].flat() as string[]) out.add(t === 'integer' ? 'number' : t);
  for (const alt of (node.oneOf ?? []) as Json[]) for (const t of schemaTypes(schema, alt)) out.add(t);
  return out;
}

/** The TS types with refs to non-interfaces (unions, Records) replaced by their JSON type. */
function normalizeTs(types: Set<string>): Set<string> {
  return new Set([...types].map((t) => (t.startsWith('ref:') && !shapes.has(t.slice(4)) ? (ALIASES[t.slice(4)] ?? t) : t)));
}

function compareShapes(schema: Json, root: string): string[] {
  const problems: string[] = [];
  const defs: [string, Json][] = [[root, schema], ...Object.entries(schema.definitions as Json)];
  const covered = new Set<string>();
  for (const [name, def] of defs) {
    if (!def.properties || name === 'Services') continue;
    const shape = shapes.get(name);
    if (!shape) {
      problems.push(`${name}: in the schema, no such interface in types.ts`);
      continue;
    }
    covered.add(name);
    const keys = Object.keys(def.properties as Json).sort();
    const tsKeys = [...shape.props.keys()].sort();
    if (keys.join() !== tsKeys.join()) problems.push(`${name}: schema keys ${keys.join()} ≠ TS keys ${tsKeys.join()}`);
    const required = [...((def.required ?? []) as string[])].sort();
    const tsRequired = [...shape.props].filter(([, p]) => !p.optional).map(([k]) => k).sort();
    if (required.join() !== tsRequired.join()) problems.push(`${name}: schema required ${required.join()} ≠ TS required ${tsRequired.join()}`);
    const closed = def.additionalProperties === false;
    if (closed === shape.open) problems.push(`${name}: additionalProperties ${String(def.additionalProperties)} but TS ${shape.open ? 'has' : 'has no'} index signature`);
    for (const [key, p] of shape.props) {
      const node = (def.properties as Json)[key] as Json | undefined;
      if (!node) continue;
      const a = [...schemaTypes(schema, node)].sort().join();
      const b = [...normalizeTs(p.types)].sort().join();
      if (a !== b) problems.push(`${name}.${key}: schema type ${a} ≠ TS type ${b}`);
    }
  }
  return problems;
}

/** Interfaces reachable from a root type: the schema must define each. */
function reachable(root: string): Set<string> {
  const seen = new Set<string>();
  const walk = (name: string): void => {
    if (seen.has(name) || !shapes.has(name)) return;
    seen.add(name);
    for (const p of shapes.get(name)!.props.values()) for (const t of p.types) if (t.startsWith('ref:')) walk(t.slice(4));
  };
  walk(root);
  for (const [inline, def] of Object.entries(INLINE_NAMES)) if (seen.has(inline.split('.')[0]!)) seen.add(def);
  return seen;
}

/** A copy of a schema in which every property is required: a sample valid against it uses every field. */
function everyFieldRequired(schema: Json): Json {
  const copy = structuredClone(schema);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const n = node as Json;
    if (n.properties && typeof n.properties === 'object') n.required = Object.keys(n.properties as Json);
    Object.values(n).forEach(visit);
  };
  visit(copy);
  return copy;
}

/** Every property of every definition (and of the root) has a description, directly or by $ref. */
function undocumented(schema: Json): string[] {
  const out: string[] = [];
  const defs: [string, Json][] = [['(root)', schema], ...Object.entries(schema.definitions as Json)];
  for (const [name, def] of defs) {
    if (typeof def.description !== 'string' || def.description === '') out.push(name);
    for (const [key, prop] of Object.entries((def.properties ?? {}) as Json)) {
      const d = (prop as Json).description ?? resolve(schema, prop as Json).description;
      if (typeof d !== 'string' || d === '') out.push(`${name}.${key}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- samples

const cert = {
  subject: { CN: 'www.hikvision.com', O: 'Hangzhou Hikvision', C: 'CN' },
  issuer: { CN: 'GeoTrust CN RSA CA G1', O: 'DigiCert Inc', C: 'US' },
  san: ['www.hikvision.com', 'hikvision.com'],
  validFrom: 'Jan  1 00:00:00 2024 GMT',
  validTo: 'Jan  1 00:00:00 2025 GMT',
  serial: '0A1B2C',
  fingerprint256: 'AB:CD:EF',
  keyType: 'RSA',
  ski: '0a1b2c',
  aki: '3d4e5f',
};
const error = { stage: 'http', code: 'HTTP_TIMEOUT', message: 'no response in 10 s', target: 'https://hikvision.com/' } as const;

/** Every optional field set. */
function richObservation(): Observation {
  return {
    observation: 1,
    domain: 'xn--fiqs8s.cn',
    unicode: '中国.cn',
    input: { line: 3, file: 'list.csv', entity: 'Hikvision', rank: 7 },
    dns: {
      ns: ['ns1.hikvision.com', 'ns2.hikvision.com'],
      soa: { mname: 'ns1.hikvision.com', rname: 'hostmaster.hikvision.com', serial: 2024010101 },
      mx: [{ preference: 10, exchange: 'hikvision-com.mail.protection.outlook.com' }],
      txt: ['v=spf1 include:spf.protection.outlook.com -all', 'MS=ms12345678'],
      dmarc: ['v=DMARC1; p=none'],
      caa: [{ flags: 0, tag: 'issue', value: 'digicert.com' }],
      dkim: [{ selector: 'selector1', cname: ['selector1-example-com._domainkey.example.onmicrosoft.com'], txt: ['v=DKIM1; k=rsa; p=MIIB'] }],
      autodiscover: ['autodiscover.outlook.com'],
      named: [{ name: '_amazonses', txt: ['pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU='] }],
      hosts: {
        'www.hikvision.com': { roles: ['www', 'final'], cname: ['d1x.cloudfront.net'], a: ['127.16.0.20'], aaaa: ['::1'] },
      },
    },
    addresses: {
      '127.16.0.20': { asn: 16509, asName: 'AMAZON-02', country: 'US', prefix: '127.16.0.0/16', source: 'cymru', date: '2020-01-01' },
    },
    tls: [
      {
        host: 'www.hikvision.com',
        address: '127.16.0.20',
        port: 443,
        authorized: false,
        authorizationError: 'CERT_HAS_EXPIRED',
        protocol: 'TLSv1.3',
        cipher: 'TLS_AES_128_GCM_SHA256',
        alpn: 'h2',
        chain: [cert],
        error: { stage: 'tls', code: 'TLS_HANDSHAKE', message: 'certificate has expired', target: 'www.hikvision.com:443' },
      },
    ],
    http: [
      {
        url: 'https://hikvision.com/',
        finalUrl: 'https://www.hikvision.com/',
        status: 200,
        redirects: [{ url: 'https://hikvision.com/', status: 301, location: 'https://www.hikvision.com/', address: '127.16.0.10' }],
        headers: [['server', 'CloudFront'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']],
        address: '127.16.0.20',
        html: {
          charset: 'utf-8',
          title: '海康威视',
          meta: [{ name: 'generator', property: 'og:type', httpEquiv: 'content-type', content: 'WordPress 6.4' }],
          scripts: ['https://hm.baidu.com/hm.js?0123'],
          links: [{ href: '/wp-content/style.css', rel: 'stylesheet' }],
          iframes: ['https://player.youku.com/embed/x'],
          images: ['/logo.png'],
          inlineUrls: ['https://www.googletagmanager.com/gtag/js?id=G-ABC'],
          ids: ['G-ABC'],
          forms: ['/search'],
          imports: ['https://fonts.googleapis.com/css?family=Inter'],
          excerpt: '<html><head>',
        },
        body: '<html></html>',
        error,
      },
    ],
    errors: [{ stage: 'dns', code: 'DNS_TIMEOUT', message: 'no answer for AAAA', target: 'hikvision.com AAAA' }],
  };
}

function richResult(): Result {
  const services = emptyServices();
  services.cdn.push({
    vendor: 'cloudfront',
    vendorName: 'Amazon CloudFront',
    company: 'amazon',
    companyName: 'Amazon.com, Inc.',
    country: 'US',
    confidence: 0.95,
    evidence: ['header x-amz-cf-id', 'www CNAME d1x.cloudfront.net'],
    selfHosted: false,
  });
  services.certificate.push({
    vendor: 'trustasia',
    vendorName: 'TrustAsia',
    company: 'trustasia',
    companyName: 'TrustAsia Technologies, Inc.',
    country: 'CN',
    confidence: 0.95,
    evidence: ['issuer /C=CN/O=TrustAsia Technologies, Inc./CN=TrustAsia RSA DV TLS CA G2'],
    selfHosted: false,
    root: { company: 'digicert', companyName: 'DigiCert, Inc.', country: 'US' },
  });
  services.hosting.push({ vendor: null, vendorName: 'AS4134 CHINANET-BACKBONE', company: null, companyName: null, country: null, confidence: 0.5, evidence: ['A 127.1.0.1 AS4134'], selfHosted: true });
  return { domain: 'xn--fiqs8s.cn', unicode: '中国.cn', input: { line: 3, file: 'list.csv', entity: 'Hikvision' }, status: 'partial', services, errors: [error] };
}

const errorsOf = (v: { errors?: unknown }): string => JSON.stringify(v.errors);

// ---------------------------------------------------------------- tests

describe('observation.schema.json', () => {
  it('accepts emptyObservation() and a sample using every field', () => {
    expect(validateObs(emptyObservation('example.com', { line: 1 })), errorsOf(validateObs)).toBe(true);
    expect(validateObs(richObservation()), errorsOf(validateObs)).toBe(true);
    const all = compile(everyFieldRequired(obsSchema));
    expect(all(richObservation()), errorsOf(all)).toBe(true);
    expect(all(emptyObservation('example.com', { line: 1 }))).toBe(false);
  });

  it('lists exactly the keys, optionality and JSON types of the TS interfaces', () => {
    expect(compareShapes(obsSchema, 'Observation')).toEqual([]);
    const defined = new Set(['Observation', ...Object.keys(obsSchema.definitions as Json)]);
    expect([...reachable('Observation')].filter((n) => !defined.has(n))).toEqual([]);
  });

  it('the comparison notices a drifted schema', () => {
    const drift = structuredClone(obsSchema);
    delete drift.definitions.TlsObservation.properties.alpn;
    drift.definitions.MxRecord.properties.preference.type = 'string';
    drift.definitions.HttpHop.required = ['url'];
    drift.definitions.InputInfo.additionalProperties = false;
    drift.definitions.Extra = { description: 'x', type: 'object', properties: { a: { type: 'string' } } };
    const problems = compareShapes(drift, 'Observation');
    for (const what of ['TlsObservation: schema keys', 'MxRecord.preference', 'HttpHop: schema required', 'InputInfo: additionalProperties', 'Extra: in the schema']) {
      expect(problems.some((p) => p.startsWith(what)), what).toBe(true);
    }
    expect(problems).toHaveLength(5);
  });

  it('has the enums of ERROR_CODES, Stage and HostRole', () => {
    const d = obsSchema.definitions as Json;
    expect(d.ErrorCode.enum).toEqual([...ERROR_CODES]);
    expect(d.Stage.enum).toEqual(unions.get('Stage'));
    expect(d.HostRole.enum).toEqual(unions.get('HostRole'));
  });

  it('documents every field', () => {
    expect(undocumented(obsSchema)).toEqual([]);
  });

  const bad: [string, (o: Json) => void][] = [
    ['a bad error code', (o) => o.errors[0].code = 'ETIMEDOUT'],
    ['a bad stage', (o) => o.errors[0].stage = 'smtp'],
    ['a missing dns field', (o) => delete o.dns.caa],
    ['an unknown top-level key', (o) => (o.verdict = 'cloudfront')],
    ['an unknown key in a closed type', (o) => (o.tls[0].chain[0].pem = '-----BEGIN')],
    ['another format version', (o) => (o.observation = 2)],
    ['a header that is not a pair', (o) => o.http[0].headers.push(['server', 'nginx', 'extra'])],
    ['a bad host role', (o) => o.dns.hosts['www.hikvision.com'].roles.push('cdn')],
    ['an unknown ASN source', (o) => (o.addresses['127.16.0.20'].source = 'whois')],
    ['a soa that is a string', (o) => (o.dns.soa = 'ns1.hikvision.com')],
    ['an input row without a line', (o) => delete o.input.line],
    ['an input column that is an object', (o) => (o.input.extra = { a: 1 })],
  ];
  for (const [what, mutate] of bad) {
    it(`rejects ${what}`, () => {
      const o = richObservation() as unknown as Json;
      mutate(o);
      expect(validateObs(o)).toBe(false);
    });
  }
});

describe('result.schema.json', () => {
  it('accepts results with every category', () => {
    const empty: Result = { domain: 'example.com', input: { line: 1 }, status: 'failed', services: emptyServices(), errors: [] };
    expect(validateRes(empty), errorsOf(validateRes)).toBe(true);
    expect(validateRes(richResult()), errorsOf(validateRes)).toBe(true);
    // Every field of every definition is used by the certificate attribution (root is certificate-only).
    const all = compile(everyFieldRequired(resSchema));
    const rich = richResult();
    const onlyCert: Result = { ...rich, services: { ...emptyServices(), certificate: rich.services.certificate } };
    expect(all(onlyCert), errorsOf(all)).toBe(true);
  });

  it('reads a Result written before root owners existed (no root, no key identifiers)', () => {
    const old = richResult();
    for (const a of old.services.certificate) delete a.root;
    expect(validateRes(old), errorsOf(validateRes)).toBe(true);
  });

  it('lists exactly the keys, optionality and JSON types of the TS interfaces', () => {
    expect(compareShapes(resSchema, 'Result')).toEqual([]);
    const defined = new Set(['Result', ...Object.keys(resSchema.definitions as Json)]);
    expect([...reachable('Result')].filter((n) => !defined.has(n))).toEqual([]);
  });

  it('requires exactly the nine CATEGORIES, closed', () => {
    const s = (resSchema.definitions as Json).Services as Json;
    expect(s.required).toEqual([...CATEGORIES]);
    expect(Object.keys(s.properties as Json)).toEqual([...CATEGORIES]);
    expect(Object.keys(emptyServices())).toEqual([...CATEGORIES]);
    expect(s.additionalProperties).toBe(false);
  });

  it('shares ProbeError, InputInfo and the enums with the Observation schema', () => {
    for (const name of ['ProbeError', 'InputInfo', 'ErrorCode', 'Stage']) {
      expect((resSchema.definitions as Json)[name], name).toEqual((obsSchema.definitions as Json)[name]);
    }
    expect((resSchema.definitions as Json).ResultStatus.enum).toEqual(unions.get('ResultStatus'));
  });

  it('documents every field', () => {
    expect(undocumented(resSchema)).toEqual([]);
  });

  const bad: [string, (r: Json) => void][] = [
    ...CATEGORIES.map((c): [string, (r: Json) => void] => [`a missing category (${c})`, (r) => delete r.services[c]]),
    ['an unknown category', (r) => (r.services.vpn = [])],
    ['a bad error code', (r) => (r.errors[0].code = 'ECONNRESET')],
    ['a bad status', (r) => (r.status = 'done')],
    ['a confidence above 1', (r) => (r.services.cdn[0].confidence = 1.5)],
    ['a lowercase country', (r) => (r.services.cdn[0].country = 'us')],
    ['an attribution without evidence', (r) => delete r.services.cdn[0].evidence],
    ['an attribution with an unknown key', (r) => (r.services.cdn[0].asn = 16509)],
  ];
  for (const [what, mutate] of bad) {
    it(`rejects ${what}`, () => {
      const r = richResult() as unknown as Json;
      mutate(r);
      expect(validateRes(r)).toBe(false);
    });
  }
});
