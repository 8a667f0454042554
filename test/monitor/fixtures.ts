// Inline Results for the monitor tests: a tiny builder, so each case states only what matters.
import { emptyServices, type Attribution, type Category, type ProbeError, type Result, type ResultStatus } from '../../src/types.js';

export function attr(company: string, country: string, vendor = company, evidence: string[] = [`ev ${vendor}`]): Attribution {
  return { vendor, vendorName: vendor.toUpperCase(), company, companyName: `${company} Inc.`, country, confidence: 0.9, evidence };
}

export function result(
  domain: string,
  services: Partial<Record<Category, Attribution[]>> = {},
  opts: { status?: ResultStatus; errors?: ProbeError[] } = {},
): Result {
  return {
    domain,
    input: { line: 1 },
    status: opts.status ?? 'ok',
    services: { ...emptyServices(), ...services },
    errors: opts.errors ?? [],
  };
}
