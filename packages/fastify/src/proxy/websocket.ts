import { request as httpRequest, ServerResponse, type ClientRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { endpointKey, type BackendBalancer, type Endpoint, type Route } from '@switchyard/core';
import type { FastifyErrorCode } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import { answerOnSocket } from './answer.js';
import { forwardHeaderList, upstreamHostFor } from './forward-headers.js';
import { responseHead } from './response-head.js';
import { classifyUpstreamError } from './upstream-errors.js';

/** One upgrade being proxied. */
interface Tunnel {
  readonly client: IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
  readonly route: Route;
  readonly balancer: BackendBalancer;
  readonly hashKey: string | undefined;
  readonly target: string;
  /** The Host the client sent, or the authority of an absolute-form target: what was routed. */
  readonly clientHost: string;
  readonly requestId: string;
  readonly startedAt: number;
  readonly tried: Endpoint[];
  upstream: ClientRequest | undefined;
}

/** What an upgrade request carries from the server's `upgrade` event into Fastify's routing. */
export interface PendingUpgrade {
  readonly socket: Duplex;
  readonly head: Buffer;
}

const PENDING_UPGRADE = Symbol('switchyard.pendingUpgrade');
type UpgradeRequest = IncomingMessage & { [PENDING_UPGRADE]?: PendingUpgrade };

/** The socket and head of an upgrade request that came through `routeUpgrade`, if it is one. */
export function pendingUpgradeOf(request: IncomingMessage): PendingUpgrade | undefined {
  return (request as UpgradeRequest)[PENDING_UPGRADE];
}

/**
 * Proxies HTTP/1.1 upgrades (WebSocket) through the same routing as requests. The upgrade
 * request goes through Fastify's own routing first (`routeUpgrade`), so the proxy's matching,
 * the HTTPS redirect and the app's hooks (auth) run for it as for any request; the proxy's
 * handler then hands it here. The request is forwarded with the same headers; a 101 from the
 * upstream joins the two sockets byte for byte, any other answer is relayed as is. A failed
 * connection is tried on another endpoint, like an idempotent request.
 */
export class WebSocketProxy {
  private readonly open = new Set<Duplex>();

  constructor(private readonly options: ResolvedOptions) {}

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
    (client as UpgradeRequest)[PENDING_UPGRADE] = { socket, head };
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

  /** Proxies a matched upgrade request (the proxy's handler calls this after the hooks ran). */
  tunnel(state: { readonly route: Route; readonly balancer: BackendBalancer; readonly hashKey: string | undefined; readonly requestId: string; readonly startedAt: number; readonly clientHost: string; readonly path: string; readonly query: string }, client: IncomingMessage, response: ServerResponse, pending: PendingUpgrade): void {
    // The socket is the tunnel's from here: the response bound to it writes nothing more.
    response.detachSocket(pending.socket as Socket);
    const tunnel: Tunnel = {
      client,
      socket: pending.socket,
      head: pending.head,
      route: state.route,
      balancer: state.balancer,
      hashKey: state.hashKey,
      target: state.path + state.query,
      clientHost: state.clientHost,
      requestId: state.requestId,
      startedAt: state.startedAt,
      tried: [],
      upstream: undefined,
    };
    pending.socket.once('close', () => tunnel.upstream?.destroy());
    const endpoint = this.pick(tunnel);
    if (endpoint === undefined) return this.refuse(tunnel.socket, tunnel.route, tunnel.startedAt, 503, 'SWY_PROXY_NO_ENDPOINT', `${tunnel.route.backendKey} has no ready endpoint`);
    this.attempt(tunnel, endpoint);
  }

  /** The server's `connect` listener: CONNECT (a tunnel to an authority) is not something an edge router offers. */
  readonly refuseConnect = (client: IncomingMessage, socket: Duplex): void => {
    socket.on('error', () => socket.destroy());
    this.refuse(socket, undefined, performance.now(), 400, 'SWY_PROXY_BAD_REQUEST', `CONNECT ${client.url ?? ''} is not proxied: the gateway routes requests by path`);
  };

  /** Cuts every open tunnel (on close: a WebSocket has no natural end to drain to). */
  closeAll(): void {
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  /** An endpoint of the route's backend not tried yet by this tunnel. */
  private pick(tunnel: Tunnel): Endpoint | undefined {
    const eligible = this.options.router.endpoints(tunnel.route)?.eligible ?? [];
    return tunnel.balancer.pick(eligible, tunnel.hashKey, tunnel.tried);
  }

  private attempt(tunnel: Tunnel, endpoint: Endpoint): void {
    const { client } = tunnel;
    const headers = forwardHeaderList(client, upstreamHostFor(endpoint, tunnel.clientHost), tunnel.requestId, this.options.trustForwarded);
    // The two hop-by-hop headers an upgrade is made of, forwarded on purpose.
    headers.push('connection', 'upgrade');
    const upgrade = client.headers.upgrade;
    if (upgrade !== undefined) headers.push('upgrade', upgrade);

    tunnel.balancer.started(endpoint);
    let settled = false;
    const finish = (outcome: 'success' | 'failure'): void => {
      if (settled) return;
      settled = true;
      if (tunnel.balancer.finished(endpoint, outcome)) this.options.observer?.ejected(tunnel.route);
    };
    const upstream = httpRequest({ host: endpoint.address, port: endpoint.port, method: client.method, path: tunnel.target, headers, agent: false, setHost: false });
    tunnel.upstream = upstream;
    // One timer, two phases: connecting, then waiting for the upstream's answer.
    let connected = false;
    upstream.setTimeout(this.options.connectTimeoutMs, () => upstream.destroy(timeoutError(connected ? 'UND_ERR_HEADERS_TIMEOUT' : 'UND_ERR_CONNECT_TIMEOUT')));
    upstream.once('socket', (socket) => {
      socket.once('connect', () => {
        connected = true;
        upstream.setTimeout(this.options.firstByteTimeoutMs);
      });
    });
    // A handshake abandoned by the client (its socket closed) ends without error or answer;
    // an established tunnel stays in flight until it closes.
    let upgraded = false;
    upstream.once('close', () => {
      if (!upgraded) finish('success');
    });
    upstream.once('upgrade', (response, upstreamSocket, upstreamHead) => {
      upgraded = true;
      upstream.setTimeout(0);
      const socket = tunnel.socket;
      if (socket.destroyed) return void upstreamSocket.destroy();
      socket.write(statusHead(response, tunnel.requestId));
      if (upstreamHead.length !== 0) socket.write(upstreamHead);
      if (tunnel.head.length !== 0) upstreamSocket.write(tunnel.head);
      upstreamSocket.on('error', () => socket.destroy());
      upstreamSocket.once('close', () => {
        socket.destroy();
        finish('success');
      });
      socket.once('close', () => upstreamSocket.destroy());
      upstreamSocket.pipe(socket);
      socket.pipe(upstreamSocket);
      this.options.observer?.requestFinished(tunnel.route, 101, (performance.now() - tunnel.startedAt) / 1000);
    });
    upstream.once('response', (response) => {
      // The upstream declined the upgrade: relay its answer and close.
      upstream.setTimeout(0);
      finish(response.statusCode !== undefined && response.statusCode >= 500 ? 'failure' : 'success');
      const socket = tunnel.socket;
      socket.write(statusHead(response, tunnel.requestId));
      response.pipe(socket);
      this.options.observer?.requestFinished(tunnel.route, response.statusCode ?? 502, (performance.now() - tunnel.startedAt) / 1000);
    });
    upstream.once('error', (error) => {
      finish('failure');
      if (tunnel.socket.destroyed) return;
      const failure = classifyUpstreamError(error);
      if (failure.retryable && tunnel.tried.length < this.options.retries) {
        tunnel.tried.push(endpoint);
        // Picked once, and that endpoint is the one tried: a pick moves the balancer's rotation.
        const next = this.pick(tunnel);
        if (next !== undefined) {
          this.options.observer?.retried(tunnel.route);
          return this.attempt(tunnel, next);
        }
      }
      const what = failure.statusCode === 504 ? 'timed out' : 'failed';
      this.refuse(tunnel.socket, tunnel.route, tunnel.startedAt, failure.statusCode, failure.code, `upstream ${endpointKey(endpoint)} of ${tunnel.route.backendKey} ${what} (${failure.reason})`);
    });
    upstream.end();
  }

  private refuse(socket: Duplex, route: Route | undefined, startedAt: number, statusCode: number, code: FastifyErrorCode, reason: string): void {
    answerOnSocket(socket, statusCode, code, reason);
    this.options.observer?.requestFinished(route, statusCode, (performance.now() - startedAt) / 1000, code);
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
