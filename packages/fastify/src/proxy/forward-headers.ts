import { randomUUID } from 'node:crypto';
import type { RoutableEndpoint } from '@switchyard/core';
import { MAX_REQUEST_ID_LENGTH } from '../options.js';
import { addConnectionListed, HOP_BY_HOP } from './hop-by-hop.js';
import type { IncomingRequest } from './incoming-request.js';

/**
 * What happens to each request header on its way upstream, by lowercase name:
 * - `hop`: hop-by-hop (RFC 9110 §7.6.1, plus the legacy Proxy-Connection and the proxy's own
 *   credentials), or Expect (Node already answered it; undici refuses to send one): dropped;
 * - `ours`: set by the proxy (Host, X-Request-Id), the client's dropped;
 * - `forwarded`: the X-Forwarded-* family and its other spellings, kept only from a trusted client.
 */
const RULES = new Map<string, 'hop' | 'ours' | 'forwarded'>([
  ...[...HOP_BY_HOP].map((name) => [name, 'hop'] as const),
  ['proxy-authorization', 'hop'],
  ['expect', 'hop'],
  ['host', 'ours'],
  ['x-request-id', 'ours'],
  ['x-forwarded-for', 'forwarded'],
  ['x-forwarded-proto', 'forwarded'],
  ['x-forwarded-host', 'forwarded'],
  ['x-forwarded-port', 'forwarded'],
  ['forwarded', 'forwarded'],
  ['x-real-ip', 'forwarded'],
]);
// Most header names are none of these: their length rules them out before any lowercasing.
const RULE_LENGTHS = new Set([...RULES.keys()].map((name) => name.length));

/**
 * The request headers for the upstream, as the flat name/value list undici and node:http take,
 * made straight from the client's raw headers (no object copy, no deletes): HTTP/2
 * pseudo-headers (Host comes from `:authority` through `host`), hop-by-hop headers (`te`
 * among them: the only one an HTTP/2 client may send is `te: trailers`)
 * and those the client's Connection header lists dropped, Host set to `host` (the routed
 * authority, or an ExternalName endpoint's name), X-Forwarded-For/-Proto/-Host/-Port set
 * (replacing the client's, or with `trustForwarded` appended to / kept), X-Request-Id set.
 *
 * X-Forwarded-Host is `routedAuthority`: the authority the request was routed by (the
 * absolute-form target's, else the Host header), which `decideRequest` checked. Never the raw
 * Host header, which an absolute-form request may fill with anything; omitted when the request
 * had no authority (an HTTP/1.0 request without Host), rather than sent empty.
 */
export function forwardHeaderList(raw: IncomingRequest, host: string, routedAuthority: string, requestId: string, trustForwarded: boolean): string[] {
  const rawHeaders = raw.rawHeaders;
  const list: string[] = [];
  let listed: Set<string> | undefined;
  let incomingFor: string | undefined;
  let keptProto = false;
  let keptHost = false;
  let keptPort = false;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    // HTTP/2 pseudo-headers (`:method`, `:path`, `:authority`, ...): the request line and Host upstream.
    if (name.charCodeAt(0) === 0x3a /* : */) continue;
    if (RULE_LENGTHS.has(name.length)) {
      const lower = name.toLowerCase();
      const rule = RULES.get(lower);
      if (rule === 'hop') {
        if (lower === 'connection') listed = addConnectionListed(listed, value);
        continue;
      }
      if (rule === 'ours') continue;
      if (rule === 'forwarded') {
        if (!trustForwarded) continue;
        if (lower === 'x-forwarded-for') {
          incomingFor = incomingFor === undefined ? value : `${incomingFor}, ${value}`;
          continue;
        }
        if (lower === 'x-forwarded-proto') keptProto = true;
        else if (lower === 'x-forwarded-host') keptHost = true;
        else if (lower === 'x-forwarded-port') keptPort = true;
      }
    }
    list.push(name, value);
  }
  const socket = raw.socket;
  const clientAddress = socket.remoteAddress ?? '';
  list.push('host', host, 'x-forwarded-for', incomingFor === undefined || incomingFor.length === 0 ? clientAddress : `${incomingFor}, ${clientAddress}`);
  if (!keptProto) list.push('x-forwarded-proto', socket.encrypted === true ? 'https' : 'http');
  if (!keptHost && routedAuthority.length !== 0) list.push('x-forwarded-host', routedAuthority);
  if (!keptPort) list.push('x-forwarded-port', String(socket.localPort ?? ''));
  list.push('x-request-id', requestId);
  return listed === undefined ? list : withoutListed(list, listed);
}

/**
 * The Host sent to an endpoint: an ExternalName endpoint's DNS name (with the port unless 80),
 * since the external server knows itself by it; else `clientHost`, the routed authority (the
 * absolute-form target's or the Host header, checked by `decideRequest`); else, for an
 * HTTP/1.0 client that sent none, the endpoint's own address.
 */
export function upstreamHostFor(endpoint: RoutableEndpoint, clientHost: string): string {
  if (endpoint.externalName !== undefined) return endpoint.port === 80 ? endpoint.externalName : `${endpoint.externalName}:${endpoint.port}`;
  if (clientHost.length !== 0) return clientHost;
  return endpoint.authority;
}

/**
 * The rare case: the client's Connection header names other headers, which are dropped too.
 * Those the proxy sets itself (Host, X-Forwarded-*, X-Request-Id) stay: a client must not be
 * able to strip them by listing them.
 */
function withoutListed(list: string[], listed: Set<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i < list.length; i += 2) {
    const lower = list[i]!.toLowerCase();
    if (listed.has(lower) && RULES.get(lower) === undefined) continue;
    kept.push(list[i]!, list[i + 1]!);
  }
  return kept;
}

/** The request's id: the client's when trusted and well-formed (1 to 200 visible ASCII characters), else a new UUID. */
export function requestIdOf(raw: IncomingRequest, trustRequestId: boolean): string {
  if (trustRequestId) {
    const incoming = raw.headers['x-request-id'];
    if (typeof incoming === 'string' && isVisibleAscii(incoming)) return incoming;
  }
  return randomUUID();
}

function isVisibleAscii(value: string): boolean {
  if (value.length === 0 || value.length > MAX_REQUEST_ID_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}
