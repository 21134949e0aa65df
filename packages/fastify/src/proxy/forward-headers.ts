import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { MAX_REQUEST_ID_LENGTH } from '../options.js';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1, plus the legacy Proxy-Connection and the proxy's own
 * credentials): they describe one connection, so a proxy never forwards them either way.
 * `connection` and the names it lists are removed as well.
 */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'http2-settings'] as const;

/** Removes the hop-by-hop headers, and those the Connection header names, from a header object in place. */
export function dropHopByHop(headers: Record<string, unknown>): void {
  const connection = headers['connection'];
  if (typeof connection === 'string' && connection.length !== 0) {
    for (const name of connection.split(',')) {
      const token = name.trim().toLowerCase();
      // A client listing an end-to-end header we add (X-Forwarded-For) must not strip it: those are set after this.
      if (token.length !== 0) delete headers[token];
    }
  }
  for (const name of HOP_BY_HOP) {
    if (headers[name] !== undefined) delete headers[name];
  }
}

/**
 * Rewrites the request headers for the upstream in place: hop-by-hop headers dropped, Host
 * set to `host` (the client's, or an ExternalName endpoint's name), and the X-Forwarded-*
 * family and X-Request-Id set.
 */
export function forwardRequestHeaders(raw: IncomingMessage, headers: IncomingHttpHeaders, host: string, requestId: string, trustForwarded: boolean): IncomingHttpHeaders {
  dropHopByHop(headers as Record<string, unknown>);
  // Node already answered the client's Expect: 100-continue; undici refuses to send one.
  if (headers.expect !== undefined) delete headers.expect;
  headers.host = host;
  const socket = raw.socket;
  const clientAddress = socket.remoteAddress ?? '';
  const incomingFor = raw.headers['x-forwarded-for'];
  const trusted = trustForwarded;
  // Other spellings of the same claims, which a client could use to pose as someone else.
  if (!trusted) {
    if (headers.forwarded !== undefined) delete headers.forwarded;
    if (headers['x-real-ip'] !== undefined) delete headers['x-real-ip'];
  }
  headers['x-forwarded-for'] = trusted && typeof incomingFor === 'string' && incomingFor.length !== 0 ? `${incomingFor}, ${clientAddress}` : clientAddress;
  if (!trusted || headers['x-forwarded-proto'] === undefined) headers['x-forwarded-proto'] = (socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
  if (!trusted || headers['x-forwarded-host'] === undefined) headers['x-forwarded-host'] = raw.headers.host ?? '';
  if (!trusted || headers['x-forwarded-port'] === undefined) headers['x-forwarded-port'] = String(socket.localPort ?? '');
  headers['x-request-id'] = requestId;
  return headers;
}

/** The request's id: the client's when trusted and well-formed (1 to 200 visible ASCII characters), else a new UUID. */
export function requestIdOf(raw: IncomingMessage, trustRequestId: boolean): string {
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
