import { singleRouteList } from '../request-list.js';
import { SINGLE_HOST } from '../route-tables.js';
import type { RunContext } from '../target.js';
import { directTarget, serverTarget, switchyardTarget, type TargetBasics } from '../targets.js';
import type { Suite } from './suite.js';

/** The path WebSocket clients open. */
const WS_PATH = '/ws';
/** Bytes per echoed message. */
export const WS_MESSAGE_BYTES = 64;

/**
 * WebSocket echo: each connection sends a message, waits for the echo, sends the next;
 * messages per second through Switchyard, against @fastify/http-proxy's WebSocket support and
 * the echo upstream alone. Once the upgrade is done a proxy only copies bytes both ways.
 */
export function webSocketSuite(context: RunContext): Suite {
  const upstream = context.nodeUpstream;
  const webSocket = { host: SINGLE_HOST, path: WS_PATH };
  const basics = (id: string, label: string): TargetBasics => ({
    id,
    label,
    requests: singleRouteList(WS_PATH),
    expectation: { kind: 'small' },
    upstream,
    protocol: 'ws',
    webSocket,
  });
  return {
    id: 'websocket',
    title: `WebSocket echo (${WS_MESSAGE_BYTES}-byte messages, one in flight per connection)`,
    unit: 'message',
    baseline: 'ws-fastify-http-proxy',
    cpuFloor: undefined,
    targets: [
      directTarget(context, basics('ws-direct', 'echo upstream alone (ws)')),
      serverTarget(context, basics('ws-fastify-http-proxy', 'fastify + @fastify/http-proxy, websocket: true'), 'fastify-http-proxy', { upstream: upstream.address, websocket: true }),
      switchyardTarget(context, basics('ws-switchyard', 'Switchyard, 1 path'), { kind: 'single' }),
    ],
    absent: [],
    durationS: context.options.scenarioDurationS,
    errorFree: false,
    throughput: false,
    notes: ['Latency here is the round trip of one message, measured by the client in µs precision.'],
  };
}
