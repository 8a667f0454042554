#!/usr/bin/env node
// Writes a world whose CAs copy real TLS intermediates from the shipped CCADB index (subjects
// attribute by attribute, chains to their roots, and with --key-ids their real SKIs), one company
// domain per intermediate: the world test/world/ccadb-world.test.ts scans, for benchmarks and by
// hand. Deterministic. Needs `npm run build`.
//   node scripts/ccadb-world.mjs [--cas 500] [--key-ids] [--ccadb index.json] [-o world.json]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_CCADB_INDEX, loadCcadbIndex } from '../dist/vendors/ccadb/index.js';
import { ccadbWorld } from '../dist/world/ccadb.js';

const { values } = parseArgs({
  options: { cas: { type: 'string', default: '500' }, 'key-ids': { type: 'boolean', default: false }, ccadb: { type: 'string' }, output: { type: 'string', short: 'o' } },
});
const n = Number(values.cas);
if (!Number.isInteger(n) || n < 1) {
  process.stderr.write(`ccadb-world: --cas: expected a whole number, got '${values.cas}'\n`);
  process.exit(2);
}
const { world } = ccadbWorld(loadCcadbIndex(values.ccadb ?? DEFAULT_CCADB_INDEX), { cas: n, keyIds: values['key-ids'] });
const text = JSON.stringify(world, null, 1) + '\n';
if (values.output) writeFileSync(values.output, text);
else process.stdout.write(text);
process.stderr.write(`ccadb-world: ${world.domains.length} domains, ${world.cas.length} CAs (${world.cas.filter((c) => !c.issuer).length} roots)\n`);
