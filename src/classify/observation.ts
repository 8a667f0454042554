// Reading a saved Observation (one ndjson line of `scan --raw`): check the shape the classifier
// relies on and fill the lists an older or hand-written file may leave out.
import { InputError } from '../errors.js';
import { emptyObservation, type Observation } from '../types.js';

export class ObservationError extends InputError {
  override name = 'ObservationError';
  constructor(message: string) {
    super('OBSERVATION', message);
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function list(parent: Record<string, unknown>, key: string, where: string): unknown[] {
  const v = parent[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ObservationError(`${where}${key}: expected an array`);
  return v;
}

function strings(parent: Record<string, unknown>, key: string, where: string): string[] {
  const v = list(parent, key, where);
  if (!v.every((x) => typeof x === 'string')) throw new ObservationError(`${where}${key}: expected strings`);
  return v as string[];
}

/** Parse one line; throws ObservationError with a one-line reason. */
export function parseObservation(line: string): Observation {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (e) {
    throw new ObservationError(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isObject(data)) throw new ObservationError('expected an object');
  if (data.observation !== 1) throw new ObservationError(`observation: expected format 1, got ${JSON.stringify(data.observation)}`);
  if (typeof data.domain !== 'string' || data.domain === '') throw new ObservationError('domain: expected a non-empty string');
  const input = isObject(data.input) && typeof data.input.line === 'number' ? data.input : { line: 0 };
  const o = emptyObservation(data.domain, input as Observation['input']);
  if (typeof data.unicode === 'string') o.unicode = data.unicode;
  const dns = data.dns === undefined ? {} : data.dns;
  if (!isObject(dns)) throw new ObservationError('dns: expected an object');
  o.dns.ns = strings(dns, 'ns', 'dns.');
  o.dns.txt = strings(dns, 'txt', 'dns.');
  o.dns.dmarc = strings(dns, 'dmarc', 'dns.');
  o.dns.mx = list(dns, 'mx', 'dns.').map((m, i) => {
    if (!isObject(m) || typeof m.exchange !== 'string' || typeof m.preference !== 'number') throw new ObservationError(`dns.mx[${i}]: expected { preference, exchange }`);
    return { preference: m.preference, exchange: m.exchange };
  });
  o.dns.caa = list(dns, 'caa', 'dns.') as Observation['dns']['caa'];
  if (dns.dkim !== undefined) {
    o.dns.dkim = list(dns, 'dkim', 'dns.').map((k, i) => {
      const where = `dns.dkim[${i}].`;
      if (!isObject(k) || typeof k.selector !== 'string') throw new ObservationError(`${where.slice(0, -1)}: expected { selector, cname, txt }`);
      return { selector: k.selector, cname: strings(k, 'cname', where), txt: strings(k, 'txt', where) };
    });
  }
  if (dns.autodiscover !== undefined) o.dns.autodiscover = strings(dns, 'autodiscover', 'dns.');
  if (dns.named !== undefined) {
    o.dns.named = list(dns, 'named', 'dns.').map((k, i) => {
      const where = `dns.named[${i}].`;
      if (!isObject(k) || typeof k.name !== 'string') throw new ObservationError(`${where.slice(0, -1)}: expected { name, txt }`);
      return { name: k.name, txt: strings(k, 'txt', where) };
    });
  }
  if (dns.soa !== undefined && dns.soa !== null) {
    const s = dns.soa;
    if (!isObject(s) || typeof s.mname !== 'string' || typeof s.rname !== 'string') throw new ObservationError('dns.soa: expected { mname, rname, serial }');
    o.dns.soa = { mname: s.mname, rname: s.rname, serial: typeof s.serial === 'number' ? s.serial : 0 };
  }
  const hosts = dns.hosts === undefined ? {} : dns.hosts;
  if (!isObject(hosts)) throw new ObservationError('dns.hosts: expected an object');
  for (const [name, h] of Object.entries(hosts)) {
    const where = `dns.hosts[${JSON.stringify(name)}].`;
    if (!isObject(h)) throw new ObservationError(`${where.slice(0, -1)}: expected an object`);
    o.dns.hosts[name] = { roles: strings(h, 'roles', where) as Observation['dns']['hosts'][string]['roles'], cname: strings(h, 'cname', where), a: strings(h, 'a', where), aaaa: strings(h, 'aaaa', where) };
  }
  const addresses = data.addresses === undefined ? {} : data.addresses;
  if (!isObject(addresses)) throw new ObservationError('addresses: expected an object');
  for (const [ip, a] of Object.entries(addresses)) {
    if (!isObject(a) || !(a.asn === null || typeof a.asn === 'number')) throw new ObservationError(`addresses[${JSON.stringify(ip)}]: expected { asn, ... }`);
    o.addresses[ip] = a as unknown as Observation['addresses'][string];
  }
  o.tls = list(data, 'tls', '').map((t, i) => {
    if (!isObject(t) || !Array.isArray(t.chain)) throw new ObservationError(`tls[${i}].chain: expected an array`);
    t.chain.forEach((c: unknown, j: number) => {
      if (!isObject(c) || !isObject(c.issuer)) throw new ObservationError(`tls[${i}].chain[${j}].issuer: expected an object`);
    });
    return t as unknown as Observation['tls'][number];
  });
  o.http = list(data, 'http', '').map((x, i) => {
    if (!isObject(x) || typeof x.url !== 'string') throw new ObservationError(`http[${i}].url: expected a string`);
    const headers = list(x, 'headers', `http[${i}].`);
    if (!headers.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string')) throw new ObservationError(`http[${i}].headers: expected [name, value] pairs`);
    const html = x.html;
    if (html !== undefined) {
      if (!isObject(html)) throw new ObservationError(`http[${i}].html: expected an object`);
      const w = `http[${i}].html.`;
      x.html = { ...html, meta: list(html, 'meta', w), scripts: strings(html, 'scripts', w), links: list(html, 'links', w), iframes: strings(html, 'iframes', w), images: strings(html, 'images', w), inlineUrls: strings(html, 'inlineUrls', w), ids: strings(html, 'ids', w), forms: list(html, 'forms', w), ...(html.imports !== undefined ? { imports: strings(html, 'imports', w) } : {}) };
    }
    return { ...x, redirects: list(x, 'redirects', `http[${i}].`), headers } as unknown as Observation['http'][number];
  });
  o.errors = list(data, 'errors', '') as Observation['errors'];
  return o;
}
