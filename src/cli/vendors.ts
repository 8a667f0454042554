// `whoserves vendors`: list, show and lint the vendor database.
import type { Command } from 'commander';
import { collect } from './options.js';
import type { VendorsOptions } from './vendors-run.js';

export function registerVendors(program: Command): void {
  const cmd = program
    .command('vendors')
    .summary('list the vendor database, show a vendor, or lint it')
    .option('--category <c>', 'only vendors of this category')
    .option('--country <cc>', 'only vendors whose company is based in CC')
    .option('--search <text>', 'only vendors whose id, name or company contains TEXT')
    .option('--format <format>', 'table or json', 'table')
    .option('--vendors <file>', 'overlay your own vendor rules (repeatable)', collect)
    .action(async (opts: VendorsOptions) => {
      const { runVendorsList } = await import('./vendors-run.js');
      runVendorsList(opts);
    });
  cmd
    .command('list')
    .description('table of vendor id, name, company, country and categories (the default)')
    .action(async (_o: unknown, sub: Command) => {
      const { runVendorsList } = await import('./vendors-run.js');
      runVendorsList(sub.optsWithGlobals<VendorsOptions>());
    });
  cmd
    .command('show')
    .description('print one vendor entry as JSON')
    .argument('<id>', 'vendor id')
    .action(async (id: string, _o: unknown, sub: Command) => {
      const { runVendorsShow } = await import('./vendors-run.js');
      runVendorsShow(id, sub.optsWithGlobals<VendorsOptions>());
    });
  cmd
    .command('lint')
    .description('validate the vendor database (schema, semantics) and run every rule example; exit 1 on problems')
    .argument('[files...]', 'overlay files to lint together with the shipped data')
    .action(async (files: string[], _o: unknown, sub: Command) => {
      const { runVendorsLint } = await import('./vendors-run.js');
      runVendorsLint(files, sub.optsWithGlobals<VendorsOptions>());
    });
}
