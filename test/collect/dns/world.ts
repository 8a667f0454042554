// A small world exercising every record type, chains, loops and each DNS fault.
import type { World } from '../../../src/world/types.js';

const bigTxt = Array.from({ length: 12 }, (_, i) => `@ TXT "verification-token-${i}-${'x'.repeat(120)}"`);

export const testWorld: World = {
  world: 1,
  zones: {
    'example.com': [
      '@ SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300',
      '@ NS ns1.example.com.',
      '@ NS NS2.Dns-Host.net.',
      '@ MX 20 mx.mailvendor.net.',
      '@ MX 10 mail.example.com.',
      '@ TXT "v=spf1 include:_spf.google.com -all"',
      '@ TXT "google-site-verification=abc" "def"',
      '@ CAA 0 issue "letsencrypt.org"',
      '@ CAA 128 iodef "mailto:sec@example.com"',
      '@ A 127.16.0.10',
      '@ A 127.16.0.9',
      '@ AAAA 2001:db8::10',
      'www CNAME edge.cdn.net.',
      'ns1 A 127.16.0.53',
      'mail A 127.16.0.25',
      '_dmarc TXT "v=DMARC1; p=reject"',
      '_sip._tcp SRV 10 5 5060 sip.example.com.',
    ],
    'dns-host.net': ['ns2 A 127.17.0.53', 'ns2 AAAA 2001:db8::53'],
    'mail-extras.test': [
      '@ MX 10 mx1.gateway.example.net.',
      'selector1._domainkey CNAME selector1-mail-extras-test._domainkey.contoso.onmicrosoft.com.',
      'google._domainkey TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkq"',
      's1._domainkey TXT "not a key"',
      'autodiscover CNAME autodiscover.outlook.com.',
      '_amazonses TXT "pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU="',
    ],
    'onmicrosoft.com': ['selector1-mail-extras-test._domainkey.contoso TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0B"'],
    'no-mail.test': ['@ A 127.16.0.11', 'autodiscover CNAME autodiscover.outlook.com.'],
    'mailvendor.net': ['mx A 127.18.0.25'],
    'cdn.net': ['edge CNAME e1.edge.cdn.net.', 'e1.edge A 127.19.0.1', 'e1.edge A 127.19.0.2'],
    'loop.test': ['@ A 127.20.0.1', 'www CNAME a.loop.test.', 'a CNAME b.loop.test.', 'b CNAME a.loop.test.'],
    // The chain's second hop is in a faulted zone: the server leaves it for the client to ask.
    'split.test': ['@ A 127.21.0.1', 'www CNAME x.trunc.test.'],
    'trunc.test': ['x A 127.22.0.1', ...bigTxt, '@ A 127.22.0.2'],
    'long.test': Array.from({ length: 14 }, (_, i) => `h${i} CNAME h${i + 1}.long.test.`).concat(['h14 A 127.23.0.1']),
    'xn--bcher-kva.test': ['@ A 127.24.0.1'],
    'servfail.test': ['@ A 127.25.0.1'],
    'timeout.test': ['@ A 127.26.0.1'],
    'malformed.test': ['@ A 127.27.0.1'],
    'nx.test': ['@ A 127.28.0.1'],
    'nowww.test': ['@ A 127.29.0.1', '@ MX 0 .'],
  },
  faults: {
    'servfail.test': 'dns-servfail',
    'timeout.test': 'dns-timeout',
    'malformed.test': 'dns-malformed',
    'nx.test': 'dns-nxdomain',
    'trunc.test': 'dns-truncate',
  },
};
