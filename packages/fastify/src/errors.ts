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
  // TLS (tls/).
  // Admin and metrics (admin/).
} as const;

export type FastifyErrorCode = keyof typeof FASTIFY_ERROR_CODES;

/** An error of `@switchyard/fastify`: core's `SwitchyardError` with a `SWY_FASTIFY_*`, `SWY_PROXY_*` or `SWY_TLS_*` code. */
export class FastifyPluginError extends SwitchyardError<FastifyErrorCode> {
  constructor(code: FastifyErrorCode, message: string, options: { field?: string; subject?: ErrorSubject; statusCode?: number; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** True for an error of `@switchyard/fastify`, optionally of one code. */
export function isFastifyPluginError(value: unknown, code?: FastifyErrorCode): value is FastifyPluginError {
  return value instanceof SwitchyardError && Object.hasOwn(FASTIFY_ERROR_CODES, value.code) && (code === undefined || value.code === code);
}
