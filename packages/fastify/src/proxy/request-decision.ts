import { isSwitchyardError, normalizeHost, normalizePath, type CompiledMatch, type GatewayListenerInfo, type GatewayRequest, type Route, type RouteTable } from '@switchyard/core';
import type { FastifyErrorCode } from '../errors.js';
import type { HttpsRedirect } from '../options.js';
import type { IncomingRequest } from './incoming-request.js';
import { authorityProblem, hasEncodedSlashTraversal, hostProblem, parseAbsoluteTarget } from './request-target.js';
import { hasRequestBody } from './retry-policy.js';
import { pendingUpgradeOf } from './pending-upgrade.js';

/** A request the table routes: what was matched, and what is forwarded. */
export class RoutedTarget {
  readonly kind = 'route';
  constructor(
    readonly route: Route,
    /** The normalized Host that was matched. */
    readonly host: string,
    /** The normalized path: what was matched and what is forwarded. */
    readonly path: string,
    /** The client's query, `?` included, forwarded as sent. */
    readonly query: string,
    /**
     * The authority that was routed, as the client wrote it: the absolute-form target's, else
     * the Host header; '' when it names no host (none sent, or only a port).
     */
    readonly clientHost: string,
  ) {}
}

/** A request a Gateway listener's HTTPRoute rule matched: the rule decides what happens next. */
export class GatewayTarget {
  readonly kind = 'gateway';
  constructor(
    readonly match: CompiledMatch,
    readonly listener: GatewayListenerInfo,
    readonly host: string,
    readonly path: string,
    readonly query: string,
    readonly clientHost: string,
  ) {}
}

/**
 * The Gateway port a registration serves, and the view of a request its conditions read: one
 * object reused for every request (a lookup is synchronous), so matching allocates nothing.
 */
export class GatewayLookup implements GatewayRequest {
  method: string | undefined = undefined;
  headers: GatewayRequest['headers'] = NO_HEADERS;
  query = '';
  constructor(
    readonly port: number,
    /** The app serves TLS: the listener the SNI chose is checked against the Host's. */
    readonly tls: boolean,
  ) {}
}

const NO_HEADERS: GatewayRequest['headers'] = Object.freeze({});

/** A request the proxy answers itself, without an upstream (400, 404, 421 or 431; 500 for an HTTPRoute rule it cannot serve). */
export class Refusal {
  readonly kind = 'refuse';
  constructor(
    readonly statusCode: 400 | 404 | 421 | 431 | 500,
    readonly code: FastifyErrorCode,
    readonly reason: string,
  ) {}
}

/** A plain-HTTP request for a TLS host, sent to HTTPS; or an HTTPRoute RequestRedirect. */
export class Redirect {
  readonly kind = 'redirect';
  constructor(
    readonly location: string,
    readonly statusCode: HttpsRedirect['statusCode'] | 303,
  ) {}
}

export type RequestDecision = RoutedTarget | GatewayTarget | Refusal | Redirect;

/** `rawHeaders` entries Node's parser keeps when `server.maxHeadersCount` is unset: 1000 lines. */
const NODE_DEFAULT_HEADER_ENTRIES = 2000;

/**
 * The `rawHeaders` length at which Node's parser may have dropped header lines, for a server's
 * `maxHeadersCount` (header lines; null or undefined: Node's default of 1000; 0 or less: no
 * limit). Node drops the lines past the limit without a word, so a request that reaches it is
 * refused: its Content-Length, Transfer-Encoding or a second Host may be among those dropped.
 */
export function headerEntryLimit(maxHeadersCount: number | null | undefined): number {
  if (maxHeadersCount === null || maxHeadersCount === undefined) return NODE_DEFAULT_HEADER_ENTRIES;
  return maxHeadersCount > 0 ? maxHeadersCount * 2 : Number.POSITIVE_INFINITY;
}

/**
 * What a request is, decided from the request alone: its header count checked against
 * `headerEntries` (from `headerEntryLimit`: 431 once the parser may have dropped lines), an
 * upgrade with a body refused, its target parsed (origin or absolute form), Host checked
 * (RFC 9112 §3.2; for HTTP/2, `:authority` is the Host, RFC 9113 §8.3.1), host and path normalized, the HTTPS redirect, and the table's match. No side
 * effects: the caller acts on the answer.
 */
export function decideRequest(raw: IncomingRequest, table: RouteTable, httpsRedirect: HttpsRedirect | undefined, headerEntries: number, gateway?: GatewayLookup): RequestDecision {
  // First: every check below reads headers that may be among those the parser dropped.
  if (raw.rawHeaders.length >= headerEntries) return new Refusal(431, 'SWY_PROXY_BAD_REQUEST', `the request has too many header lines (${headerEntries / 2} or more)`);
  // Node hands an upgrade's socket over right after the head: a body would be neither read
  // nor forwarded (the upstream would wait for it) but written into the tunnel after a 101.
  // A WebSocket handshake is a GET without one (RFC 6455 §4.1).
  if (pendingUpgradeOf(raw) !== undefined && hasRequestBody(raw)) return badRequest('an upgrade request cannot carry a body');
  const url = raw.url ?? '/';
  let rawHost = raw.headers.host ?? '';
  let rawPath: string;
  let query: string;
  let absoluteForm = false;
  if (raw.httpVersionMajor === 2) {
    const authority = raw.headers[':authority'] as string | undefined;
    const issue = authorityProblem(authority, raw.headers.host, url);
    if (issue !== undefined) return badRequest(issue);
    if (authority !== undefined) rawHost = authority;
  }
  if (url.charCodeAt(0) === 0x2f /* / */) {
    const queryAt = url.indexOf('?');
    rawPath = queryAt < 0 ? url : url.slice(0, queryAt);
    query = queryAt < 0 ? '' : url.slice(queryAt);
  } else {
    const target = parseAbsoluteTarget(url);
    if (target === undefined) return badRequest('the request target is not a path or an absolute http URL');
    rawHost = target.authority;
    absoluteForm = true;
    rawPath = target.path;
    query = target.query;
  }
  const hostIssue = hostProblem(raw.rawHeaders, raw.httpVersionMinor, absoluteForm);
  if (hostIssue !== undefined) return badRequest(hostIssue);

  let host: string;
  let path: string;
  try {
    host = normalizeHost(rawHost);
    path = normalizePath(rawPath);
  } catch (error) {
    if (isSwitchyardError(error)) return badRequest(`${error.code}: ${error.message}`);
    throw error;
  }

  if (httpsRedirect !== undefined && httpsRedirect.isTlsHost(host)) {
    const port = httpsRedirect.httpsPort === 443 ? '' : `:${httpsRedirect.httpsPort}`;
    return new Redirect(`https://${host}${port}${path}${query}`, httpsRedirect.statusCode);
  }

  if (hasEncodedSlashTraversal(path)) return badRequest('the path holds an encoded slash next to a dot-segment');

  if (gateway !== undefined) return decideGateway(raw, table, gateway, host, path, query, host.length === 0 ? '' : rawHost);
  const route = table.lookup(host, path);
  if (route === undefined) return new Refusal(404, 'SWY_PROXY_NO_ROUTE', `no rule matches ${host}${path} and no Ingress has a default backend`);
  // An authority without a host (`:80`) is no authority: neither Host nor X-Forwarded-Host.
  return new RoutedTarget(route, host, path, query, host.length === 0 ? '' : rawHost);
}

/** On a Gateway port: the listener the Host selects (listener isolation), then its HTTPRoute rules. */
function decideGateway(raw: IncomingRequest, table: RouteTable, gateway: GatewayLookup, host: string, path: string, query: string, clientHost: string): RequestDecision {
  const port = table.gatewayPort(gateway.port);
  const listener = port?.select(host);
  if (listener === undefined) return new Refusal(404, 'SWY_PROXY_NO_ROUTE', `no Gateway listener on port ${gateway.port} takes host ${host || '<none>'}`);
  // Over TLS the certificate was chosen by SNI: a Host that selects another listener than the
  // SNI did is misdirected (the Listener doc: 421), never served under the other's certificate.
  const servername = gateway.tls ? raw.socket.servername : undefined;
  if (typeof servername === 'string' && servername.length !== 0 && port!.select(servername.toLowerCase()) !== listener) {
    return new Refusal(421, 'SWY_PROXY_MISDIRECTED', `the TLS server name ${servername} selects another listener of port ${gateway.port} than host ${host}`);
  }
  gateway.method = raw.method;
  gateway.headers = raw.headers;
  gateway.query = query;
  const match = listener.find(host, path, gateway);
  // Not kept past the lookup.
  gateway.headers = NO_HEADERS;
  if (match === undefined) {
    const { name, gateway: owner } = listener.listener;
    return new Refusal(404, 'SWY_PROXY_NO_ROUTE', `no HTTPRoute rule of listener ${name} (Gateway ${owner}) matches ${host}${path}`);
  }
  return new GatewayTarget(match, listener.listener, host, path, query, clientHost);
}

function badRequest(reason: string): Refusal {
  return new Refusal(400, 'SWY_PROXY_BAD_REQUEST', reason);
}
