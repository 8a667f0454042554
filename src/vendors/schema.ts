// JSON Schema validation of a vendor file (vendors.schema.json, draft-07) with messages that
// name the vendor and the field: "vendor cloudfront: rules[3].pattern: must be string".
// Compiled on first use only: the shipped data is validated when the package is built
// (index.ts), so a scan without overlays never pays for Ajv (~250 ms of CPU).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { fromRoot } from '../paths.js';

const require = createRequire(import.meta.url);
const SCHEMA_FILE = fromRoot('src/vendors/vendors.schema.json');
let compiled: ValidateFunction | undefined;

/** The schema itself (tests compare it with the semantics table). */
export function vendorSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}

function validator(): ValidateFunction {
  if (!compiled) {
    const Ajv = require('ajv') as typeof import('ajv').default;
    compiled = new Ajv({ allErrors: true, strict: false }).compile(vendorSchema());
  }
  return compiled;
}

const MAX_MESSAGES = 50;

/** What a path segment names: "vendor <id>: " or "company <id>: " for an array item. */
function itemPrefix(data: unknown, key: string | undefined, index: string | undefined): string {
  if (index === undefined || (key !== 'vendors' && key !== 'companies')) return '';
  const item = (data as Record<string, unknown[]>)[key]?.[Number(index)];
  const id = item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : `#${index}`;
  return `${key === 'vendors' ? 'vendor' : 'company'} ${id}: `;
}

/** Schema problems of a parsed file, each "vendor <id>: <field>: <reason>" (or "<field>: <reason>"). */
export function schemaProblems(data: unknown): string[] {
  const validate = validator();
  if (validate(data)) return [];
  const out: string[] = [];
  for (const err of validate.errors ?? []) {
    if (err.keyword === 'if') continue; // the failing `then` branch is reported on its own
    const parts = err.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const prefix = itemPrefix(data, parts[0], parts[1]);
    const fieldParts = prefix === '' ? parts : parts.slice(2);
    let field = '';
    for (const p of fieldParts) field += /^\d+$/.test(p) ? `[${p}]` : field === '' ? p : `.${p}`;
    let reason = err.message ?? 'invalid';
    if (err.keyword === 'additionalProperties') reason = `unknown property '${String(err.params.additionalProperty)}'`;
    if (err.keyword === 'required') {
      const missing = String(err.params.missingProperty);
      field = field === '' ? missing : `${field}.${missing}`;
      reason = 'required';
    }
    if (err.keyword === 'enum') reason += `: ${(err.params.allowedValues as unknown[]).join(', ')}`;
    if (err.keyword === 'anyOf' && field === '') reason = 'a vendor file has "vendors", "companies" or both';
    out.push(field === '' ? (prefix === '' ? reason : `${prefix}${reason}`) : `${prefix}${field}: ${reason}`);
    if (out.length >= MAX_MESSAGES) break;
  }
  return [...new Set(out)];
}
