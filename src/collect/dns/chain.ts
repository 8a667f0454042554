// Following a CNAME chain to its end: the hops the recursive answer already carries first,
// then a new question for a target it left unresolved. Loops and overlong chains are errors.
import { DnsError } from './errors.js';
import type { DnsAnswer, Resolver } from './resolver.js';
import { stringData, type Answer, type QueryType } from './wire.js';

/** Longest chain followed; real chains (www → CDN → edge) are 2-4 hops. */
export const MAX_CNAME_HOPS = 10;

export interface ChainResult {
  /** Each CNAME target in order (lowercase, no trailing dot); empty when the name has no CNAME. */
  chain: string[];
  /** The name the records belong to: the last target, or the name itself. */
  final: string;
  /** Records of the asked type owned by `final`. */
  records: Answer[];
  /** The rcode for `final`: NXDOMAIN at the end of a chain means a dangling CNAME. */
  rcode: DnsAnswer['rcode'];
}

export async function followChain(r: Resolver, name: string, type: Exclude<QueryType, 'CNAME'>): Promise<ChainResult> {
  const chain: string[] = [];
  let answer = await r.query(name, type);
  let current = answer.name; // the name as asked: normalised
  const seen = new Set<string>([current]);
  for (let round = 0; round <= MAX_CNAME_HOPS; round++) {
    const before = chain.length;
    // Walk the hops inside this answer, in chain order, whatever order the records came in.
    for (;;) {
      const hop = answer.answers.find((a) => a.type === 'CNAME' && a.name === current);
      if (!hop) break;
      const target = stringData(hop);
      if (seen.has(target)) throw new DnsError('DNS_CNAME_LOOP', `CNAME loop: ${[name, ...chain, target].join(' → ')}`);
      if (chain.length >= MAX_CNAME_HOPS) throw new DnsError('DNS_CNAME_LOOP', `CNAME chain from ${name} longer than ${MAX_CNAME_HOPS} hops`);
      seen.add(target);
      chain.push(target);
      current = target;
    }
    const records = answer.answers.filter((a) => a.type === type && a.name === current);
    // Records, or a chain that did not move (NODATA/NXDOMAIN for the last name asked): done.
    if (records.length > 0 || chain.length === before) return { chain, final: current, records, rcode: records.length > 0 ? 'NOERROR' : answer.rcode };
    // The answer ended on a target without its records: ask about the target itself.
    answer = await r.query(current, type);
  }
  throw new DnsError('DNS_CNAME_LOOP', `CNAME chain from ${name} longer than ${MAX_CNAME_HOPS} hops`);
}
