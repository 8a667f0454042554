// `whoserves data ccadb REPORT…`: read the reports, compile, write atomically (a failed build never
// clobbers an existing index), print what was built.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { sanitizeLine } from '../report/sanitize.js';
import { readCcadbReport } from '../input/ccadb.js';
import { buildIndex, serializeIndex, type ReportRow } from '../vendors/ccadb/build.js';
import { DEFAULT_ORGANIZATIONS, readOrganizations } from '../vendors/ccadb/organizations.js';
import { loadVendorDb } from '../vendors/load.js';

export interface DataCcadbOptions {
  output?: string;
  organizations?: string;
  since: string;
  quiet?: boolean;
}

export async function runDataCcadb(files: string[], opts: DataCcadbOptions): Promise<void> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.since) || Number.isNaN(Date.parse(opts.since))) {
    throw new UsageError(`--since: expected a date YYYY-MM-DD, got '${opts.since}'`);
  }
  const rows: ReportRow[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? String(e)})`);
    }
    const report = readCcadbReport(file, text);
    rows.push(...report.rows);
    problems.push(...report.problems);
  }
  const orgs = readOrganizations(opts.organizations ?? DEFAULT_ORGANIZATIONS);
  const db = loadVendorDb({ ccadb: false });
  const built = buildIndex(rows, orgs, db.companies, { since: opts.since });
  const { index, stats } = built;
  problems.push(...built.problems);
  for (const p of problems.slice(0, 50)) process.stderr.write(`${sanitizeLine(p)}\n`);
  if (problems.length > 50) process.stderr.write(`… and ${problems.length - 50} more problem(s)\n`);
  if (!index) throw new UsageError(stats.certificates === 0 ? `no usable certificate in ${files.length} file(s)` : 'the organisation mapping names unknown companies (above): no index written');
  const text = serializeIndex(index);
  if (opts.output && opts.output !== '-') {
    // Written beside the target and renamed: a reader never sees half an index.
    const tmp = path.join(path.dirname(opts.output), `.${path.basename(opts.output)}.${process.pid}.tmp`);
    try {
      writeFileSync(tmp, text);
      renameSync(tmp, opts.output);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new UsageError(`${opts.output}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  } else process.stdout.write(text);
  if (!opts.quiet) {
    const s = stats;
    process.stderr.write(
      `ccadb: ${s.rows} rows, ${s.certificates} CA certificates, ${s.kept} kept (TLS-capable, valid on or after ${opts.since}, and their chains), ` +
        `${s.roots} roots; ${s.validTlsIntermediates} TLS intermediates valid on ${index.source.newest}: ${s.brands} brands, ${s.owners} root owners; ` +
        `${(text.length / 1024).toFixed(0)} KB, version ${index.version}\n`,
    );
    for (const u of s.unmappedOwners.slice(0, 20)) process.stderr.write(`ccadb: root owner not in organizations.json (named from its subject): ${sanitizeLine(u)}\n`);
  }
}
