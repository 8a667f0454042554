// Checks on Results read back from a file (diff, merge, report, --resume): the Result schema
// (src/result.schema.json), read so that Results of newer versions pass (unknown fields, new
// error codes and stages) and older ones too (a category added since, missing errors: filled in).
import AjvModule from 'ajv';
import resultSchema from '../result.schema.json' with { type: 'json' };
import { CATEGORIES, type Result } from '../types.js';
import type { ScanMeta } from './meta.js';

const Ajv = AjvModule.default;

/** The Result schema, open to what later versions add; every field it describes keeps its type. */
function lenient(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(lenient);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'additionalProperties' && v === false) continue;
    out[k] = lenient(v);
  }
  return out;
}
const schema = lenient(resultSchema) as { required: string[]; definitions: Record<string, Record<string, unknown>> };
// Only domain and services were ever required by the readers; status, input and errors may be absent.
schema.required = ['domain', 'services'];
schema.definitions.ErrorCode = { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' };
schema.definitions.Stage = { type: 'string', minLength: 1 };
let validate: ReturnType<InstanceType<typeof Ajv>['compile']> | undefined;

/** The first schema problem of a Result, as "services.cdn[0]: must have required property 'vendorName'". */
function schemaProblem(value: unknown): string | undefined {
  validate ??= new Ajv({ allErrors: false, strict: false, allowUnionTypes: true }).compile(schema);
  if (validate(value)) return undefined;
  const err = validate.errors?.[0];
  if (!err) return 'not a Result';
  let field = '';
  for (const p of err.instancePath.split('/').slice(1)) field += /^\d+$/.test(p) ? `[${p}]` : field === '' ? p : `.${p}`;
  return `${field || 'result'}: ${err.message ?? 'invalid'}`;
}

/** Returns the Result (missing category arrays and errors filled in) or throws a reason. */
export function checkResult(value: unknown): Result {
  if (!isObject(value)) throw new Error('expected a Result object');
  if (typeof value.domain !== 'string' || value.domain === '') throw new Error('"domain" must be a non-empty string');
  const services = value.services;
  if (!isObject(services)) throw new Error(`${value.domain}: "services" must be an object`);
  for (const category of CATEGORIES) {
    const list = services[category];
    if (list === undefined) {
      services[category] = [];
      continue;
    }
    if (!Array.isArray(list)) throw new Error(`${value.domain}: services.${category} must be an array`);
    list.forEach((a, i) => {
      if (!isObject(a)) throw new Error(`${value.domain}: services.${category}[${i}] must be an object`);
      if (a.evidence !== undefined && !isStringArray(a.evidence)) {
        throw new Error(`${value.domain}: services.${category}[${i}].evidence must be an array of strings`);
      }
    });
  }
  if (value.errors === undefined) value.errors = [];
  else if (!Array.isArray(value.errors) || !value.errors.every(isObject)) throw new Error(`${value.domain}: "errors" must be an array of objects`);
  if (value.status !== undefined && value.status !== 'ok' && value.status !== 'partial' && value.status !== 'failed') {
    throw new Error(`${value.domain}: "status" must be ok, partial or failed`);
  }
  if (value.input !== undefined && !isObject(value.input)) throw new Error(`${value.domain}: "input" must be an object`);
  const problem = schemaProblem(value);
  if (problem) throw new Error(`${value.domain}: ${problem}`);
  return value as unknown as Result;
}

export function checkMeta(value: unknown): ScanMeta {
  if (!isObject(value)) throw new Error('"meta" must be an object');
  for (const key of ['tool', 'version', 'vendorDb', 'startedAt'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') throw new Error(`meta.${key} must be a string`);
  }
  return value as unknown as ScanMeta;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
