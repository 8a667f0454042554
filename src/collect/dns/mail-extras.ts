// Bounded extra look-ups at fixed names under the domain: the DKIM keys platforms publish under
// their default selectors (they reveal the real mail platform, which a security gateway's MX
// hides), autodiscover, and the TXT tokens services verify at their own names (_amazonses, asuid,
// _vercel). The selectors and names are the ones the vendor rules mention (at most 11 together,
// semantics.ts), so at most a dozen queries per existing domain (a sending-only domain has DKIM
// keys but no MX), all optional: an answer missing or failing costs nothing and is never an error
// of the domain.
import type { DkimRecord, NamedTxt } from '../../types.js';
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

export interface ExtraNames {
  /** DKIM selectors: <selector>._domainkey.<domain> TXT. */
  selectors: readonly string[];
  /** Service names: <name>.<domain> TXT. */
  names: readonly string[];
}

export async function gatherMailExtras(domain: string, r: Resolver, ask: ExtraNames): Promise<{ dkim: DkimRecord[]; autodiscover: string[]; named: NamedTxt[] }> {
  const { selectors, names } = ask;
  const quiet = async (name: string, type: 'TXT' | 'CNAME'): Promise<Answer[]> => {
    try {
      return (await r.query(name, type)).answers;
    } catch {
      return []; // optional: a timeout here must not mark the domain partial
    }
  };
  const [auto, ...rest] = await Promise.all([
    quiet(`autodiscover.${domain}`, 'CNAME'),
    ...selectors.map((s) => quiet(`${s}._domainkey.${domain}`, 'TXT')),
    ...names.map((n) => quiet(`${n}.${domain}`, 'TXT')),
  ]);
  const keys = rest.slice(0, selectors.length);
  const named: NamedTxt[] = [];
  names.forEach((name, i) => {
    const owner = `${name}.${domain}`;
    const txt = txtOf(rest[selectors.length + i]!.filter((x) => x.name.toLowerCase() === owner));
    if (txt.length > 0) named.push({ name, txt: txt.slice(0, 8).map((t) => t.slice(0, 400)) });
  });
  const dkim: DkimRecord[] = [];
  selectors.forEach((selector, i) => {
    const answers = keys[i]!;
    const name = `${selector}._domainkey.${domain}`;
    const cname = chainOf(answers, name);
    const end = cname.length > 0 ? cname[cname.length - 1]! : name;
    const txt = txtOf(answers.filter((x) => x.name.toLowerCase() === end)).filter((t) => /(^|;)\s*(v=DKIM1|k=|p=)/i.test(t)).map((t) => t.slice(0, 200));
    if (cname.length > 0 || txt.length > 0) dkim.push({ selector, cname, txt });
  });
  return { dkim, autodiscover: chainOf(auto, `autodiscover.${domain}`), named };
}
