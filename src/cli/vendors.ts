// `whoserves vendors`: list and lint the vendor database.
import type { Command } from 'commander';
import { notYet } from './not-yet.js';

export function registerVendors(program: Command): void {
  const cmd = program
    .command('vendors')
    .summary('list the vendor database, or lint it')
    .option('--category <c>', 'only vendors of this category')
    .option('--country <cc>', 'only vendors whose company is based in CC')
    .option('--search <text>', 'only vendors whose id, name or company contains TEXT')
    .option('--format <format>', 'table or json', 'table')
    .action(async () => notYet('vendors'));
  cmd
    .command('lint')
    .description('validate the vendor database and run every rule example')
    .option('--vendors <file>', 'also lint this overlay file')
    .action(async () => notYet('vendors lint'));
}
