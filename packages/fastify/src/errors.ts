import { SwitchyardError, defineErrorCodes, type ErrorSubject } from '@switchyard/core';

/** How the proxy's own answers reach the client. */
const ANSWERED = 'to the client, with the code in the `x-switchyard-error` header and the body';
/** How the admin listener's answers reach the caller. */
const ADMIN_ANSWERED = 'by the admin listener';

/**
 * Every error code `@switchyard/fastify` throws, reports or answers with, in one registry (core's
 * `defineErrorCodes` shape). `docs/errors.md` is generated from it; a test keeps the two in step.
 */
export const FASTIFY_ERROR_CODES = defineErrorCodes({
  // Thrown at registration: API misuse.
  SWY_FASTIFY_INVALID_OPTIONS: {
    summary: 'The plugin or gateway was given an option of the wrong type or out of range (the field is named).',
    reaches: { as: 'thrown', via: 'at registration', field: '`field` names the option' },
    cause: 'The plugin or gateway was given an option of the wrong type or out of range.',
    fix: 'Correct the named option.',
  },
  // Answered to a client, in the x-switchyard-error header and the body.
  SWY_PROXY_BAD_REQUEST: {
    summary: 'The request target or Host cannot be normalized (400).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 400 },
    cause: "the request target or Host cannot be normalized (invalid percent-encoding, a target that is not a path, bad Host characters, an encoded slash beside a dot-segment), or Node's parser refused the request (oversized headers: 431; conflicting Content-Length and Transfer-Encoding).",
    fix: 'Fix the client.',
  },
  SWY_PROXY_NO_ROUTE: {
    summary: 'No rule matches and no Ingress has a default backend (404).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 404 },
    cause: 'no rule matches and no Ingress has a default backend.',
    fix: 'Add a rule or a `spec.defaultBackend`; `switchyard explain` shows why nothing matched.',
  },
  SWY_PROXY_NO_ENDPOINT: {
    summary: 'The backend has no ready endpoint (or discovery has not pushed one yet) (503).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 503 },
    cause: 'the backend has no ready endpoint, or discovery has not pushed its set yet.',
    fix: "Check the Service's endpoints (`/routes` on the admin listener shows them and any discovery problem).",
  },
  SWY_PROXY_UPSTREAM_FAILED: {
    summary: 'Connecting to the upstream failed, or it closed or reset the connection before answering (502).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 502 },
    cause: 'connecting to the upstream failed (and retries, if allowed, did too), or it closed or reset the connection before answering.',
    fix: 'Check the upstream; the log line names the endpoint and the socket error.',
  },
  SWY_PROXY_UPSTREAM_TIMEOUT: {
    summary: 'The upstream did not accept the connection or send response headers in time (504).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 504 },
    cause: 'the upstream did not accept the connection within `timeouts.connectMs` or send response headers within `timeouts.firstByteMs`.',
    fix: 'Check the upstream, or raise the timeout.',
  },
  // The reason a client abort gives a SWY_PROXY_BAD_REQUEST (proxy/deferred-body.ts): the client's doing, never the upstream's.
  SWY_CLIENT_ABORTED: {
    summary: 'The client closed the connection before its request body ended.',
    reaches: { as: 'reported', via: 'as the reason of a `SWY_PROXY_BAD_REQUEST` answer, in its body and its log line', statusCode: 400 },
    cause: 'the client closed the connection before its request body ended; the request is not retried and does not count against the upstream.',
    fix: 'Nothing to fix in the gateway: the client gave up on its own request.',
  },
  // TLS (tls/): one block, to move to a package of its own as a whole.
  SWY_TLS_FILE_UNREADABLE: {
    summary: 'loadPemFiles() could not read a certificate or key file (thrown; the file is named).',
    reaches: { as: 'thrown', via: 'by `loadPemFiles()`', field: '`field` is `certFile` or `keyFile`, `subject.name` the path' },
    cause: 'a certificate or key file cannot be read.',
    fix: "Fix the path or the file's permissions.",
  },
  SWY_TLS_SECRET_NOT_FOUND: {
    summary: 'An Ingress spec.tls entry names a Secret that does not exist in its namespace (or is not of type kubernetes.io/tls, which a cluster source does not read); its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field: spec.tls[i].secretName`', note: 'reported on the Ingress; its hosts get the default certificate' },
    cause: "no Secret of that name in the Ingress's namespace (a cluster source reads only `kubernetes.io/tls` Secrets).",
    fix: "Create the Secret in the Ingress's namespace, of type `kubernetes.io/tls`.",
  },
  SWY_TLS_SECRET_WRONG_TYPE: {
    summary: 'A Secret named by spec.tls is not of type kubernetes.io/tls; its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field: type`', note: 'reported on the Secret; its hosts get the default certificate' },
    cause: 'the Secret is not of type `kubernetes.io/tls`.',
    fix: 'Recreate the Secret with `type: kubernetes.io/tls` (`kubectl create secret tls`).',
  },
  SWY_TLS_PEM_INVALID: {
    summary: 'A certificate or key (Secret tls.crt / tls.key, or a PEM file) does not parse; its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field` is `data[tls.crt]`, `stringData[tls.key]`, ..., or `cert`/`key` for a PEM file', note: 'its hosts get the default certificate' },
    cause: '`tls.crt`/`tls.key` or a PEM file is missing or does not parse (an encrypted key too).',
    fix: 'Put the PEM certificate chain and an unencrypted PEM key there.',
  },
  SWY_TLS_KEY_MISMATCH: {
    summary: 'The private key does not belong to the certificate; its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field: data[tls.key]` or `key`', note: 'its hosts get the default certificate' },
    cause: 'the key does not belong to the certificate.',
    fix: 'Pair the certificate with its own key.',
  },
  SWY_TLS_CERT_EXPIRED: {
    summary: 'The certificate is past its notAfter; its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field: data[tls.crt]` or `cert`', note: 'its hosts get the default certificate' },
    cause: 'the certificate is past its notAfter when the store was last updated.',
    fix: 'Renew the certificate.',
  },
  SWY_TLS_CERT_NOT_YET_VALID: {
    summary: 'The certificate is before its notBefore; its hosts get the default certificate.',
    reaches: { as: 'diagnostic', severity: 'error', field: '`field: data[tls.crt]` or `cert`', note: 'its hosts get the default certificate' },
    cause: 'the certificate is before its notBefore.',
    fix: "Check the issuer's and this machine's clocks; update again once it is valid.",
  },
  SWY_TLS_HOST_NOT_IN_CERTIFICATE: {
    summary: 'A host the certificate is to serve is not among its DNS subjectAltNames; clients will reject it (served anyway).',
    reaches: { as: 'diagnostic', severity: 'warning' },
    cause: "a host of a spec.tls entry (or given with a PEM certificate) is not among the certificate's DNS subjectAltNames; it is served anyway and clients will reject it.",
    fix: 'Issue a certificate for the host, or list the right hosts.',
  },
  SWY_TLS_HOST_CONFLICT: {
    summary: 'Two certificates claim the same host; the older Ingress (then the PEM certificates in order) keeps it.',
    reaches: { as: 'diagnostic', severity: 'warning', note: '`related` names the winner' },
    cause: 'two different certificates claim one host; the older Ingress keeps it (then PEM certificates in the order given).',
    fix: 'Keep one certificate per host.',
  },
  SWY_TLS_NO_HOSTS: {
    summary: 'A spec.tls entry lists no hosts and its Ingress rules name none, or a PEM certificate has no hosts and no DNS subjectAltName; it serves nothing.',
    reaches: { as: 'diagnostic', severity: 'warning' },
    cause: 'a spec.tls entry without `hosts` on an Ingress whose rules name no host, or a PEM certificate with no hosts and no DNS subjectAltName; it serves nothing.',
    fix: 'List the hosts.',
  },
  SWY_TLS_NO_SECRET_NAME: {
    summary: 'A spec.tls entry names no secretName; its hosts are TLS hosts served with the default certificate.',
    reaches: { as: 'diagnostic', severity: 'warning', field: '`field: spec.tls[i].secretName`' },
    cause: 'no `secretName` given; the hosts are TLS hosts served with the default certificate.',
    fix: 'Name the Secret, or give a default certificate that covers the hosts.',
  },
  SWY_TLS_UNKNOWN_SERVERNAME: {
    summary: 'A TLS client asked (SNI) for a name no certificate serves and there is no default certificate; the handshake is aborted.',
    reaches: { as: 'reported', via: "as the error a TLS server emits as `tlsClientError`", note: 'the handshake is aborted (the client sees a reset)' },
    cause: "a client's SNI names no served host and there is no default certificate.",
    fix: 'Serve a certificate for that name, or give a default certificate.',
  },
  // Admin and metrics (admin/).
  SWY_ADMIN_QUERY_INVALID: {
    summary: 'An admin request lacks a required query parameter (/explain: host, path) or repeats it (400; the field names it).',
    reaches: { as: 'answered', via: ADMIN_ANSWERED, statusCode: 400, field: '`field` names the parameter' },
    cause: '`/explain`: `host` or `path` is missing or given twice.',
    fix: 'Pass each exactly once.',
  },
  SWY_ADMIN_NOT_FOUND: {
    summary: 'The admin listener has no endpoint at that path (404).',
    reaches: { as: 'answered', via: ADMIN_ANSWERED, statusCode: 404 },
    cause: 'the admin listener has no endpoint at that path.',
    fix: 'Use `/healthz`, `/readyz`, `/metrics`, `/routes` or `/explain`.',
  },
  SWY_ADMIN_METHOD_NOT_ALLOWED: {
    summary: 'An admin endpoint was called with a method other than GET or HEAD (405, with an Allow header).',
    reaches: { as: 'answered', via: ADMIN_ANSWERED, statusCode: 405 },
    cause: 'an admin endpoint was called with a method other than GET or HEAD (an `Allow` header says which).',
    fix: 'Use GET.',
  },
  SWY_ADMIN_HANDLER_FAILED: {
    summary: 'An admin endpoint failed, most often a ready(), status() or certificates.describe() callback that threw (500; logged).',
    reaches: { as: 'answered', via: ADMIN_ANSWERED, statusCode: 500, note: 'logged, no stack in the answer' },
    cause: 'an admin endpoint failed, most often a `ready()`, `status()` or `certificates.describe()` callback that threw.',
    fix: 'Fix that callback.',
  },
  SWY_ADMIN_METRIC_CONFLICT: {
    summary: 'The registry given to GatewayMetrics already holds a metric of one of its names (thrown; use another prefix or registry).',
    reaches: { as: 'thrown', via: 'by `new GatewayMetrics()`' },
    cause: 'the registry already holds a metric of one of its names (two with one prefix, or default metrics collected twice).',
    fix: 'Use another prefix or registry, or `defaultMetrics: false`.',
  },
  SWY_ADMIN_METRIC_VALUE_INVALID: {
    summary: 'GatewayMetrics was given a duration that is not a finite number >= 0, a status code outside 100-999 or an error code no registry lists (thrown; the field is named).',
    reaches: { as: 'thrown', via: 'by `GatewayMetrics`', field: '`field` names the value' },
    cause: 'a duration that is not a finite number ≥ 0, a status outside 100–999, or an error code no registry knows.',
    fix: 'Pass `performance.now()` differences and registered codes.',
  },
});

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
