// `npm run build` runs this after tsc: validate the shipped vendor data exactly as `vendors lint`
// does (schema, companies, semantics, every rule example through the classifier's matchers) and
// write the compiled index the CLI loads (compiled.ts). Broken data fails the build, naming file,
// vendor and field.
import { collectVendorDb, dataHash, DEFAULT_DATA_DIR } from './load.js';
import { checkExamples } from './examples.js';
import { INDEX_FILE, writeIndex } from './compiled.js';

const { db, problems, entries, companies } = collectVendorDb();
const all = [...problems, ...(db ? checkExamples(db) : [])];
if (!db || all.length > 0) {
  for (const p of all) process.stderr.write(`vendor data: ${p}\n`);
  process.stderr.write(`vendor data: ${all.length} problem(s); run \`node bin/whoserves.js vendors lint\` after fixing\n`);
  process.exit(1);
}
writeIndex({ dataHash: dataHash(DEFAULT_DATA_DIR), version: db.version, companies: [...companies].sort((a, b) => (a.company.id < b.company.id ? -1 : 1)), vendors: entries });
process.stdout.write(`vendor index: ${db.vendors.length} vendors, ${companies.length} companies, version ${db.version} → ${INDEX_FILE}\n`);
