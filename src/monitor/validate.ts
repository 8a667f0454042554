// Minimal checks on Results read back from a file: enough that diff and merge can rely on
// the fields they use, without rejecting Results from newer versions (unknown fields pass).
import { CATEGORIES, type Result } from '../types.js';
import type { ScanMeta } from './meta.js';

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
