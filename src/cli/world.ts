// `whoserves world`: serve, generate and export simulated worlds.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { intArg } from './options.js';

function fraction(value: string): number {
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || n < 0 || n > 1) throw new InvalidArgumentError(`expected a fraction from 0 to 1, got '${value}'`);
  return n;
}

export function registerWorld(program: Command): void {
  const world = program
    .command('world')
    .summary('the simulated internet: serve and generate worlds')
    .description('A world is a simulated internet described by one JSON file: real DNS, TLS and HTTP servers on loopback. Serve one for other tools, generate a large one, or export its zones.')
    .addHelpText('after', '\nExamples:\n  whoserves world serve fixtures/worlds/study-2020.json\n  whoserves world generate --domains 10000 --seed 1 --faults 0.1 -o big.json');
  world
    .command('serve')
    .description('serve a world (DNS, TLS, HTTP on loopback) and print its addresses as one JSON line')
    .argument('<file>', 'world JSON file')
    .option('--standard-ports', 'bind 53/80/443 (needs privileges)')
    .option('--latency <ms>', "override the world's latencyMs", intArg(0, 60_000))
    .addHelpText('after', '\nExamples:\n  whoserves world serve fixtures/worlds/study-2020.json\n  whoserves world serve big.json --latency 50')
    .action(async (file: string, opts: { standardPorts?: boolean; latency?: number }) => {
      const { loadWorld } = await import('../world/load.js');
      const { startWorld } = await import('../world/start.js');
      const running = await startWorld(loadWorld(file), { standardPorts: opts.standardPorts, latencyMs: opts.latency });
      process.stdout.write(
        JSON.stringify({
          resolver: running.resolver,
          dns: { host: running.dnsHost, port: running.dnsPort },
          httpPort: running.httpPort,
          httpsPort: running.httpsPort,
          caFile: running.caFile,
          scan: `whoserves scan --resolver ${running.resolver} --https-port ${running.httpsPort} --http-port ${running.httpPort} --ca-file ${running.caFile} --allow-private --asn-source cymru DOMAINS`,
        }) + '\n',
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await running.close();
    });
  world
    .command('generate')
    .description('print a large realistic world for benchmarks, deterministic per seed')
    .requiredOption('--domains <n>', 'number of company domains', intArg(1, 1_000_000))
    .option('--seed <s>', 'random seed', intArg(0, 2 ** 31), 1)
    .option('--faults <fraction>', 'fraction of domains with a fault (0..1)', fraction, 0)
    .option('--latency <ms>', 'latencyMs of the world', intArg(0, 60_000), 0)
    .option('--http2', 'TLS sites also speak HTTP/2 (ALPN h2), as most real sites do')
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .addHelpText('after', '\nExamples:\n  whoserves world generate --domains 10000 --seed 1 --faults 0.1 -o big.json\n  whoserves scan --world big.json --format ndjson -o results.ndjson')
    .action(async (opts: { domains: number; seed: number; faults: number; latency: number; http2?: boolean; output?: string }) => {
      const { generateWorld } = await import('../world/generate.js');
      const text = JSON.stringify(generateWorld({ domains: opts.domains, seed: opts.seed, faults: opts.faults, latencyMs: opts.latency, http2: opts.http2 })) + '\n';
      if (opts.output) writeFileSync(opts.output, text);
      else process.stdout.write(text);
    });
  world
    .command('from-captures')
    .description('build a world and its labels from real captures (the .jsonl files of fixtures/real): each capture the only signal of one company')
    .argument('<paths...>', 'capture files (.jsonl) or directories of them')
    .requiredOption('-o, --output <file>', 'world JSON file to write')
    .requiredOption('--labels <file>', 'labels JSON file to write (score with the eval test or `jq`)')
    .addHelpText('after', '\nExamples:\n  whoserves world from-captures fixtures/real -o real.json --labels labels.json\n  whoserves scan --world real.json -f json -o results.json')
    .action(async (paths: string[], opts: { output: string; labels: string }) => {
      const { readCaptures, buildCaptureWorld } = await import('../world/captures.js');
      const { world, labels } = buildCaptureWorld(readCaptures(paths));
      writeFileSync(opts.output, `${JSON.stringify(world)}\n`);
      writeFileSync(opts.labels, `${JSON.stringify(labels, null, 1)}\n`);
      process.stdout.write(`${world.domains?.length ?? 0} captures → ${opts.output}, labels → ${opts.labels}\n`);
    });
  world
    .command('from-asn-pairs')
    .description('build a world and its labels from (AS number, organisation) pairs: each pair the only signal of one company')
    .argument('<file>', 'pairs JSON file ({"pairs": 1, "items": [{"asn", "name", "labels"}]}, e.g. fixtures/asn/pairs.json)')
    .requiredOption('-o, --output <file>', 'world JSON file to write')
    .requiredOption('--labels <file>', 'labels JSON file to write (score with `whoserves eval`)')
    .addHelpText('after', '\nExamples:\n  whoserves world from-asn-pairs pairs.json -o w.json --labels l.json\n  whoserves scan --world w.json --no-http -f json -o results.json')
    .action(async (file: string, opts: { output: string; labels: string }) => {
      const { readAsnPairs, buildAsnPairsWorld } = await import('../world/asn-pairs.js');
      const { world, labels } = buildAsnPairsWorld(readAsnPairs(file));
      writeFileSync(opts.output, `${JSON.stringify(world)}\n`);
      writeFileSync(opts.labels, `${JSON.stringify(labels, null, 1)}\n`);
      process.stdout.write(`${world.domains?.length ?? 0} pairs → ${opts.output}, labels → ${opts.labels}\n`);
    });
  world
    .command('export-zones')
    .description("write a world's zones as zone files (plus asn.cymru.com and zones.list) for NSD/Knot")
    .argument('<file>', 'world JSON file')
    .argument('<dir>', 'output directory')
    .option('--glue <ip>', 'address of the synthesized ns.<zone> when a zone has no NS', '127.0.0.1')
    .addHelpText('after', '\nExamples:\n  whoserves world export-zones fixtures/worlds/study-2020.json zones/\n  whoserves world export-zones big.json zones/ --glue 127.0.0.53')
    .action(async (file: string, dir: string, opts: { glue: string }) => {
      const { loadWorld } = await import('../world/load.js');
      const { exportZones } = await import('../world/export.js');
      const zones = exportZones(loadWorld(file).world, dir, { glueAddress: opts.glue });
      process.stdout.write(`${zones.length} zones written to ${dir}\n`);
    });
}
