import type { FastifyErrorCode } from '../errors.js';
import { ADDRESS_DENIED } from './address-guard.js';
import { CLIENT_ABORTED } from './deferred-body.js';

/** How the proxy treats a failed upstream request. */
export interface UpstreamFailure {
  readonly statusCode: 400 | 502 | 504;
  readonly code: FastifyErrorCode;
  /**
   * No response came and another endpoint may be tried (for idempotent methods): the
   * connection failed, or it was reset or closed before any response byte.
   */
  readonly retryable: boolean;
  /** Nothing of the request reached the upstream (no connection, or a stream it refused): even a gRPC call may go elsewhere. */
  readonly unsent: boolean;
  /** The endpoint is to blame (counts toward outlier ejection); false when the request itself could not be sent. */
  readonly upstreamFault: boolean;
  /** A short reason for the body and the log: the underlying error code. */
  readonly reason: string;
}

// Errors that mean no connection was made, so nothing reached the upstream.
const CONNECT_FAILURES = new Set(['NGHTTP2_REFUSED_STREAM', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
// undici refused to send the request as given (a header it does not allow): the client's request is at fault.
const REQUEST_REFUSED = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED']);
// Errors of a connection that broke before the response began.
const EARLY_RESETS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/**
 * Classifies an error from undici (or the socket under it). A wrapped error keeps the
 * original as `cause`; the innermost code decides.
 */
export function classifyUpstreamError(error: unknown): UpstreamFailure {
  const reason = rootCode(error);
  if (reason === CLIENT_ABORTED || reason === 'UND_ERR_ABORTED') return { statusCode: 400, code: 'SWY_PROXY_BAD_REQUEST', retryable: false, unsent: false, upstreamFault: false, reason };
  if (REQUEST_REFUSED.has(reason)) return { statusCode: 400, code: 'SWY_PROXY_BAD_REQUEST', retryable: false, unsent: false, upstreamFault: false, reason };
  // The address policy refused the endpoint before any socket: another endpoint may do.
  if (reason === ADDRESS_DENIED) return { statusCode: 502, code: 'SWY_PROXY_ADDRESS_DENIED', retryable: true, unsent: true, upstreamFault: true, reason };
  const unsent = CONNECT_FAILURES.has(reason);
  const timeout = TIMEOUTS.has(reason);
  return {
    statusCode: timeout ? 504 : 502,
    code: timeout ? 'SWY_PROXY_UPSTREAM_TIMEOUT' : 'SWY_PROXY_UPSTREAM_FAILED',
    retryable: unsent || EARLY_RESETS.has(reason),
    unsent,
    upstreamFault: true,
    reason,
  };
}

/**
 * The code that names what happened, walking the cause chain once: a client abort anywhere in
 * it wins (it wraps the socket reset that followed it); otherwise the innermost code, since
 * wrappers only relabel what happened on the wire.
 */
function rootCode(error: unknown): string {
  let current: unknown = error;
  let code = 'UNKNOWN';
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const own = (current as { code?: unknown }).code;
    if (own === CLIENT_ABORTED) return own;
    if (typeof own === 'string') code = own;
    current = (current as { cause?: unknown }).cause;
  }
  return code;
}
