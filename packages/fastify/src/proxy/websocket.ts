import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { hashKeyOf, isSwitchyardError, normalizeHost, normalizePath, type BackendBalancer, type Endpoint, type Route } from '@switchyard/core';
import type { FastifyErrorCode } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import { answerOnSocket } from './answer.js';
import type { BackendBalancers } from './backend-balancers.js';
import { dropHopByHop, forwardRequestHeaders, requestIdOf } from './forward-headers.js';
import { hostProblem, parseRequestTarget } from './request-target.js';
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
  readonly requestId: string;
  readonly startedAt: number;
  readonly tried: Endpoint[];
  upstream: ClientRequest | undefined;
}

/**
 * Proxies HTTP/1.1 upgrades (WebSocket) through the same routing as requests: the upgrade
 * request is matched, an endpoint picked, the request forwarded with the same headers; a 101
 * from the upstream joins the two sockets byte for byte, any other answer is relayed as is.
 * A failed connection is tried on another endpoint, like an idempotent request.
 */
export class WebSocketProxy {
  private readonly open = new Set<Duplex>();

  constructor(
    private readonly options: ResolvedOptions,
    private readonly balancers: BackendBalancers,
  ) {}

  /** The server's `upgrade` listener. */
  readonly handleUpgrade = (client: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const startedAt = performance.now();
    const target = parseRequestTarget(client.url ?? '/');
    if (target === undefined) return this.refuse(socket, undefined, startedAt, 400, 'SWY_PROXY_BAD_REQUEST', 'the request target is not a path or an absolute http URL');
    const hostIssue = hostProblem(client.rawHeaders, client.httpVersionMinor, target.authority !== undefined);
    if (hostIssue !== undefined) return this.refuse(socket, undefined, startedAt, 400, 'SWY_PROXY_BAD_REQUEST', hostIssue);
    let host: string;
    let path: string;
    try {
      host = normalizeHost(target.authority ?? client.headers.host ?? '');
      path = normalizePath(target.path);
    } catch (error) {
      if (!isSwitchyardError(error)) throw error;
      return this.refuse(socket, undefined, startedAt, 400, 'SWY_PROXY_BAD_REQUEST', `${error.code}: ${error.message}`);
    }
    const route = this.options.router.table.lookup(host, path);
    if (route === undefined) return this.refuse(socket, undefined, startedAt, 404, 'SWY_PROXY_NO_ROUTE', `no rule matches ${host}${path} and no Ingress has a default backend`);
    const balancer = this.balancers.of(route.backendKey);
    const policy = balancer.policy;
    const tunnel: Tunnel = {
      client,
      socket,
      head,
      route,
      balancer,
      hashKey: policy.kind === 'consistent-hash' ? hashKeyOf(policy.on, client.headers, client.socket.remoteAddress) : undefined,
      target: path + target.query,
      requestId: requestIdOf(client, this.options.trustRequestId),
      startedAt,
      tried: [],
      upstream: undefined,
    };
    this.open.add(socket);
    socket.once('close', () => {
      this.open.delete(socket);
      tunnel.upstream?.destroy();
    });
    this.attempt(tunnel);
  };

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

  private attempt(tunnel: Tunnel): void {
    const eligible = this.options.router.endpoints(tunnel.route)?.eligible ?? [];
    const endpoint = tunnel.balancer.pick(eligible, tunnel.hashKey, tunnel.tried);
    if (endpoint === undefined) return this.refuse(tunnel.socket, tunnel.route, tunnel.startedAt, 503, 'SWY_PROXY_NO_ENDPOINT', `${tunnel.route.backendKey} has no ready endpoint`);
    const { client } = tunnel;
    const headers: IncomingHttpHeaders = { ...client.headers };
    const upgrade = client.headers.upgrade;
    const host = endpoint.externalName === undefined ? (client.headers.host ?? '') : endpoint.port === 80 ? endpoint.externalName : `${endpoint.externalName}:${endpoint.port}`;
    forwardRequestHeaders(client, headers, host, tunnel.requestId, this.options.trustForwarded);
    // The two hop-by-hop headers an upgrade is made of, forwarded on purpose.
    headers.connection = 'upgrade';
    if (upgrade !== undefined) headers.upgrade = upgrade;

    tunnel.balancer.started(endpoint);
    let settled = false;
    const finish = (outcome: 'success' | 'failure'): void => {
      if (settled) return;
      settled = true;
      if (tunnel.balancer.finished(endpoint, outcome)) this.options.observer?.ejected(tunnel.route);
    };
    const upstream = httpRequest({ host: endpoint.address, port: endpoint.port, method: client.method, path: tunnel.target, headers, agent: false, setHost: false });
    tunnel.upstream = upstream;
    upstream.setTimeout(this.options.connectTimeoutMs, () => upstream.destroy(timeoutError('UND_ERR_CONNECT_TIMEOUT')));
    upstream.once('socket', (socket) => {
      socket.once('connect', () => upstream.setTimeout(this.options.firstByteTimeoutMs, () => upstream.destroy(timeoutError('UND_ERR_HEADERS_TIMEOUT'))));
    });
    upstream.once('upgrade', (response, upstreamSocket, upstreamHead) => {
      upstream.setTimeout(0);
      const socket = tunnel.socket;
      if (socket.destroyed) return void upstreamSocket.destroy();
      socket.write(statusHead(response));
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
      socket.write(statusHead(response));
      response.pipe(socket);
      this.options.observer?.requestFinished(tunnel.route, response.statusCode ?? 502, (performance.now() - tunnel.startedAt) / 1000);
    });
    upstream.once('error', (error) => {
      finish('failure');
      if (tunnel.socket.destroyed) return;
      const failure = classifyUpstreamError(error);
      if (failure.retryable && tunnel.tried.length < this.options.retries) {
        tunnel.tried.push(endpoint);
        const eligibleNow = this.options.router.endpoints(tunnel.route)?.eligible ?? [];
        if (tunnel.balancer.pick(eligibleNow, tunnel.hashKey, tunnel.tried) !== undefined) {
          this.options.observer?.retried(tunnel.route);
          return this.attempt(tunnel);
        }
      }
      const what = failure.statusCode === 504 ? 'timed out' : 'failed';
      this.refuse(tunnel.socket, tunnel.route, tunnel.startedAt, failure.statusCode, failure.code, `upstream ${endpoint.address}:${endpoint.port} of ${tunnel.route.backendKey} ${what} (${failure.reason})`);
    });
    upstream.end();
  }

  private refuse(socket: Duplex, route: Route | undefined, startedAt: number, statusCode: number, code: FastifyErrorCode, reason: string): void {
    answerOnSocket(socket, statusCode, code, reason);
    this.options.observer?.requestFinished(route, statusCode, (performance.now() - startedAt) / 1000, code);
  }
}

/** The status line and headers of an upstream answer, hop-by-hop headers dropped (but those of a 101 kept). */
function statusHead(response: IncomingMessage): string {
  const upgrading = response.statusCode === 101;
  const headers: Record<string, unknown> = {};
  const raw = response.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers[raw[i]!.toLowerCase()] = raw[i + 1];
  if (!upgrading) dropHopByHop(headers);
  let head = `HTTP/1.1 ${response.statusCode} ${response.statusMessage ?? ''}\r\n`;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!(name in headers)) continue;
    head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  }
  // A declined upgrade's body is relayed until the upstream closes; the client must not wait for more.
  if (!upgrading) head += 'connection: close\r\n';
  return `${head}\r\n`;
}

function timeoutError(code: string): Error {
  return Object.assign(new Error(code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect timeout' : 'no response in time'), { code });
}
