// `whoserves world`: serve, generate and export simulated worlds.
import type { Command } from 'commander';
import { intArg } from './options.js';
import { notYet } from './not-yet.js';

export function registerWorld(program: Command): void {
  const world = program.command('world').summary('the simulated internet: serve, generate, export-zones');
  world
    .command('serve')
    .description('serve a world (DNS, TLS, HTTP on loopback) and print its addresses as one JSON line')
    .argument('<file>', 'world JSON file')
    .option('--standard-ports', 'bind 53/80/443 (needs privileges)')
    .option('--latency <ms>', "override the world's latencyMs", intArg(0, 60_000))
    .action(async () => notYet('world serve'));
  world
    .command('generate')
    .description('print a large realistic world for benchmarks, deterministic per seed')
    .requiredOption('--domains <n>', 'number of company domains', intArg(1, 1_000_000))
    .option('--seed <s>', 'random seed', intArg(0, 2 ** 31), 1)
    .option('--faults <fraction>', 'fraction of domains with a fault (0..1)', '0')
    .option('--latency <ms>', 'latencyMs of the world', intArg(0, 60_000), 0)
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .action(async () => notYet('world generate'));
  world
    .command('export-zones')
    .description("write the world's zones as RFC 1035 zone files into DIR")
    .argument('<file>', 'world JSON file')
    .argument('<dir>', 'output directory')
    .action(async () => notYet('world export-zones'));
}
