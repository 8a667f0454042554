// `whoserves lists`: the sourced target lists shipped with the tool (scan them with --list NAME).
import { Option, type Command } from 'commander';

export function registerLists(program: Command): void {
  program
    .command('lists')
    .summary('show the sourced target lists shipped with whoserves (scan one with scan --list NAME)')
    .description(
      'Without NAME: each list with its size, date and number of sources. With NAME: its entries, why ' +
        'each is listed and the source of each domain; --format csv prints a scan-ready CSV (entries ' +
        'without a sourced domain are left out).',
    )
    .argument('[name]', 'a list name, e.g. entity-list-surveillance')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .addHelpText('after', '\nExamples:\n  whoserves lists entity-list-surveillance\n  whoserves lists spyware-vendors --format csv > list.csv')
    .action(async (name: string | undefined, flags: { format: 'table' | 'json' | 'csv' }) => {
      const { runLists } = await import('./lists-run.js');
      runLists(name, flags.format);
    });
}
