import { ECHO_MESSAGE_BYTES, ECHO_UNARY_PATH } from '../grpc-echo.js';
import { singleRouteList } from '../request-list.js';
import type { AbsentTarget, GrpcLoadShape, RunContext, Target } from '../target.js';
import { directTarget, serverTarget, type TargetBasics } from '../targets.js';
import type { Suite } from './suite.js';

/** gRPC load: this many grpc-js channels, each with this many unary calls in flight (100 in all, as the h2 scenario's streams). */
export const GRPC_LOAD: GrpcLoadShape = { channels: 10, callsPerChannel: 10 };

/**
 * gRPC unary calls per second through Switchyard against calling the upstream directly, both
 * with the grpc-js client: the upstream alone (the ceiling, and the baseline of the ratio), and
 * Switchyard's plain listener with `h2c`, routing the calls by a GRPCRoute on a Gateway port to
 * a Service port with `appProtocol: kubernetes.io/h2c` (so h2c to the upstream too).
 */
export function grpcSuite(context: RunContext): Suite {
  const upstream = context.grpcUpstream;
  const targets: Target[] = [];
  const absent: AbsentTarget[] = [];
  if (upstream === undefined) {
    // The rig starts the gRPC upstream whenever `grpc` is among the scenarios; this is a misuse.
    for (const id of ['grpc-direct', 'grpc-switchyard']) absent.push({ id, label: id, reason: 'no gRPC upstream was started' });
  } else {
    const basics = (id: string, label: string): TargetBasics => ({
      id,
      label,
      requests: singleRouteList(ECHO_UNARY_PATH),
      expectation: { kind: 'small' },
      upstream,
      protocol: 'grpc',
      grpc: GRPC_LOAD,
    });
    targets.push(
      directTarget(context, basics('grpc-direct', 'grpc-js server alone, called directly')),
      serverTarget(context, basics('grpc-switchyard', 'Switchyard plain listener with h2c, GRPCRoute to an h2c Service port'), 'switchyard-grpc', { upstream: upstream.address }),
    );
  }
  return {
    id: 'grpc',
    title: `gRPC unary calls (${ECHO_MESSAGE_BYTES}-byte echo, grpc-js client and server)`,
    unit: 'call',
    baseline: 'grpc-direct',
    cpuFloor: undefined,
    targets,
    absent,
    durationS: context.options.scenarioDurationS,
    errorFree: false,
    throughput: false,
    upstreamCpu: true,
    notes: [
      `Load: the grpc-js client in the load generator's process, ${GRPC_LOAD.channels} channels (one HTTP/2 connection each) × ${GRPC_LOAD.callsPerChannel} unary calls in flight; each call is \`${ECHO_UNARY_PATH}\` with a ${ECHO_MESSAGE_BYTES}-byte message, echoed with a trailer. Latency is per call, measured by the client in µs precision.`,
      'Checked first: one call through each target returns the echo with status OK and the upstream’s trailer carrying this run’s token.',
      'The direct row’s CPU is the upstream’s own (it is the target there); “upstream CPU µs/call” is the grpc-js server’s CPU per call in both rows. Errors are calls ended with a status other than OK.',
      'The grpc-js client costs more CPU per call than either server, and it shares core 1 with the upstream: “gen + up” near 1.0 means core 1 (client and upstream), not the target, was the limit. On 2 cores that is the direct row’s case, so its figure is this rig’s ceiling rather than the upstream’s.',
    ],
  };
}
