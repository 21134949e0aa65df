import type { ServerHttp2Stream } from 'node:http2';
import type { IncomingRequest } from './incoming-request.js';
import type { UpstreamFailure } from './upstream-errors.js';

/** Methods a retry may repeat (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * Whether a failed attempt may be tried again on another endpoint: the failure left no response
 * (a refused, failed or reset connection), the method is idempotent, retries are left, and the
 * request body, if any, can be sent again (it was buffered whole, or no byte of it went out).
 * A gRPC call (a POST) is tried again only when nothing of it reached the upstream (no
 * connection, or a stream the upstream refused) and no byte of its messages went out: once a
 * message is sent, the server may have acted on it.
 */
export function mayRetry(method: string | undefined, failure: UpstreamFailure, failedAttempts: number, maxRetries: number, bodyReplayable: boolean, grpc = false): boolean {
  if (!failure.retryable) return false;
  if (grpc ? !failure.unsent : !IDEMPOTENT.has(method ?? '')) return false;
  if (failedAttempts > maxRetries) return false;
  return bodyReplayable;
}

/**
 * Whether the client sends a body, by its framing headers (RFC 9112 §6.3), whatever the method:
 * Fastify parses no body for GET or HEAD, but a GET that has one gets it forwarded, not dropped.
 */
export function hasRequestBody(request: IncomingRequest): boolean {
  // HTTP/2 frames a body by DATA frames, often without Content-Length (gRPC never sends one):
  // there is none when the HEADERS frame ended the stream.
  if (request.httpVersionMajor === 2) return !(request as unknown as { stream: ServerHttp2Stream }).stream.endAfterHeaders;
  const headers = request.headers;
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}
