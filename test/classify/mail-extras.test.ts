// DKIM keys under default selectors, autodiscover, DMARC report addresses and CAA, classified with
// the shipped vendor data: the mail platform behind a gateway, report vendors, authorised CAs.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/index.js';
import { extraNames, loadVendorDb } from '../../src/vendors/load.js';
import { MAX_EXTRA_NAMES } from '../../src/vendors/semantics.js';
import { emptyObservation, type Attribution } from '../../src/types.js';

const db = loadVendorDb();
const names = (as: Attribution[]) => as.map((a) => [a.company, a.evidence.join(' | ')]);

describe('mail extras and CAA', () => {
  it('names Microsoft 365 behind a gateway MX from its DKIM CNAMEs and autodiscover', () => {
    const o = emptyObservation('example.com', { line: 1 });
    o.dns.mx = [{ preference: 10, exchange: 'mx1.gateway.example.net' }];
    o.dns.dkim = [{ selector: 'selector1', cname: ['selector1-example-com._domainkey.example.onmicrosoft.com'], txt: ['v=DKIM1; k=rsa; p=MIIB'] }];
    o.dns.autodiscover = ['autodiscover.outlook.com'];
    const email = classify(o, db).services.email.filter((a) => a.vendor !== null);
    expect(names(email)).toEqual([['microsoft', 'DKIM selector1._domainkey CNAME selector1-example-com._domainkey.example.onmicrosoft.com | autodiscover CNAME autodiscover.outlook.com']]);
  });

  it('a Google key under "google" names Google; a CNAME elsewhere under that selector does not', () => {
    const o = emptyObservation('example.com', { line: 1 });
    o.dns.dkim = [{ selector: 'google', cname: [], txt: ['v=DKIM1; k=rsa; p=MIIB'] }];
    expect(classify(o, db).services.email.map((a) => a.company)).toEqual(['google']);
    o.dns.dkim = [{ selector: 'google', cname: ['google.dkim.example.net'], txt: ['v=DKIM1; p=MIIB'] }];
    expect(classify(o, db).services.email).toEqual([]);
  });

  it('the platforms\' default selectors name them by their CNAME targets; a sender\'s key is saas, not the mail platform', () => {
    const o = emptyObservation('example.com', { line: 1 });
    o.dns.mx = [{ preference: 10, exchange: 'mx1.gateway.example.net' }];
    o.dns.dkim = [
      { selector: 'selector1', cname: ['selector1-example-com._domainkey.example.n-v1.dkim.mail.microsoft'], txt: [] },
      { selector: 'zendesk1', cname: ['zendesk1._domainkey.zendesk.com'], txt: [] },
      { selector: 's1', cname: ['s1.domainkey.u123.wl1.sendgrid.net'], txt: [] },
      { selector: 'k1', cname: ['dkim.example.net'], txt: [] },
    ];
    const r = classify(o, db);
    expect(r.services.email.filter((a) => a.vendor !== null).map((a) => a.company).sort()).toEqual(['microsoft']);
    expect(r.services.saas.map((a) => a.company).sort()).toEqual(['twilio', 'zendesk']);
  });

  it('DMARC report addresses are saas of the report vendor; the company own mailbox names nobody', () => {
    const o = emptyObservation('example.com', { line: 1 });
    o.dns.dmarc = ['v=DMARC1; p=reject; rua=mailto:dmarc@example.com,mailto:abc@ag.dmarcian.com; ruf=mailto:abc@fr.dmarcian.com'];
    expect(names(classify(o, db).services.saas)).toEqual([['dmarcian', 'DMARC rua to ag.dmarcian.com | DMARC ruf to fr.dmarcian.com']]);
    o.dns.dmarc = ['v=DMARC1; p=none; rua=mailto:dmarc@dmarcian.com.example.net'];
    expect(classify(o, db).services.saas).toEqual([]);
  });

  it('a DMARC rule that names a local part matches that mailbox only, not every address at the domain', () => {
    const o = emptyObservation('example.com', { line: 1 });
    o.dns.dmarc = ['v=DMARC1;p=none;rua=mailto:MailAuth-Reports@QQ.com'];
    expect(names(classify(o, db).services.saas)).toEqual([['tencent', 'DMARC rua to qq.com']]);
    o.dns.dmarc = ['v=DMARC1; p=none; rua=mailto:12345678@qq.com'];
    expect(classify(o, db).services.saas).toEqual([]);
  });

  it('CAA is lower-confidence certificate evidence, said to be an authorisation, merged with the served issuer', () => {
    const o = emptyObservation('example.com', { line: 1 });
    o.dns.caa = [{ flags: 0, tag: 'issue', value: 'letsencrypt.org' }, { flags: 0, tag: 'iodef', value: 'mailto:sec@example.com' }];
    const [a] = classify(o, db).services.certificate;
    expect(a?.company).toBe('isrg');
    expect(a?.confidence).toBeLessThan(0.7);
    expect(a?.evidence).toEqual(['CAA 0 issue "letsencrypt.org" (authorised by CAA, not the certificate served)']);
  });

  it('asks only the selectors and service names the rules mention, at most a dozen queries with autodiscover', () => {
    const { selectors, names } = extraNames(db);
    expect(selectors).toEqual(expect.arrayContaining(['google', 'selector1']));
    expect(names).toEqual(expect.arrayContaining(['_amazonses']));
    expect(selectors.length + names.length).toBeLessThanOrEqual(MAX_EXTRA_NAMES);
  });

  it('a token at its service name names the service; the same token at the apex does not', () => {
    const o = emptyObservation('example.com', { line: 1 });
    o.dns.named = [{ name: '_amazonses', txt: ['pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU='] }];
    expect(names(classify(o, db).services.saas)).toEqual([['amazon', 'TXT _amazonses pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=']]);
    o.dns.named = [];
    o.dns.txt = ['pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU='];
    expect(classify(o, db).services.saas).toEqual([]);
  });
});
