// The fault matrix world: one domain per fault of docs/contracts.md "World", combined cases, and a
// healthy control. Every domain has NS at a vendor (alibaba) and MX at another (microsoft),
// so what DNS found can be checked on a domain whose web probes failed.
import { FAULTS, type FaultName, type World, type WorldSite } from '../../src/world/types.js';

export const CONTROL = 'control.test';
/** Domain of a single fault. */
export const single = (f: FaultName): string => `${f}.test`;

/** DNS faults act on the www host (the apex keeps its NS and MX), except NXDOMAIN and truncation, which act on the zone. */
const ZONE_WIDE: FaultName[] = ['dns-nxdomain', 'dns-truncate'];
const DNS_ON_WWW: FaultName[] = ['dns-servfail', 'dns-timeout', 'dns-malformed'];

export const COMBO = {
  /** www is a CNAME into a zone whose UDP answers are truncated; the site there trickles. */
  slowCname: 'combo-slowcname.test',
  /** The apex redirects to a gzip bomb on another host. */
  bombRedirect: 'combo-bomb.test',
  /** Expired certificate on the apex; www's DNS times out. */
  expiredDnsTimeout: 'combo-expired.test',
  /** Only the MX host's address lookup times out. */
  mxTimeout: 'combo-mx.test',
} as const;

const site = (title: string): WorldSite => ({
  tls: { ca: 'root' },
  http: { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', server: 'nginx' }, body: `<html><head><title>${title}</title></head><body>ok</body></html>` },
});

function zone(domain: string, mx = `${domain.replace(/\./g, '-')}.mail.protection.outlook.com.`): string[] {
  return ['@ NS ns1.alidns.com.', `@ MX 10 ${mx}`, '@ TXT "v=spf1 include:spf.protection.outlook.com -all"', '@ A 127.37.0.10', 'www A 127.37.0.10'];
}

export function faultWorld(): { world: World; domains: string[] } {
  const zones: Record<string, string[]> = {
    'alidns.com': ['ns1 A 127.37.0.53'],
    'outlook.com': [],
    'trunc-cdn.test': ['edge A 127.16.0.20'],
    'other-host.test': ['bomb A 127.16.0.21'],
  };
  const sites: Record<string, WorldSite> = {};
  const faults: NonNullable<World['faults']> = {};
  const domains: string[] = [];
  const addDomain = (d: string): void => {
    zones[d] = zone(d);
    zones['outlook.com']!.push(`${d.replace(/\./g, '-')}.mail.protection A 127.80.0.5`);
    sites[d] = site(d);
    sites[`www.${d}`] = site(`www ${d}`);
    domains.push(d);
  };
  addDomain(CONTROL);
  for (const f of FAULTS) {
    const d = single(f);
    addDomain(d);
    if (ZONE_WIDE.includes(f)) faults[d] = f;
    else if (DNS_ON_WWW.includes(f)) faults[`www.${d}`] = f;
    else {
      // Connection and HTTP faults on both web hosts, so no probe of the domain escapes them.
      faults[d] = f;
      faults[`www.${d}`] = f;
    }
  }

  addDomain(COMBO.slowCname);
  zones[COMBO.slowCname] = zones[COMBO.slowCname]!.filter((r) => !r.startsWith('www ')).concat('www CNAME edge.trunc-cdn.test.');
  faults['trunc-cdn.test'] = 'dns-truncate';
  faults[`www.${COMBO.slowCname}`] = 'slow';

  addDomain(COMBO.bombRedirect);
  zones[COMBO.bombRedirect] = zones[COMBO.bombRedirect]!.filter((r) => !r.startsWith('www '));
  delete sites[`www.${COMBO.bombRedirect}`];
  sites[COMBO.bombRedirect] = { tls: { ca: 'root' }, http: { status: 301, headers: { location: 'https://bomb.other-host.test/' } } };
  sites['bomb.other-host.test'] = site('bomb');
  faults['bomb.other-host.test'] = 'gzip-bomb';

  addDomain(COMBO.expiredDnsTimeout);
  faults[COMBO.expiredDnsTimeout] = 'expired-cert';
  faults[`www.${COMBO.expiredDnsTimeout}`] = 'dns-timeout';

  addDomain(COMBO.mxTimeout);
  faults[`${COMBO.mxTimeout.replace(/\./g, '-')}.mail.protection.outlook.com`] = 'dns-timeout';

  const world: World = {
    world: 1,
    description: 'fault matrix (test/e2e/faults.test.ts)',
    asns: [
      { asn: 16509, name: 'AMAZON-02', country: 'US', prefixes: ['127.16.0.0/16'] },
      { asn: 37963, name: 'ALIBABA-CN-NET', country: 'CN', prefixes: ['127.37.0.0/16'] },
      { asn: 8075, name: 'MICROSOFT-CORP-MSN-AS-BLOCK', country: 'US', prefixes: ['127.80.0.0/16'] },
    ],
    // Sites are issued by the root: its key is made before the world answers, so no handshake
    // waits for key generation on a loaded machine (an intermediate's key is made on first use).
    cas: [
      { id: 'root', subject: { CN: 'DigiCert Global Root CA', O: 'DigiCert Inc', C: 'US' } },
    ],
    zones,
    sites,
    faults,
  };
  return { world, domains };
}
