import type { FastifyErrorCode } from '../errors.js';
import { ERROR_HEADER } from './answer.js';
import type { ClientResponse } from './client-response.js';
import { Http2StreamResponse } from './http2-stream-response.js';

/** gRPC status codes the gateway answers with (grpc/doc/statuscodes.md). */
export const GRPC_STATUS = { UNKNOWN: 2, DEADLINE_EXCEEDED: 4, PERMISSION_DENIED: 7, INTERNAL: 13, UNAVAILABLE: 14, UNIMPLEMENTED: 12, UNAUTHENTICATED: 16 } as const;

/**
 * The gRPC status of an answer the gateway gives itself, from its HTTP status and code, as
 * grpc/doc/http-grpc-status-mapping.md maps HTTP to gRPC (and Envoy's local replies do): 400
 * INTERNAL, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 UNIMPLEMENTED, 429, 502 and 503
 * UNAVAILABLE. Where the gateway knows more than the status: a timeout is DEADLINE_EXCEEDED
 * (the call's deadline or the route's passed), and a route whose backend did not resolve is
 * UNAVAILABLE (the GRPCRoute spec's answer for an invalid backendRef). Anything else UNKNOWN.
 */
export function grpcStatusOf(statusCode: number, code: FastifyErrorCode): number {
  if (code === 'SWY_PROXY_UPSTREAM_TIMEOUT') return GRPC_STATUS.DEADLINE_EXCEEDED;
  if (code === 'SWY_PROXY_ROUTE_INVALID') return GRPC_STATUS.UNAVAILABLE;
  switch (statusCode) {
    case 400:
      return GRPC_STATUS.INTERNAL;
    case 401:
      return GRPC_STATUS.UNAUTHENTICATED;
    case 403:
      return GRPC_STATUS.PERMISSION_DENIED;
    case 404:
      return GRPC_STATUS.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
      return GRPC_STATUS.UNAVAILABLE;
    case 504:
      return GRPC_STATUS.DEADLINE_EXCEEDED;
    default:
      return GRPC_STATUS.UNKNOWN;
  }
}

/**
 * `grpc-message` as the spec writes it: percent-encoded UTF-8, every byte outside printable
 * ASCII and `%` itself escaped (encodeURIComponent would escape far more than needed, but
 * never less: a client decodes both).
 */
export function encodeGrpcMessage(message: string): string {
  let plain = true;
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x25) {
      plain = false;
      break;
    }
  }
  return plain ? message : encodeURIComponent(message);
}

/**
 * Answers a gRPC request without the upstream, as a trailers-only response: HTTP 200,
 * `content-type: application/grpc`, `grpc-status`, `grpc-message` and `x-switchyard-error` in
 * one HEADERS frame that ends the stream. Over HTTP/2 through the stream itself: Node's
 * compatibility `writeHead(); end()` would send the headers, then an empty DATA frame, which
 * gRPC clients read as INTERNAL. An HTTP/1.1 client gets the same headers and an empty body.
 * Returns the gRPC status sent (for the metrics and the log line).
 */
export function answerGrpcOnResponse(res: ClientResponse, statusCode: number, code: FastifyErrorCode, reason: string, requestId: string): number {
  const grpcStatus = grpcStatusOf(statusCode, code);
  const message = encodeGrpcMessage(`${reason} (${code})`);
  endWithHeaders(res, 200, ['content-type', 'application/grpc', 'grpc-status', String(grpcStatus), 'grpc-message', message, ERROR_HEADER, code, 'x-request-id', requestId]);
  return grpcStatus;
}

/**
 * Sends `head` (a flat name/value list) as the whole response, without a body: for an HTTP/2
 * client one HEADERS frame with END_STREAM (trailers-only, when it holds `grpc-status`); for an
 * HTTP/1.1 client the head and `content-length: 0`.
 */
export function endWithHeaders(res: ClientResponse, statusCode: number, head: string[]): void {
  // Every HTTP/2 response the proxy writes is one (`responseToWrite`).
  if (res instanceof Http2StreamResponse) return res.respondAndEnd(statusCode, head);
  head.push('content-length', '0');
  res.writeHead(statusCode, head);
  res.end();
}

/**
 * Ends a gRPC response whose head (and maybe part of its body) the client already has, after
 * the upstream failed or the deadline passed: trailers with `grpc-status`, so the client reads
 * the status rather than a reset stream (HTTP/2) or a cut connection (HTTP/1.1, where trailers
 * need a chunked response). Returns the gRPC status sent.
 */
export function endGrpcWithStatus(res: ClientResponse, statusCode: number, code: FastifyErrorCode, reason: string): number {
  const grpcStatus = grpcStatusOf(statusCode, code);
  res.addTrailers({ 'grpc-status': String(grpcStatus), 'grpc-message': encodeGrpcMessage(`${reason} (${code})`), [ERROR_HEADER]: code });
  res.end();
  return grpcStatus;
}
