// `whoserves vendors`: list, show and lint the vendor database.
import { Option, type Command } from 'commander';
import { CATEGORIES } from '../types.js';
import { collect, intArg } from './options.js';
import type { VendorsOptions } from './vendors-run.js';

export function registerVendors(program: Command): void {
  const cmd = program
    .command('vendors')
    .summary('list the vendor database, show a vendor, or lint it')
    .description(
      'The fingerprints whoserves attributes providers with: one entry per brand, its owning company and ' +
        "country, its rules and their sources. Without a subcommand, lists them; `show ID` prints one entry, `lint` checks the data.",
    )
    .addOption(new Option('--category <c>', 'only vendors of this category').choices(CATEGORIES))
    .option('--country <cc>', 'only vendors whose company is based in CC')
    .option('--search <text>', 'only vendors whose id, name or company contains TEXT')
    .addOption(new Option('--format <format>', 'output format (default: table)').choices(['table', 'json']))
    .option('--vendors <file>', 'overlay your own vendor rules (repeatable)', collect)
    .addHelpText('after', '\nExamples:\n  whoserves vendors --country CN --category email\n  whoserves vendors show cloudfront --overlay > my-rules.json')
    .action(async (opts: VendorsOptions) => {
      const { runVendorsList } = await import('./vendors-run.js');
      runVendorsList(opts);
    });
  cmd
    .command('list')
    .description('table of vendor id, name, company, country and categories (the default)')
    .addHelpText('after', '\nExamples:\n  whoserves vendors list --category cdn\n  whoserves vendors list --search alibaba --format json')
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
    .addHelpText('after', '\nExamples:\n  whoserves vendors asns --top 20\n  whoserves vendors asns --unmatched')
    .action(async (_o: unknown, sub: Command) => {
      const { runVendorsAsns } = await import('./vendors-asns.js');
      runVendorsAsns(sub.optsWithGlobals());
    });
  cmd
    .command('show')
    .description('print one vendor entry as JSON (its id in any case, or its name), or a company with its vendors, with the ASNs of the embedded database its rules attribute; with --overlay, as an overlay file to edit and pass to --vendors')
    .argument('<id>', 'vendor id or name, or company id')
    .option('--overlay', 'print {companies, vendors}: a valid overlay file holding the vendor (or the company\'s vendors) and its company')
    .addHelpText('after', '\nExamples:\n  whoserves vendors show cloudfront\n  whoserves vendors show CloudFront --overlay > my-rules.json')
    .action(async (id: string, _o: unknown, sub: Command) => {
      const { runVendorsShow } = await import('./vendors-run.js');
      await runVendorsShow(id, sub.optsWithGlobals<VendorsOptions & { overlay?: boolean }>());
    });
  cmd
    .command('lint')
    .description('validate the vendor database (schema, semantics) and run every rule example; exit 1 on problems')
    .argument('[files...]', 'overlay files to lint together with the shipped data')
    .addHelpText('after', '\nExamples:\n  whoserves vendors lint\n  whoserves vendors lint my-rules.json')
    .action(async (files: string[], _o: unknown, sub: Command) => {
      const { runVendorsLint } = await import('./vendors-run.js');
      runVendorsLint(files, sub.optsWithGlobals<VendorsOptions>());
    });
}
