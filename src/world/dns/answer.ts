// What the world's resolver answers to one question: pure, no sockets. It behaves like a
// recursive resolver in front of the world's zones (RA set, CNAME chains followed across zones,
// negative answers with the zone's SOA), with the world's DNS faults applied to the question name.
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { faultsFor, type FaultIndex } from '../faults.js';
import type { FaultName } from '../types.js';
import type { RecordStore, ZoneInfo, ZoneRecord } from '../zone.js';
import { CYMRU_ZONE, type CymruTable } from './cymru.js';

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const FLAG_RD = 1 << 8;
const FLAG_RA = 1 << 7;
/** Longest CNAME chain the server follows in one answer. */
export const MAX_CHAIN = 16;
/** Our own EDNS UDP payload size (the DNS Flag Day 2020 value). */
export const SERVER_UDP_SIZE = 1232;

/**
 * A world says it is one: `TXT` at this name answers WORLD_MARKER_TEXT, so a scan pointed at a
 * served world (`--resolver`, `--allow-private`) can mark its results as simulated. `.invalid`
 * (RFC 6761) never exists on the internet: a real resolver answers NXDOMAIN.
 */
export const WORLD_MARKER = 'simulated-world.whoserves.invalid';
export const WORLD_MARKER_TEXT = 'whoserves simulated world: not measured data';

export interface DnsWorld {
  store: RecordStore;
  faults: FaultIndex;
  cymru: CymruTable;
}

export type Reply =
  /** Say nothing (dns-timeout). */
  | { kind: 'drop' }
  /** Bytes that do not parse as DNS (dns-malformed); the id is kept so the client can tell. */
  | { kind: 'garbage' }
  /** A response; `truncateUdp` forces TC over UDP (dns-truncate). `udpSize` is what the client accepts. */
  | { kind: 'packet'; packet: Packet; udpSize: number; truncateUdp: boolean };

const DNS_FAULT_SET = new Set<FaultName>(['dns-servfail', 'dns-nxdomain', 'dns-timeout', 'dns-truncate', 'dns-malformed']);

export function answerQuery(w: DnsWorld, q: DecodedPacket): Reply {
  const opt = q.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  // RFC 6891: below 512 counts as 512; above our own advertised size we still send at most that.
  const udpSize = opt ? Math.max(512, Math.min(opt.udpPayloadSize ?? 512, SERVER_UDP_SIZE)) : 512;
  const response = (rcode: number, answers: Answer[] = [], authorities: Answer[] = []): Packet => ({
    type: 'response',
    id: q.id ?? 0,
    flags: FLAG_RA | ((q.flags ?? 0) & FLAG_RD) | rcode,
    questions: q.questions ?? [],
    answers,
    authorities,
    additionals: opt ? [{ type: 'OPT', name: '.', udpPayloadSize: SERVER_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
  });
  const packet = (p: Packet, truncateUdp = false): Reply => ({ kind: 'packet', packet: p, udpSize, truncateUdp });

  const opcode = (q as unknown as { opcode?: string }).opcode;
  const question = q.questions?.[0];
  if (opcode !== 'QUERY') return packet(response(RCODE.NOTIMP));
  if (!question || (q.questions?.length ?? 0) !== 1) return packet(response(RCODE.FORMERR));
  if (question.class !== undefined && question.class !== 'IN' && question.class !== 'ANY') return packet(response(RCODE.REFUSED));

  const qname = normal(question.name);
  const qtype = String(question.type).toUpperCase();
  const faults = faultsFor(w.faults, qname).filter((f) => DNS_FAULT_SET.has(f));
  if (faults.includes('dns-timeout')) return { kind: 'drop' };
  if (faults.includes('dns-malformed')) return { kind: 'garbage' };
  const truncate = faults.includes('dns-truncate');
  if (faults.includes('dns-servfail')) return packet(response(RCODE.SERVFAIL), truncate);
  if (faults.includes('dns-nxdomain')) {
    const zone = w.store.zoneOf(qname);
    return packet(response(RCODE.NXDOMAIN, [], zone ? [negativeSoa(zone)] : []), truncate);
  }

  if (qname === WORLD_MARKER && (qtype === 'TXT' || qtype === 'ANY')) {
    return packet(response(RCODE.NOERROR, [{ name: qname, type: 'TXT', ttl: 0, class: 'IN', data: [Buffer.from(WORLD_MARKER_TEXT, 'latin1')] }]));
  }
  if (qname === CYMRU_ZONE || qname.endsWith(`.${CYMRU_ZONE}`)) {
    const c = w.cymru.answer(qname);
    if (c.kind === 'nxdomain') return packet(response(RCODE.NXDOMAIN, [], [cymruSoa()]), truncate);
    if (c.kind === 'txt') {
      if (qtype !== 'TXT' && qtype !== 'ANY') return packet(response(RCODE.NOERROR, [], [cymruSoa()]), truncate);
      const txt: Answer = { name: qname, type: 'TXT', ttl: 14400, class: 'IN', data: [Buffer.from(c.text, 'latin1')] };
      return packet(response(RCODE.NOERROR, [txt]), truncate);
    }
  }

  const answers: Answer[] = [];
  let name = qname;
  const seen = new Set<string>([name]);
  for (let hop = 0; hop <= MAX_CHAIN; hop++) {
    // A chain target with DNS faults of its own is left for the client to ask about.
    if (hop > 0 && faultsFor(w.faults, name).some((f) => DNS_FAULT_SET.has(f))) break;
    if (qtype === 'ANY') {
      const all = w.store.all(name);
      if (all.length > 0) return packet(response(RCODE.NOERROR, all as Answer[]), truncate);
    }
    const r = w.store.lookup(name, qtype);
    if (r.kind === 'records') {
      answers.push(...(r.records as Answer[]));
      break;
    }
    if (r.kind === 'cname') {
      answers.push(r.record as Answer);
      if (qtype === 'CNAME') break;
      name = r.record.data;
      if (seen.has(name)) break; // a loop: the answer shows it, the client detects it
      seen.add(name);
      continue;
    }
    if (r.kind === 'nozone') return packet(response(RCODE.NXDOMAIN, answers), truncate);
    const rcode = r.kind === 'nxdomain' ? RCODE.NXDOMAIN : RCODE.NOERROR;
    return packet(response(rcode, answers, [negativeSoa(r.zone)]), truncate);
  }
  return packet(response(RCODE.NOERROR, answers), truncate);
}

/** RFC 2308: the SOA of a negative answer carries min(TTL, MINIMUM). */
function negativeSoa(zone: ZoneInfo): Answer {
  const soa = zone.soa;
  return { ...soa, name: soa.name === '' ? '.' : soa.name, ttl: Math.min(soa.ttl, soa.data.minimum) } as ZoneRecord as Answer;
}

function cymruSoa(): Answer {
  return {
    name: CYMRU_ZONE,
    type: 'SOA',
    ttl: 900,
    class: 'IN',
    data: { mname: 'ns.world.invalid', rname: 'hostmaster.world.invalid', serial: 1, refresh: 7200, retry: 3600, expire: 1209600, minimum: 900 },
  };
}

function normal(name: string): string {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.toLowerCase();
}
