// `whoserves data`: rebuild the data the tool ships from newer sources, so users are never stuck
// with the package's snapshot. `data ccadb` compiles a CCADB certificate report into the index
// the certificate classifier uses (scan/classify --ccadb FILE).
import type { Command } from 'commander';
import type { DataCcadbOptions } from './data-run.js';

export function registerData(program: Command): void {
  const data = program
    .command('data')
    .summary("rebuild the tool's data from newer sources (CCADB)")
    .description("Rebuild the data whoserves ships from newer sources, so a scan is never stuck with the package's snapshot: `data ccadb` compiles CCADB certificate reports into the CA index.")
    .addHelpText('after', '\nExamples:\n  whoserves data ccadb AllCertificatePEMsCSVFormat.csv -o ccadb.json\n  whoserves scan hikvision.com --ccadb ccadb.json');
  data
    .command('ccadb')
    .description(
      'compile CCADB "AllCertificatePEMsCSVFormat" reports (one file, or the per-year split) into the CA index ' +
        'used to name a certificate\'s brand, root and root owner; use it with scan/classify --ccadb FILE',
    )
    .argument('<reports...>', 'CSV files with "SHA-256 Fingerprint" and "X.509 Certificate (PEM)" columns')
    .option('-o, --output <file>', 'write the index to FILE (written only when the build succeeds) instead of stdout')
    .option('--organizations <file>', 'organisation → company mapping (default: the shipped src/vendors/ccadb/organizations.json)')
    .option('--since <date>', 'leave out certificates that expired before this date (YYYY-MM-DD)', '2020-01-01')
    .option('-q, --quiet', 'no summary on stderr')
    .addHelpText(
      'after',
      '\nThe report (CCADB Data Usage Terms:\nhttps://www.ccadb.org/rootstores/usage):\nhttps://ccadb.my.salesforce-sites.com/ccadb/AllCertificatePEMsCSVFormat\nBad rows are reported as FILE:LINE: reason and cost only\nthemselves.\n\n' +
        'Examples:\n  whoserves data ccadb AllCertificatePEMsCSVFormat.csv -o ccadb.json\n  whoserves classify observations.ndjson --ccadb ccadb.json',
    )
    .action(async (files: string[], opts: DataCcadbOptions) => {
      const { runDataCcadb } = await import('./data-run.js');
      await runDataCcadb(files, opts);
    });
}
