// `whoserves vendors`: list, show and lint the vendor database.
import type { Command } from 'commander';
import { collect, intArg } from './options.js';
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
    .command('asns')
    .description('the embedded IP → ASN database by company: the ASNs each is attributed, or the largest organisations none is')
    .option('--unmatched', 'the largest organisations (by IPv4 space) no rule attributes: the gaps')
    .option('--orgs', 'the organisations announcing the most IPv4 space, with the company each is attributed to')
    .option('--top <n>', 'at most N rows (default: every company; 50 organisations)', intArg(1, 1_000_000))
    .action(async (_o: unknown, sub: Command) => {
      const { runVendorsAsns } = await import('./vendors-asns.js');
      runVendorsAsns(sub.optsWithGlobals());
    });
  cmd
    .command('show')
    .description('print one vendor entry as JSON, or a company with its vendors; with the ASNs of the embedded database its rules attribute')
    .argument('<id>', 'vendor id or company id')
    .action(async (id: string, _o: unknown, sub: Command) => {
      const { runVendorsShow } = await import('./vendors-run.js');
      await runVendorsShow(id, sub.optsWithGlobals<VendorsOptions>());
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
