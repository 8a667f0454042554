// Bounded extra look-ups that reveal the real mail platform, which a security gateway's MX hides:
// the DKIM keys platforms publish under their default selectors, and autodiscover; and the TXT
// records at the fixed service names vendors verify a domain with (_vercel, _amazonses). The
// selectors and names are the ones the vendor rules name (at most 11 and 8, semantics.ts), so at
// most a score of queries per existing domain (a sending-only domain has DKIM keys but no MX), all
// optional: an answer missing or failing costs nothing and is never an error of the domain.
import type { DkimRecord, ServiceTxt } from '../../types.js';
import type { Resolver } from './resolver.js';
import { stringData, type Answer } from './wire.js';
import { txtOf } from './gather.js';


const MAX_CHAIN = 8;

/** The CNAME chain from `name` in an answer section, in order. */
function chainOf(answers: Answer[], name: string): string[] {
  const out: string[] = [];
  let at = name;
  for (let i = 0; i < MAX_CHAIN; i++) {
    const next = answers.find((x) => x.type === 'CNAME' && x.name.toLowerCase() === at);
    if (!next) break;
    at = stringData(next).toLowerCase().replace(/\.$/, '');
    out.push(at);
  }
  return out;
}

export async function gatherMailExtras(domain: string, r: Resolver, selectors: readonly string[], txtNames: readonly string[] = []): Promise<{ dkim: DkimRecord[]; autodiscover: string[]; serviceTxt: ServiceTxt[] }> {
  const quiet = async (name: string, type: 'TXT' | 'CNAME'): Promise<Answer[]> => {
    try {
      return (await r.query(name, type)).answers;
    } catch {
      return []; // optional: a timeout here must not mark the domain partial
    }
  };
  const [[auto, ...keys], services] = await Promise.all([
    Promise.all([quiet(`autodiscover.${domain}`, 'CNAME'), ...selectors.map((s) => quiet(`${s}._domainkey.${domain}`, 'TXT'))]),
    Promise.all(txtNames.map((n) => quiet(`${n}.${domain}`, 'TXT'))),
  ]);
  const dkim: DkimRecord[] = [];
  selectors.forEach((selector, i) => {
    const answers = keys[i]!;
    const name = `${selector}._domainkey.${domain}`;
    const cname = chainOf(answers, name);
    const end = cname.length > 0 ? cname[cname.length - 1]! : name;
    const txt = txtOf(answers.filter((x) => x.name.toLowerCase() === end)).filter((t) => /(^|;)\s*(v=DKIM1|k=|p=)/i.test(t)).map((t) => t.slice(0, 200));
    if (cname.length > 0 || txt.length > 0) dkim.push({ selector, cname, txt });
  });
  const serviceTxt: ServiceTxt[] = [];
  txtNames.forEach((n, i) => {
    const name = `${n}.${domain}`;
    const cname = chainOf(services[i]!, name);
    const end = cname.length > 0 ? cname[cname.length - 1]! : name;
    const txt = [...new Set(txtOf(services[i]!.filter((x) => x.name.toLowerCase() === end)).map((t) => t.slice(0, 200)))].sort();
    if (txt.length > 0) serviceTxt.push({ name: n, txt });
  });
  return { dkim, autodiscover: chainOf(auto!, `autodiscover.${domain}`), serviceTxt };
}
