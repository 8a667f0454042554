// The resolver's one error type: a stable code from ERROR_CODES and a one-line message.
import type { ErrorCode } from '../../types.js';

export type DnsErrorCode = Extract<ErrorCode, `DNS_${string}`>;

export class DnsError extends Error {
  constructor(
    readonly code: DnsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DnsError';
  }
}

export function isDnsError(e: unknown): e is DnsError {
  return e instanceof DnsError;
}
