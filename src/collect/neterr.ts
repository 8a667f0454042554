// Socket and TLS library errors → our stable connection codes, at the boundary.
import type { ErrorCode } from '../types.js';

/** `fallback` for anything else: TLS_HANDSHAKE on a TLS connection, TCP_RESET on a plain one. */
export function connectionCode(err: unknown, fallback: ErrorCode = 'TLS_HANDSHAKE'): ErrorCode {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  switch (code) {
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'TCP_TIMEOUT';
    case 'ECONNREFUSED':
      return 'TCP_REFUSED';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'NET_UNREACHABLE';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'UND_ERR_SOCKET':
      return 'TCP_RESET';
    default:
      return fallback;
  }
}

/** One line, no stack: the library's message is fine, its object is not. */
export function oneLine(err: unknown): string {
  // OpenSSL errors carry a short `reason`; their message is an internal file:line dump.
  const e = err as { reason?: unknown; code?: unknown } | null;
  if (e && typeof e === 'object' && typeof e.reason === 'string') return `${String(e.code ?? 'TLS error')}: ${e.reason}`.slice(0, 300);
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s+/g, ' ').slice(0, 300);
}
