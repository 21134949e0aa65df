import { randomUUID } from 'node:crypto';
import { request as httpRequest, ServerResponse, type ClientRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AddressPolicy, RoutableEndpoint } from '@switchyard/core';
import type { FastifyErrorCode } from '../errors.js';
import type { ProxyObserver } from '../options.js';
import { addressDeniedError, guardedLookup } from './address-guard.js';
import { answerOnResponse, answerOnSocket } from './answer.js';
import { noEndpointAnswer } from './no-endpoint.js';
import { protocolOf } from './request-protocol.js';
import { markPendingUpgrade, type PendingUpgrade } from './pending-upgrade.js';
import type { Exchange } from './exchange.js';
import { forwardHeaderList, upstreamHostFor } from './forward-headers.js';
import { applyRequestHeaderFilters } from './gateway/rule-headers.js';
import { recordUnrouted } from './request-outcome.js';
import { responseHead } from './response-head.js';
import { classifyUpstreamError } from './upstream-errors.js';

/** One upgrade being proxied. */
interface Tunnel {
  readonly exchange: Exchange;
  readonly socket: Duplex;
  readonly head: Buffer;
  upstream: ClientRequest | undefined;
}

/**
 * Proxies HTTP/1.1 upgrades (WebSocket) through the same routing as requests. The upgrade
 * request goes through Fastify's own routing first (`routeUpgrade`), so the proxy's matching,
 * the HTTPS redirect and the app's hooks (auth) run for it as for any request; the proxy's
 * handler then hands it here with its exchange, which picks, retries and records the outcome
 * as for any request. The request is forwarded with the same headers; a 101 from the upstream
 * joins the two sockets byte for byte, any other answer is relayed as is. A failed connection
 * is tried on another endpoint, like an idempotent request.
 */
export class WebSocketProxy {
  private readonly open = new Set<Duplex>();

  constructor(
    private readonly timeouts: { readonly connectMs: number; readonly firstByteMs: number },
    private readonly trustForwarded: boolean,
    /** Hears the refused CONNECT requests, which have no exchange. */
    private readonly observer: ProxyObserver | undefined,
    /** Asked before each upstream connection: a denied address fails the attempt, no socket opened. */
    private readonly addressPolicy: AddressPolicy,
  ) {
    this.lookup = guardedLookup(addressPolicy);
  }

  /** For endpoints given as names: their resolved addresses are checked too. */
  private readonly lookup: ReturnType<typeof guardedLookup>;

  /**
   * The server's `upgrade` listener: runs the request through `routing` (the Fastify app's) with
   * a response bound to the socket, so anything that answers it (a hook's 401, a 404, the 308)
   * is written there and closes it.
   */
  routeUpgrade(routing: (request: IncomingMessage, response: ServerResponse) => void, client: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    // Tracked from the start, so closing the app also cuts upgrades still in the app's hooks.
    this.open.add(socket);
    socket.once('close', () => this.open.delete(socket));
    markPendingUpgrade(client, { socket, head });
    const response = new ServerResponse(client);
    // Whatever answers an upgrade request other than the upstream's 101 ends the connection:
    // nothing reads this socket any more, so its end would never be noticed otherwise.
    response.shouldKeepAlive = false;
    response.assignSocket(socket as Socket);
    response.once('finish', () => {
      if (!response.socket) return;
      (socket as Socket).destroySoon();
    });
    routing(client, response);
  }

  /**
   * Proxies a matched upgrade request (the proxy's handler calls this after the hooks ran) to
   * `first`, the endpoint the exchange picked; none answers 503.
   */
  tunnel(exchange: Exchange, response: ServerResponse, pending: PendingUpgrade, first: RoutableEndpoint | undefined): void {
    // The socket is the tunnel's from here: the response bound to it writes nothing more.
    response.detachSocket(pending.socket as Socket);
    const tunnel: Tunnel = { exchange, socket: pending.socket, head: pending.head, upstream: undefined };
    pending.socket.once('close', () => tunnel.upstream?.destroy());
    if (first === undefined) {
      const none = noEndpointAnswer(exchange);
      return this.refuse(tunnel, 503, none.code, none.reason);
    }
    this.attempt(tunnel, first);
  }

  /**
   * The server's `connect` listener: CONNECT (a tunnel to an authority) is not something an edge
   * router offers. Over HTTP/1.1 Node hands the socket; over HTTP/2 the CONNECT stream's
   * request and response (Node's compatibility API), answered as any response.
   */
  readonly refuseConnect = (client: IncomingMessage, socket: Duplex): void => {
    const http2 = client.httpVersionMajor === 2;
    const authority = http2 ? client.headers[':authority'] : client.url;
    const reason = `CONNECT ${String(authority ?? '')} is not proxied: the gateway routes requests by path`;
    if (http2) {
      answerOnResponse(socket as unknown as ServerResponse, 400, 'SWY_PROXY_BAD_REQUEST', reason, randomUUID(), false);
    } else {
      socket.on('error', () => socket.destroy());
      answerOnSocket(socket, 400, 'SWY_PROXY_BAD_REQUEST', reason);
    }
    const host = http2 ? (client.headers[':authority'] as string | undefined) : client.headers.host;
    recordUnrouted(this.observer, undefined, { protocol: protocolOf(client), method: client.method, host, path: client.url, statusCode: 400, code: 'SWY_PROXY_BAD_REQUEST', reason });
  };

  /** Cuts every open tunnel (on close: a WebSocket has no natural end to drain to). */
  closeAll(): void {
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  private attempt(tunnel: Tunnel, endpoint: RoutableEndpoint): void {
    const { exchange } = tunnel;
    const client = exchange.request.raw;
    const headers = forwardHeaderList(client, exchange.rewrittenHost ?? upstreamHostFor(endpoint, exchange.clientHost), exchange.clientHost, exchange.requestId, this.trustForwarded);
    if (exchange.ruleActions) applyRequestHeaderFilters(exchange.route!, headers);
    // The two hop-by-hop headers an upgrade is made of, forwarded on purpose.
    headers.push('connection', 'upgrade');
    const upgrade = client.headers.upgrade;
    if (upgrade !== undefined) headers.push('upgrade', upgrade);

    exchange.attemptStarted(endpoint);
    let settled = false;
    const settle = (outcome: 'success' | 'failure'): void => {
      if (settled) return;
      settled = true;
      exchange.attemptEnded(endpoint, outcome);
    };
    const failed = (error: Error): void => {
      settle('failure');
      if (tunnel.socket.destroyed) return;
      const failure = classifyUpstreamError(error);
      exchange.errorReason = failure.reason;
      const next = exchange.retryAfter(endpoint, failure);
      if (next !== undefined) return this.attempt(tunnel, next);
      const what = failure.statusCode === 504 ? 'timed out' : failure.code === 'SWY_PROXY_ADDRESS_DENIED' ? 'was refused' : 'failed';
      this.refuse(tunnel, failure.statusCode, failure.code, `upstream ${endpoint.key} of ${exchange.route!.backendKey} ${what} (${failure.reason})`);
    };
    // Before any socket: an address the policy denies is a failed attempt (another endpoint may be tried).
    const denial = this.addressPolicy.check(endpoint.address);
    if (denial !== undefined) return failed(addressDeniedError(denial));
    const upstream = httpRequest({
      host: endpoint.address,
      port: endpoint.port,
      method: client.method,
      path: exchange.upstreamPath + exchange.query,
      headers,
      agent: false,
      setHost: false,
      lookup: this.lookup,
    });
    tunnel.upstream = upstream;
    // One timer, two phases: connecting, then waiting for the upstream's answer.
    let connected = false;
    upstream.setTimeout(this.timeouts.connectMs, () => upstream.destroy(timeoutError(connected ? 'UND_ERR_HEADERS_TIMEOUT' : 'UND_ERR_CONNECT_TIMEOUT')));
    upstream.once('socket', (socket) => {
      socket.once('connect', () => {
        connected = true;
        upstream.setTimeout(this.timeouts.firstByteMs);
      });
    });
    // A handshake abandoned by the client (its socket closed) ends without error or answer;
    // an established tunnel stays in flight until it closes.
    let upgraded = false;
    upstream.once('close', () => {
      if (!upgraded) settle('success');
    });
    upstream.once('upgrade', (response, upstreamSocket, upstreamHead) => {
      upgraded = true;
      upstream.setTimeout(0);
      const socket = tunnel.socket;
      if (socket.destroyed) return void upstreamSocket.destroy();
      socket.write(statusHead(response, exchange.requestId));
      if (upstreamHead.length !== 0) socket.write(upstreamHead);
      if (tunnel.head.length !== 0) upstreamSocket.write(tunnel.head);
      upstreamSocket.on('error', () => socket.destroy());
      upstreamSocket.once('close', () => {
        socket.destroy();
        settle('success');
      });
      socket.once('close', () => upstreamSocket.destroy());
      upstreamSocket.pipe(socket);
      socket.pipe(upstreamSocket);
      exchange.finish(101);
    });
    upstream.once('response', (response) => {
      // The upstream declined the upgrade: relay its answer and close.
      upstream.setTimeout(0);
      settle(response.statusCode !== undefined && response.statusCode >= 500 ? 'failure' : 'success');
      const socket = tunnel.socket;
      socket.write(statusHead(response, exchange.requestId));
      response.pipe(socket);
      exchange.finish(response.statusCode ?? 502);
    });
    upstream.once('error', failed);
    upstream.end();
  }

  private refuse(tunnel: Tunnel, statusCode: number, code: FastifyErrorCode, reason: string): void {
    answerOnSocket(tunnel.socket, statusCode, code, reason);
    tunnel.exchange.errorCode = code;
    tunnel.exchange.finish(statusCode);
  }
}

/**
 * The status line and headers of an upstream answer to an upgrade: a 101's as they are (its
 * Connection and Upgrade are the point), any other's without hop-by-hop headers and with
 * `connection: close`, since its body is relayed until the upstream closes.
 */
function statusHead(response: IncomingMessage, requestId: string): string {
  const upgrading = response.statusCode === 101;
  const headers = upgrading ? response.rawHeaders : responseHead(response.rawHeaders, requestId, true);
  let head = `HTTP/1.1 ${response.statusCode} ${response.statusMessage ?? ''}\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return `${head}\r\n`;
}

function timeoutError(code: string): Error {
  return Object.assign(new Error(code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect timeout' : 'no response in time'), { code });
}
