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
  SWY_TLS_FILE_UNREADABLE: 'loadPemFiles() could not read a certificate or key file (thrown; the file is named).',
  SWY_TLS_SECRET_NOT_FOUND: 'An Ingress spec.tls entry names a Secret that does not exist in its namespace (or is not of type kubernetes.io/tls, which a cluster source does not read); its hosts get the default certificate.',
  SWY_TLS_SECRET_WRONG_TYPE: 'A Secret named by spec.tls is not of type kubernetes.io/tls; its hosts get the default certificate.',
  SWY_TLS_PEM_INVALID: 'A certificate or key (Secret tls.crt / tls.key, or a PEM file) does not parse; its hosts get the default certificate.',
  SWY_TLS_KEY_MISMATCH: 'The private key does not belong to the certificate; its hosts get the default certificate.',
  SWY_TLS_CERT_EXPIRED: 'The certificate is past its notAfter; its hosts get the default certificate.',
  SWY_TLS_CERT_NOT_YET_VALID: 'The certificate is before its notBefore; its hosts get the default certificate.',
  SWY_TLS_HOST_NOT_IN_CERTIFICATE: 'A host the certificate is to serve is not among its DNS subjectAltNames; clients will reject it (served anyway).',
  SWY_TLS_HOST_CONFLICT: 'Two certificates claim the same host; the older Ingress (then the PEM certificates in order) keeps it.',
  SWY_TLS_NO_HOSTS: 'A spec.tls entry lists no hosts and its Ingress rules name none, or a PEM certificate has no hosts and no DNS subjectAltName; it serves nothing.',
  SWY_TLS_NO_SECRET_NAME: 'A spec.tls entry names no secretName; its hosts are TLS hosts served with the default certificate.',
  SWY_TLS_UNKNOWN_SERVERNAME: 'A TLS client asked (SNI) for a name no certificate serves and there is no default certificate; the handshake is aborted.',
  // Admin and metrics (admin/).
  SWY_ADMIN_QUERY_INVALID: 'An admin request lacks a required query parameter (/explain: host, path) or repeats it (400; the field names it).',
  SWY_ADMIN_NOT_FOUND: 'The admin listener has no endpoint at that path (404).',
  SWY_ADMIN_METHOD_NOT_ALLOWED: 'An admin endpoint was called with a method other than GET or HEAD (405, with an Allow header).',
  SWY_ADMIN_HANDLER_FAILED: 'An admin endpoint failed, most often a ready(), status() or certificates.describe() callback that threw (500; logged).',
  SWY_ADMIN_METRIC_CONFLICT: 'The registry given to GatewayMetrics already holds a metric of one of its names (thrown; use another prefix or registry).',
  SWY_ADMIN_METRIC_VALUE_INVALID: 'GatewayMetrics was given a duration that is not a finite number >= 0, a status code outside 100-999 or an error code no registry lists (thrown; the field is named).',
} as const;

export type FastifyErrorCode = keyof typeof FASTIFY_ERROR_CODES;

/** An error of `@switchyard/fastify`: core's `SwitchyardError` with a `SWY_FASTIFY_*`, `SWY_PROXY_*`, `SWY_TLS_*` or `SWY_ADMIN_*` code. */
export class FastifyPluginError extends SwitchyardError<FastifyErrorCode> {
  constructor(code: FastifyErrorCode, message: string, options: { field?: string; subject?: ErrorSubject; statusCode?: number; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** True for an error of `@switchyard/fastify`, optionally of one code. */
export function isFastifyPluginError(value: unknown, code?: FastifyErrorCode): value is FastifyPluginError {
  return value instanceof SwitchyardError && Object.hasOwn(FASTIFY_ERROR_CODES, value.code) && (code === undefined || value.code === code);
}
