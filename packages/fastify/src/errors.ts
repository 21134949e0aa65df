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
    summary: 'The request cannot be routed as sent: its target or Host cannot be normalized, or it is malformed (400; 431 for too many header lines).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 400 },
    cause: "the request target or Host cannot be normalized (invalid percent-encoding, a target that is not a path, bad Host characters, an encoded slash beside a dot-segment); an upgrade (WebSocket) request carries a body (Content-Length other than 0, or Transfer-Encoding); the request has as many header lines as the server's `maxHeadersCount` (Node's default: 1000) or more, so Node may have dropped some unseen (431); or Node's parser refused the request (oversized headers: 431; conflicting Content-Length and Transfer-Encoding).",
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
  SWY_PROXY_EXTERNAL_NAME_DENIED: {
    summary: "The backend is an ExternalName Service whose name is not allowed: ExternalName is opt-in (503).",
    reaches: { as: 'answered', via: ANSWERED, statusCode: 503 },
    cause: "the backend's Service is of type ExternalName and its `spec.externalName` matches no allowed pattern (none by default), so discovery did not resolve it (its set carries `SWY_DISCOVERY_EXTERNAL_NAME_DENIED`). An ExternalName makes the gateway connect wherever the Service's author points it, so it is off unless the operator allows the name.",
    fix: 'Allow the name: `switchyard serve --allow-external-name NAME` (repeatable; `*.example.com`, `*` for all), or `allowExternalNames` of `StaticDiscovery` / `KubernetesDiscovery` in code. `switchyard check` names the Service.',
  },
  SWY_PROXY_ADDRESS_DENIED: {
    summary: 'The picked endpoint is at an address the address policy denies (link-local: cloud metadata); no connection was opened (502).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 502, note: 'other endpoints are tried first, as after a refused connection' },
    cause: "the endpoint's address (or what its name resolved to) is in `169.254.0.0/16` or `fe80::/10`, or in a range of the `addressPolicy` given to the plugin. The policy is asked before every new upstream connection (HTTP/1.1, h2c, WebSocket, mirrors), so an address that slipped past discovery (an endpoint written in code) is refused too.",
    fix: 'Point the backend at another address; the link-local ranges cannot be allowed.',
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
  SWY_PROXY_MISDIRECTED: {
    summary: 'On an HTTPS Gateway port, the Host selects another listener than the TLS server name (SNI) did (421).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 421 },
    cause: "the client's SNI chose one listener's certificate and its Host names a host another listener of the port serves (a connection reused across names, or a client that sends a Host unlike its SNI). The Gateway API's Listener doc asks for 421 Misdirected Request.",
    fix: 'Nothing on the gateway: clients retry on a new connection for that host (browsers do on 421).',
  },
  SWY_PROXY_ROUTE_INVALID: {
    summary: 'The HTTPRoute rule that matched cannot send this request anywhere: its backendRef did not resolve, or the rule uses an unsupported filter or has no backend (500).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 500 },
    cause: 'the request matched an HTTPRoute rule and was given (by weight) to a backendRef that did not resolve (BackendNotFound, RefNotPermitted, InvalidKind: the spec asks for 500 for its share), or the rule has no backendRef and no redirect, every weight is 0, or it uses a filter Switchyard does not support (answered 500 rather than skipped).',
    fix: '`switchyard check` names the rule and the reason; create the Service, add the ReferenceGrant, or fix the rule.',
  },
  SWY_PROXY_BODY_TIMEOUT: {
    summary: 'The client sent no byte of its request body for `timeouts.requestBodyIdleMs` (408; the connection closes).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 408 },
    cause: 'the client stopped sending its request body (a stalled or very slow upload) for `timeouts.requestBodyIdleMs` (CLI: `--request-body-timeout`); the upstream request, if one was sent, is aborted so its connection is freed.',
    fix: 'Fix the client, or raise the timeout for clients that pause mid-upload on purpose.',
  },
  SWY_PROXY_UPLOADS_BUSY: {
    summary: 'Every upload slot of the picked endpoint is held by a streamed request body still arriving (503).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 503 },
    cause: 'the request body is longer than `requestBody.bufferBytes`, so it is streamed, and the endpoint already carries `requestBody.streamingPerEndpoint` streamed bodies that have not ended (slow or stalled uploads). The cap keeps the rest of the endpoint\'s connections for its other requests.',
    fix: 'Retry later; if many legitimate slow uploads run at once, raise `requestBody.streamingPerEndpoint` (and `upstream.connectionsPerEndpoint`) or add endpoints.',
  },
  SWY_PROXY_CLOSING: {
    summary: 'The request reached a gateway that is closing (draining) (503; the connection closes).',
    reaches: { as: 'answered', via: ANSWERED, statusCode: 503 },
    cause: 'the app is closing (`close()`, SIGTERM to the CLI): it no longer accepts connections and lets the requests in flight finish, and this request arrived on a connection that was still open (keep-alive, or its headers were under way). It is not forwarded; its connection closes after the answer.',
    fix: 'Nothing on the gateway: the client retries on a new connection, which the load balancer sends to another instance.',
  },
  // The reason a client abort gives a SWY_PROXY_BAD_REQUEST (proxy/deferred-body.ts): the client's doing, never the upstream's.
  SWY_CLIENT_ABORTED: {
    summary: 'The client closed the connection before its request body ended.',
    reaches: { as: 'reported', via: 'as the reason of a `SWY_PROXY_BAD_REQUEST` answer, in its body and its log line', statusCode: 400 },
    cause: 'the client closed the connection before its request body ended; the request is not retried and does not count against the upstream.',
    fix: 'Nothing to fix in the gateway: the client gave up on its own request.',
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

/** An error of `@switchyard/fastify`: core's `SwitchyardError` with a `SWY_FASTIFY_*`, `SWY_PROXY_*` or `SWY_ADMIN_*` code. */
export class FastifyPluginError extends SwitchyardError<FastifyErrorCode> {
  constructor(code: FastifyErrorCode, message: string, options: { field?: string; subject?: ErrorSubject; statusCode?: number; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** True for an error of `@switchyard/fastify`, optionally of one code. */
export function isFastifyPluginError(value: unknown, code?: FastifyErrorCode): value is FastifyPluginError {
  return value instanceof SwitchyardError && Object.hasOwn(FASTIFY_ERROR_CODES, value.code) && (code === undefined || value.code === code);
}
