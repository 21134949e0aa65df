/**
 * Headers an HTTPRoute header modifier cannot change, because the proxy owns them: they are
 * dropped or set by the proxy on every request and response, whatever a route says.
 */

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus the legacy ones a
 * proxy must not pass on either: the proxy drops them in both directions.
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authenticate', 'http2-settings']);

/**
 * Request headers: hop-by-hop ones, Expect, Content-Length and Proxy-Authorization (framing and the
 * proxy's own credentials), Host (`URLRewrite.hostname` changes it), X-Request-Id and the
 * forwarding family (what the upstream learns about the client comes from the proxy).
 */
export const PROXY_OWNED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  ...HOP_BY_HOP_HEADERS,
  'proxy-authorization',
  'expect',
  'content-length',
  'host',
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'forwarded',
  'x-real-ip',
]);

/** Response headers: hop-by-hop ones, Content-Length, and X-Request-Id (the id the proxy sent upstream). */
export const PROXY_OWNED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([...HOP_BY_HOP_HEADERS, 'content-length', 'x-request-id']);
