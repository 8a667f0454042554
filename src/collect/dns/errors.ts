// The resolver's one error type: a stable code from ERROR_CODES and a one-line message.
import { WhoservesError } from '../../errors.js';
import type { ErrorCode } from '../../types.js';

export type DnsErrorCode = Extract<ErrorCode, `DNS_${string}`>;

export class DnsError extends WhoservesError {
  override name = 'DnsError';
  constructor(
    override readonly code: DnsErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

export function isDnsError(e: unknown): e is DnsError {
  return e instanceof DnsError;
}
