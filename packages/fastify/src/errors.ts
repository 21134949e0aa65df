import { SwitchyardError, type ErrorSubject } from '@switchyard/core';

/**
 * Every error code `@switchyard/fastify` throws, reports or answers with, in one registry.
 * The README lists each with its cause and fix; a test keeps the two in step.
 */
export const FASTIFY_ERROR_CODES = {
  // Thrown at registration: API misuse.
  SWY_FASTIFY_INVALID_OPTIONS: 'The plugin or gateway was given an option of the wrong type or out of range (the field is named).',
  // Answered to a client, in the x-switchyard-error header and the body.
  SWY_PROXY_BAD_REQUEST: 'The request target or Host cannot be normalized (400).',
  SWY_PROXY_NO_ROUTE: 'No rule matches and no Ingress has a default backend (404).',
  SWY_PROXY_NO_ENDPOINT: 'The backend has no ready endpoint (or discovery has not pushed one yet) (503).',
  SWY_PROXY_UPSTREAM_FAILED: 'Connecting to the upstream failed, or it closed or reset the connection before answering (502).',
  SWY_PROXY_UPSTREAM_TIMEOUT: 'The upstream did not accept the connection or send response headers in time (504).',
  // Admin and metrics (admin/).
  SWY_ADMIN_QUERY_INVALID: 'An admin request lacks a required query parameter (/explain: host, path) or repeats it (400; the field names it).',
  SWY_ADMIN_NOT_FOUND: 'The admin listener has no endpoint at that path (404).',
  SWY_ADMIN_METHOD_NOT_ALLOWED: 'An admin endpoint was called with a method other than GET or HEAD (405, with an Allow header).',
  SWY_ADMIN_HANDLER_FAILED: 'An admin endpoint failed, most often a ready(), status() or certificates.describe() callback that threw (500; logged).',
  SWY_ADMIN_METRIC_CONFLICT: 'The registry given to GatewayMetrics already holds a metric of one of its names (thrown; use another prefix or registry).',
  SWY_ADMIN_METRIC_VALUE_INVALID: 'GatewayMetrics was given a duration that is not a finite number >= 0, a status code outside 100-999 or an error code no registry lists (thrown; the field is named).',
} as const;

export type FastifyErrorCode = keyof typeof FASTIFY_ERROR_CODES;

/** An error of `@switchyard/fastify`: core's `SwitchyardError` with a `SWY_FASTIFY_*`, `SWY_PROXY_*` or `SWY_ADMIN_*` code (TLS codes are `@switchyard/tls`'s). */
export class FastifyPluginError extends SwitchyardError<FastifyErrorCode> {
  constructor(code: FastifyErrorCode, message: string, options: { field?: string; subject?: ErrorSubject; statusCode?: number; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** True for an error of `@switchyard/fastify`, optionally of one code. */
export function isFastifyPluginError(value: unknown, code?: FastifyErrorCode): value is FastifyPluginError {
  return value instanceof SwitchyardError && Object.hasOwn(FASTIFY_ERROR_CODES, value.code) && (code === undefined || value.code === code);
}
