// `whoserves scan`: input → collect → classify → report, streaming, interruptible.
import { existsSync } from 'node:fs';
import { EXIT } from './errors.js';
import { ExitCode, UsageError } from '../errors.js';
import type { ScanOptions } from './scan.js';
import { mergeLists, parseDomainList, readDomainFile, type DomainList } from '../input/read.js';
import { listDomains, loadList } from '../input/lists.js';
import { checkDestination, openDestination, ResultSink, type Destination, type OutputFormat } from '../report/output.js';
import { sanitizeLine } from '../report/sanitize.js';
import { toNdjsonLine } from '../report/json.js';
import { extraNames, loadVendorDb } from '../vendors/load.js';
import { classify } from '../classify/index.js';
import { openProbes, readPem } from '../collect/probes.js';
import { runScanLoop } from '../collect/scan.js';
import { loadWorld } from '../world/load.js';
import { startWorld, type RunningWorld } from '../world/start.js';
import { progressFor } from './progress.js';
import { checkBom, resolveOutput, terminalOf } from './output-defaults.js';
import { SIMULATED_NOTE } from '../monitor/meta.js';
import { WORLD_MARKER, WORLD_MARKER_TEXT } from '../world/dns/answer.js';
import { txtOf } from '../collect/dns/gather.js';
import type { Resolver } from '../collect/dns/resolver.js';
import type { Result } from '../types.js';
import { VERSION } from '../version.js';
import { inShard, parseShard } from '../monitor/shard.js';
import { ResumeLog } from '../monitor/resume.js';
import { keepHeapSmall } from './heap.js';
import { onStdoutClosed, stdoutClosed } from './pipe.js';

export async function runScan(args: string[], opts: ScanOptions): Promise<void> {
  keepHeapSmall();
  const startedAt = new Date().toISOString();
  // Every check comes first (destinations, input, vendors, CA file, world, resume log, ASN
  // data): a bad one costs nothing and touches no existing file. Files are opened after.
  if (opts.resumeRepair && !opts.resume) throw new UsageError('--resume-repair needs --resume FILE');
  const toFile = opts.output !== undefined && opts.output !== '-';
  if (toFile) checkDestination(opts.output!, '-o');
  if (opts.raw) checkDestination(opts.raw, '--raw');
  if (opts.resume) checkDestination(opts.resume, '--resume');
  const loadedWorld = opts.world ? loadWorld(opts.world) : undefined;
  const list = await readInput(args, opts, loadedWorld?.world.domains);
  for (const p of list.problems) {
    if (!opts.quiet || !p.duplicate) process.stderr.write(`${sanitizeLine(p.file)}:${p.line}: ${p.reason}: '${sanitizeLine(p.text)}'\n`);
  }
  let entries = list.entries;
  if (entries.length === 0) throw new UsageError('no usable domain to scan (give domains, a .txt/.csv file, --list NAME, - for stdin, or a --world that lists its domains)');
  if (opts.shard) {
    const shard = parseShard(opts.shard);
    entries = entries.filter((e) => inShard(e.domain, shard));
  }

  const db = loadVendorDb({ overlays: opts.vendors, ...(opts.ccadb ? { ccadb: opts.ccadb } : {}) });
  const { format, color, width } = resolveOutput<OutputFormat>(opts, terminalOf(opts.output), { terminal: 'table', piped: 'json' });
  checkBom(opts.bom, format);
  const extraCa = opts.caFile ? readCaFile(opts.caFile) : undefined;
  const resume = opts.resume ? await ResumeLog.read(opts.resume, { repair: opts.resumeRepair }) : undefined;
  // A dropped half-written row (a crash mid-write) is redone; say so rather than hide it.
  if (!opts.quiet) for (const w of resume?.warnings ?? []) process.stderr.write(`whoserves: warning: ${sanitizeLine(w)}\n`);

  let world: RunningWorld | undefined;
  // Starting a large world (its zones, its certificate authorities) takes a moment: say so.
  if (loadedWorld && !opts.quiet && process.stderr.isTTY) process.stderr.write(`starting world ${sanitizeLine(opts.world ?? '')}…\n`);
  if (loadedWorld) world = await startWorld(loadedWorld);
  // A bad --asn-db file is found while opening the probes: the world must not outlive it.
  const probeSet = await openProbes({
    resolvers: world ? [world.resolver] : opts.resolver,
    dnsTimeoutMs: opts.dnsTimeout * 1000,
    dnsRetries: opts.dnsRetries,
    dnsRate: opts.dnsRate,
    asnSource: opts.asnSource ?? (world ? 'cymru' : 'db'),
    asnDb: opts.asnDb,
    httpsPort: world ? world.httpsPort : opts.httpsPort,
    httpPort: world ? world.httpPort : opts.httpPort,
    caPem: [...(world ? [world.rootsPem] : []), ...(extraCa ? [extraCa] : [])],
    allowPrivate: Boolean(world) || Boolean(opts.allowPrivate),
    httpTimeoutMs: opts.httpTimeout * 1000,
    maxBody: opts.maxBody,
    maxSockets: opts.maxSockets,
    userAgent: opts.userAgent,
    saveBody: opts.saveBody,
    extraDns: opts.extraDns,
    extraNames: extraNames(db),
  }).catch(async (e: unknown) => {
    await world?.close();
    throw e;
  });
  let shut: Promise<void> | undefined;
  const shutdown = (): Promise<void> => (shut ??= (async () => {
    await probeSet.close();
    await world?.close();
  })());

  // Every check passed: from here on, files are written. ndjson streams into -o (a crash keeps
  // the rows written so far); other formats go to a temporary file renamed into place at the end.
  const dest = openDestination(opts.output, { streamed: format === 'ndjson', flag: '-o' });
  const raw = opts.raw ? new OrderedLines(openDestination(opts.raw, { streamed: true, flag: '--raw' })) : undefined;
  const sink = new ResultSink(dest, { format, by: opts.by, long: opts.long, color, width, bom: opts.bom });
  const tally = new Tally();
  // A world served by `world serve` says so when asked (--allow-private: worlds live on loopback).
  const served = !world && opts.allowPrivate ? askWorldMarker(probeSet.resolver) : Promise.resolve(false);
  let finished = false;
  try {
    await resume?.begin();
    const todo: { index: number; entry: (typeof entries)[number] }[] = [];
    const previous = new Map(resume?.previous.map((r) => [r.domain, r]));
    entries.forEach((entry, index) => {
      const prev = previous.get(entry.domain);
      if (prev) {
        sink.add(index, prev);
        tally.add(prev);
      } else todo.push({ index, entry });
    });

    const progress = opts.quiet ? undefined : progressFor(process.stderr, todo.length);
    const loop = runScanLoop(
      todo.map((t) => t.entry),
      probeSet.probes,
      {
        concurrency: opts.concurrency,
        deadlineMs: opts.timeout * 1000,
        web: opts.http,
        async onObservation(i, obs) {
          const result = classify(obs, db);
          raw?.add(i, toNdjsonLine(obs));
          sink.add(todo[i]!.index, result);
          tally.add(result);
          // A domain abandoned by a second Ctrl-C is unfinished: kept out of the resume log so
          // the resumed scan redoes it instead of skipping it forever.
          if (!result.errors.some((e) => e.stage === 'scan' && e.code === 'ABORTED')) await resume?.append(result);
        },
        onProgress: (p) => progress?.update(p),
      },
    );
    let sigints = 0;
    const onSigint = () => {
      loop.interrupt();
      progress?.note(sigints++ === 0 ? 'interrupted: finishing running domains (Ctrl-C again to abandon them)' : 'interrupted again: abandoning running domains');
    };
    // Nobody reads the output any more (`| head -1`): abandon the scan, keep the resume log.
    const onPipeClosed = () => {
      loop.interrupt();
      loop.interrupt();
    };
    process.on('SIGINT', onSigint);
    const unwatch = toFile ? undefined : onStdoutClosed(onPipeClosed);
    let interrupted = false;
    let servedWorld = false;
    try {
      interrupted = (await loop.finished).interrupted;
      // Asked while the resolver is open (it closes below).
      servedWorld = await served;
    } finally {
      process.off('SIGINT', onSigint);
      unwatch?.();
      progress?.done();
      await shutdown();
      await resume?.close();
      if (raw) await raw.end();
    }
    const simulated = opts.world ?? (servedWorld ? `a served world (resolver ${(opts.resolver ?? []).join(', ')})` : undefined);
    const meta = {
      tool: 'whoserves',
      version: VERSION,
      vendorDb: db.version,
      asnSource: probeSet.asn.kind,
      asnDate: probeSet.asn.date,
      startedAt,
      finishedAt: new Date().toISOString(),
      options: scanOptionsForMeta(opts),
      ...(opts.shard ? { shard: opts.shard } : {}),
      ...(simulated ? { simulated: { world: simulated, note: SIMULATED_NOTE } } : {}),
    };
    await sink.finish(opts.meta || format === 'html' ? meta : undefined, simulated);
    finished = true;
    warnOldAsnData(probeSet.asn.kind, probeSet.asn.date, opts.quiet);
    if (interrupted) throw new ExitCode(stdoutClosed() ? EXIT.pipe : EXIT.interrupted);
    const verdict = tally.verdict(opts.maxFailed);
    if (verdict) {
      process.stderr.write(`whoserves: ${verdict}\n`);
      throw new ExitCode(EXIT.unmeasured);
    }
  } finally {
    // A failed scan leaves the old -o file as it was (its temporary copy is removed).
    if (!finished) {
      await dest.abort?.();
      await shutdown();
    }
  }
}

/** Failed domains against all: whether CI can trust what was measured (exit 4 when not). */
class Tally {
  private total = 0;
  private failed = 0;

  add(r: Result): void {
    this.total++;
    if (r.status === 'failed') this.failed++;
  }

  verdict(maxFailedPct: number | undefined): string | undefined {
    if (this.total === 0) return undefined;
    const pct = (100 * this.failed) / this.total;
    if (this.failed === this.total) return `nothing was measured: all ${this.total} domain(s) failed (is the resolver reachable? see the errors in the results)`;
    if (maxFailedPct !== undefined && pct > maxFailedPct) return `${this.failed} of ${this.total} domains failed (${pct.toFixed(1)}%), more than --max-failed ${maxFailedPct}%`;
    return undefined;
  }
}

/** Whether the resolver answers as a whoserves world does (the world's marker TXT record). */
async function askWorldMarker(resolver: Resolver): Promise<boolean> {
  try {
    return txtOf((await resolver.query(WORLD_MARKER, 'TXT')).answers).includes(WORLD_MARKER_TEXT);
  } catch {
    return false;
  }
}

/** A list file's name (no domain ends so) or a relative or absolute path. */
const LOOKS_LIKE_A_PATH = /\.(txt|csv|tsv|tab|list|lst|dat|json|ndjson|xlsx?|ods)$|^(\.{1,2}\/|\/|~\/)/i;

async function readInput(args: string[], opts: ScanOptions, worldDomains: string[] | undefined): Promise<DomainList> {
  // `scan --world big.json` with no list scans the company domains the world is about.
  if (args.length === 0 && !opts.input && !opts.list && worldDomains && worldDomains.length > 0) return parseDomainList(worldDomains.join('\n'), `${opts.world} (domains)`, 'txt');
  const lists: DomainList[] = [];
  const inline: string[] = [];
  let stdinUsed = false;
  const files = [...(opts.input ? [opts.input] : [])];
  for (const a of args) {
    // An existing path is a list (read by its content, whatever its name); a missing one that
    // is plainly a path is an error rather than a domain to scan.
    if (a === '-' || existsSync(a)) files.push(a);
    else if (LOOKS_LIKE_A_PATH.test(a)) throw new UsageError(`${a}: no such file`);
    else inline.push(a);
  }
  if (inline.length) lists.push(parseDomainList(inline.join('\n'), '<args>', 'txt'));
  for (const f of files) {
    if (f === '-') {
      if (stdinUsed) continue;
      stdinUsed = true;
    }
    lists.push(await readDomainFile(f));
  }
  if (opts.list) lists.push(listDomains(loadList(opts.list)));
  return mergeLists(lists);
}

function scanOptionsForMeta(opts: ScanOptions): Record<string, unknown> {
  const keep = ['list', 'world', 'resolver', 'dnsTimeout', 'dnsRetries', 'dnsRate', 'asnSource', 'asnDb', 'concurrency', 'timeout', 'httpTimeout', 'maxBody', 'maxSockets', 'http', 'extraDns', 'vendors', 'ccadb', 'shard'] as const;
  const out: Record<string, unknown> = {};
  for (const k of keep) if (opts[k] !== undefined) out[k] = opts[k];
  return out;
}

function warnOldAsnData(kind: string, date: string | undefined, quiet?: boolean): void {
  if (quiet || kind !== 'db' || !date) return;
  const ageDays = (Date.now() - Date.parse(date)) / 86_400_000;
  if (ageDays > 365) {
    process.stderr.write(`whoserves: warning: the embedded IP → ASN data is from ${date}, over a year old; use --asn-source cymru or --asn-db FILE for fresher data\n`);
  }
}

function readCaFile(file: string): string {
  try {
    return readPem(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file (--ca-file)` : `${file}: ${(e as Error).message}`);
  }
}

/**
 * Raw Observations in input order (they finish in any order), so `whoserves classify` of the raw
 * file prints the same rows in the same order as the scan did. After an interrupt, what is
 * there is flushed in order, gaps and all.
 */
class OrderedLines {
  private readonly waiting = new Map<number, string>();
  private next = 0;
  private pending: Promise<void> = Promise.resolve();
  private failed: unknown;
  constructor(private readonly out: Destination) {}

  add(index: number, line: string): void {
    this.waiting.set(index, line);
    let text = '';
    while (this.waiting.has(this.next)) {
      text += this.waiting.get(this.next)!;
      this.waiting.delete(this.next++);
    }
    if (text) this.write(text);
  }

  private write(text: string): void {
    this.pending = this.pending.then(() => this.out.write(text)).catch((e: unknown) => {
      this.failed ??= e;
    });
  }

  async end(): Promise<void> {
    for (const [, line] of [...this.waiting.entries()].sort((a, b) => a[0] - b[0])) this.write(line);
    this.waiting.clear();
    await this.pending;
    if (this.failed) throw this.failed;
    await this.out.close();
  }
}
