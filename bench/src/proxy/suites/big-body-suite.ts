import { singleRouteList } from '../request-list.js';
import { BIG_BODY_BYTES, BIG_BODY_PATH } from '../servers/upstream-contract.js';
import type { RunContext } from '../target.js';
import { directTarget, serverTarget, switchyardTarget, type TargetBasics } from '../targets.js';
import type { Suite } from './suite.js';

/**
 * A 1 MiB response streamed by the Node upstream in 64 KiB chunks (no Content-Length):
 * Switchyard against @fastify/http-proxy, the undici floor and the upstream alone.
 */
export function bigBodySuite(context: RunContext): Suite {
  const upstream = context.nodeUpstream;
  const requests = singleRouteList(BIG_BODY_PATH);
  const basics = (id: string, label: string): TargetBasics => ({ id, label, requests, expectation: { kind: 'big-body', bytes: BIG_BODY_BYTES }, upstream });
  return {
    id: 'big-body',
    title: '1 MiB streamed response body',
    unit: 'request',
    baseline: 'big-fastify-http-proxy',
    cpuFloor: 'big-undici-floor',
    targets: [
      directTarget(context, basics('big-direct', 'upstream alone (node:http)')),
      serverTarget(context, basics('big-fastify-http-proxy', 'fastify + @fastify/http-proxy, 1 route'), 'fastify-http-proxy', { upstream: upstream.address }),
      serverTarget(context, basics('big-undici-floor', 'node:http + undici Pool.stream'), 'undici-floor', { upstream: upstream.address }),
      switchyardTarget(context, basics('big-switchyard', 'Switchyard, 1 path'), { kind: 'single' }),
    ],
    absent: [],
    durationS: context.options.scenarioDurationS,
    errorFree: false,
    throughput: true,
    notes: [`Every answer is ${BIG_BODY_BYTES / 2 ** 20} MiB, streamed in 64 KiB chunks without a Content-Length, so the proxies re-chunk it.`],
  };
}
