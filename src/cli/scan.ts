// `whoserves scan`: flags only; the work is in ./scan-run.ts, loaded when the command runs.
import { Option, type Command } from 'commander';
import { addOutputOptions, collect, examples, intArg, percentArg, secondsArg, type OutputOptions } from './options.js';

export interface ScanOptions extends OutputOptions {
  input?: string;
  list?: string;
  world?: string;
  resolver?: string[];
  dnsTimeout: number;
  dnsRetries: number;
  dnsRate?: number;
  asnSource?: 'db' | 'cymru';
  asnDb?: string;
  httpsPort: number;
  httpPort: number;
  caFile?: string;
  allowPrivate?: boolean;
  http: boolean;
  userAgent?: string;
  saveBody?: boolean;
  extraDns?: boolean;
  concurrency: number;
  timeout: number;
  httpTimeout: number;
  maxBody: number;
  maxSockets: number;
  raw?: string;
  vendors?: string[];
  ccadb?: string;
  resume?: string;
  resumeRepair?: boolean;
  shard?: string;
  maxFailed?: number;
}

export function registerScan(program: Command): void {
  const cmd = program
    .command('scan')
    .summary('scan domains and print who provides their infrastructure')
    .description(
      'Scan domains (arguments, list files, or - for stdin) and print who provides their hosting, CDN, ' +
        'e-mail, certificate, DNS, CMS and analytics, with the evidence for each. A file is read by its content: ' +
        "one domain or URL a line, or a CSV/TSV (also semicolon-separated) with a 'domain' column.",
    )
    .argument('[domains...]', 'domains or URLs; an existing file is read as a list; - reads stdin');
  examples(cmd, [
    'whoserves scan hikvision.com dahuasecurity.com megvii.com',
    'whoserves scan firms.csv --format csv --bom -o providers.csv',
    'whoserves scan --world fixtures/worlds/study-2020.json -f html -o study.html',
  ]);
  const input = 'Input:';
  cmd
    .addOption(new Option('-i, --input <file>', 'read domains from FILE (one a line, or a table with a "domain" column)').helpGroup(input))
    .addOption(new Option('--list <name>', 'scan a sourced list shipped with whoserves (see: whoserves lists)').helpGroup(input))
    .addOption(new Option('--shard <k/n>', 'scan only the K-th of N deterministic slices of the input').helpGroup(input))
    .addOption(new Option('--resume <file>', 'append finished results to FILE (ndjson) and skip domains already in it').helpGroup(input))
    .addOption(new Option('--resume-repair', 'with --resume: drop corrupt lines of the log (with a warning) and scan their domains again').helpGroup(input));
  const probes = 'Probes:';
  cmd
    .addOption(new Option('--world <file>', 'scan a simulated world (started in-process) instead of the internet').helpGroup(probes))
    .addOption(new Option('--resolver <host[:port]>', 'DNS resolver to use (repeatable; default: /etc/resolv.conf)').argParser(collect).helpGroup(probes))
    .addOption(new Option('--dns-timeout <seconds>', 'per-query DNS timeout').argParser(secondsArg).default(2).helpGroup(probes))
    .addOption(new Option('--dns-retries <n>', 'DNS retries per query').argParser(intArg(0, 10)).default(2).helpGroup(probes))
    .addOption(new Option('--dns-rate <qps>', 'at most this many DNS queries per second per resolver').argParser(intArg(1, 1_000_000)).helpGroup(probes))
    .addOption(new Option('--asn-source <source>', 'IP → ASN: embedded database or Team Cymru over DNS').choices(['db', 'cymru']).helpGroup(probes))
    .addOption(new Option('--asn-db <file>', 'a newer IP → ASN database (ip-location-db CSV or iptoasn TSV)').helpGroup(probes))
    .addOption(new Option('--https-port <port>', 'port to connect to for HTTPS').argParser(intArg(1, 65535)).default(443).helpGroup(probes))
    .addOption(new Option('--http-port <port>', 'port to connect to for plain HTTP').argParser(intArg(1, 65535)).default(80).helpGroup(probes))
    .addOption(new Option('--ca-file <pem>', 'extra trusted root certificates (PEM)').helpGroup(probes))
    .addOption(new Option('--allow-private', 'allow connecting to loopback and private addresses (worlds set it)').helpGroup(probes))
    .addOption(new Option('--no-http', 'DNS and ASN only: no TLS or HTTP connections').helpGroup(probes))
    .addOption(new Option('--no-extra-dns', 'skip the mail look-ups (DKIM default selectors, autodiscover: up to 12 queries per domain)').helpGroup(probes))
    .addOption(new Option('--user-agent <ua>', 'HTTP User-Agent').helpGroup(probes))
    .addOption(new Option('--save-body', 'keep a bounded copy of each page body in the raw observations').helpGroup(probes))
    .addOption(new Option('--vendors <file>', 'overlay your own vendor rules (repeatable)').argParser(collect).helpGroup(probes))
    .addOption(new Option('--ccadb <file>', 'a CA index rebuilt from a newer CCADB report (whoserves data ccadb)').helpGroup(probes));
  const limits = 'Limits:';
  cmd
    .addOption(new Option('-c, --concurrency <n>', 'domains scanned at once').argParser(intArg(1, 4096)).default(64).helpGroup(limits))
    .addOption(new Option('--timeout <seconds>', 'deadline per domain; what was gathered by then is kept').argParser(secondsArg).default(20).helpGroup(limits))
    .addOption(new Option('--http-timeout <seconds>', 'deadline per HTTP request (all hops)').argParser(secondsArg).default(10).helpGroup(limits))
    .addOption(new Option('--max-body <bytes>', 'body cap, counted after decompression').argParser(intArg(1024, 64 * 1024 * 1024)).default(1024 * 1024).helpGroup(limits))
    .addOption(new Option('--max-sockets <n>', 'TCP connections open at once, across all domains').argParser(intArg(1, 65535)).default(512).helpGroup(limits))
    .addOption(new Option('--max-failed <pct>', 'exit 4 when more than PCT % of the domains failed (default: only when all did)').argParser(percentArg).helpGroup(limits));
  addOutputOptions(cmd);
  cmd.addOption(new Option('--raw <file>', 'also write the raw observations (ndjson) to FILE').helpGroup('Output:'));
  cmd.action(async (domains: string[], opts: ScanOptions) => {
    const { runScan } = await import('./scan-run.js');
    await runScan(domains, opts);
  });
}
