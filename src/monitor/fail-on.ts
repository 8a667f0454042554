// --fail-on: which changes make `whoserves diff` exit 1.
import { UsageError } from '../errors.js';

/**
 * any: every change (providers, domains, statuses); added: a provider that appeared;
 * us / country:CC: a provider that appeared and whose company is based in that country.
 */
export type FailOn = 'any' | 'added' | 'us' | `country:${string}`;

export function parseFailOn(value: string): FailOn {
  const v = value.trim();
  if (v === 'any' || v === 'added' || v === 'us') return v;
  const m = /^country:([A-Za-z]{2})$/.exec(v);
  if (m?.[1]) return `country:${m[1].toUpperCase()}`;
  throw new UsageError(`--fail-on: expected any, added, us or country:CC (two letters), got '${value}'`);
}

/** The country a FailOn narrows added providers to, if any. */
export function failOnCountry(failOn: FailOn): string | undefined {
  if (failOn === 'us') return 'US';
  return failOn.startsWith('country:') ? failOn.slice('country:'.length) : undefined;
}
