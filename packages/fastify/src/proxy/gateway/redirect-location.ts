import type { RedirectAction } from '@switchyard/core';
import { replacePath } from './path-modifier.js';

/** What of a request a redirect's Location is built from (the exchange can be passed as is). */
export interface RedirectedRequest {
  /** The scheme the client used: the listener's protocol. */
  readonly scheme: 'http' | 'https';
  /** The request's host, normalized: lowercase, without its port; an IPv6 literal with or without brackets. */
  readonly host: string;
  /** The port of the listener the request came in on. */
  readonly listenerPort: number;
  /** The normalized path, without the query. */
  readonly path: string;
  /** `''` or the query with its `?`. */
  readonly query: string;
  /** The rule's PathPrefix that matched, for `ReplacePrefixMatch`; undefined for other matches. */
  readonly matchedPrefix: string | undefined;
}

const HTTP_PORT = 80;
const HTTPS_PORT = 443;
const OPEN_BRACKET = 0x5b;

/**
 * The Location of a `RequestRedirect`'s answer, absolute, from the action and the request,
 * as HTTPRequestRedirectFilter's doc comment says:
 * - scheme: the action's, else the request's;
 * - host: the action's hostname, else the request's (an IPv6 literal in brackets);
 * - port: the action's; else, when the action sets a scheme, that scheme's well-known port
 *   (http 80, https 443); else the listener's port. It is left out when it is the scheme's
 *   well-known port (http on 80, https on 443), as the spec asks;
 * - path: the request's, or what the action's path modifier makes of it (`replacePath`);
 * - query: the request's, kept (what Envoy and NGINX do; conformance checks no query).
 *
 * A request without a host (HTTP/1.0 without Host) and an action without hostname get a
 * relative Location (path and query, RFC 9110 §10.2.2): the client keeps its host, and the
 * scheme and port it used, whatever the action says of them.
 */
export function redirectLocation(action: RedirectAction, request: RedirectedRequest): string {
  const path = action.path === undefined ? request.path : replacePath(action.path, request.path, request.matchedPrefix);
  const host = action.hostname ?? request.host;
  if (host.length === 0) return path + request.query;
  const scheme = action.scheme ?? request.scheme;
  const port = action.port ?? (action.scheme === undefined ? request.listenerPort : action.scheme === 'https' ? HTTPS_PORT : HTTP_PORT);
  const wellKnown = scheme === 'https' ? port === HTTPS_PORT : port === HTTP_PORT;
  const authority = isBareIpv6(host) ? `[${host}]` : host;
  return wellKnown ? `${scheme}://${authority}${path}${request.query}` : `${scheme}://${authority}:${port}${path}${request.query}`;
}

/** An IPv6 literal without its brackets: only those contain `:` (a host here has no port). */
function isBareIpv6(host: string): boolean {
  return host.charCodeAt(0) !== OPEN_BRACKET && host.indexOf(':') !== -1;
}
