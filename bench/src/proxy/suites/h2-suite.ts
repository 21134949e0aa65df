import { singleRouteList } from '../request-list.js';
import type { AbsentTarget, RunContext, Target } from '../target.js';
import { serverTarget, switchyardTarget, type TargetBasics } from '../targets.js';
import type { Suite } from './suite.js';

/** HTTP/2 load: this many connections, each with this many streams in flight. */
export const H2_LOAD = { connections: 10, streams: 10 } as const;

/**
 * HTTP/2 to the proxy (h2c with prior knowledge: no TLS, so the table measures the HTTP/2
 * handling and not record encryption), HTTP/1.1 to the upstream: @fastify/http-proxy on
 * Fastify's HTTP/2 server, the node:http2 + undici floor, and Switchyard's plain listener with
 * `h2c`. Loaded by h2load with many streams per connection. Every req/s ratio divides by
 * @fastify/http-proxy, every CPU ratio by the floor.
 */
export function h2Suite(context: RunContext): Suite {
  const upstream = context.smallUpstream;
  const requests = singleRouteList();
  const basics = (id: string, label: string): TargetBasics => ({ id, label, requests, expectation: { kind: 'small' }, upstream, h2: H2_LOAD });
  const absent: AbsentTarget[] = [];
  const targets: Target[] = [];
  if (context.tools.h2load === null) {
    for (const id of ['h2-fastify-http-proxy', 'h2-undici-floor', 'h2-switchyard']) absent.push({ id, label: id, reason: 'h2load (Debian: nghttp2-client) is not installed and could not be' });
  } else {
    targets.push(
      serverTarget(context, basics('h2-fastify-http-proxy', 'fastify (http2: true) + @fastify/http-proxy, h2c'), 'fastify-http-proxy', { upstream: upstream.address, h2c: true }),
      serverTarget(context, basics('h2-undici-floor', 'node:http2 + undici Pool.stream, h2c (floor)'), 'undici-h2-floor', { upstream: upstream.address }),
      switchyardTarget(context, basics('h2-switchyard', 'Switchyard plain listener with h2c, 1 path'), { kind: 'single' }, { h2c: true }),
    );
  }
  return {
    id: 'h2',
    title: 'HTTP/2 to the proxy (h2c, many streams per connection), HTTP/1.1 to the upstream',
    unit: 'request',
    baseline: 'h2-fastify-http-proxy',
    cpuFloor: 'h2-undici-floor',
    targets,
    absent,
    durationS: context.options.scenarioDurationS,
    errorFree: false,
    throughput: false,
    notes: [
      `h2load: ${H2_LOAD.connections} connections × ${H2_LOAD.streams} concurrent streams, one request (GET /, one Host); h2c with prior knowledge.`,
      'The issue asks Switchyard ≥ 1.3× @fastify/http-proxy’s req/s and ≥ 0.9× the floor’s, in the same run.',
    ],
  };
}
