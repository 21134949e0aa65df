import * as grpc from '@grpc/grpc-js';
import { percentile } from '../../common/stats.js';
import { echoClient, GRPC_STATUS_NAMES, type EchoClient } from '../grpc-echo.js';
import type { LoadOutcome, LoadSpec } from '../protocol.js';

type GrpcSpec = Extract<LoadSpec, { kind: 'grpc' }>;

/**
 * gRPC unary load with the grpc-js client: `channels` clients, each on its own HTTP/2
 * connection, each keeping `callsPerChannel` unary calls in flight (a call that ends starts the
 * next) for `durationS`. Every channel is connected before the window opens, so connecting is
 * not timed. Counts completed calls (whatever their status), non-OK statuses by name, and each
 * call's latency. The echo's content is the check's business, not the load's: here only its
 * length is compared, and a wrong one counts as an error.
 */
export async function runGrpcUnary(spec: GrpcSpec): Promise<LoadOutcome> {
  const message = Buffer.alloc(spec.messageBytes, 'g');
  const clients: EchoClient[] = Array.from({ length: spec.channels }, () => echoClient(spec.address));
  const samples: number[] = [];
  const statusCodes: Record<string, number> = {};
  let completed = 0;
  let ok = 0;
  let errors = 0;
  let bytes = 0;
  let running = true;
  // One (empty) metadata object for every call: grpc-js copies it into each call's headers.
  const metadata = new grpc.Metadata();
  try {
    await Promise.all(clients.map((client) => waitForReady(client)));
    const call = (client: EchoClient): void => {
      const sentAt = performance.now();
      client.unary(message, metadata, {}, (error: grpc.ServiceError | null, value?: Buffer) => {
        if (!running) return;
        completed++;
        samples.push(performance.now() - sentAt);
        if (error !== null) {
          errors++;
          const name = GRPC_STATUS_NAMES[error.code] ?? String(error.code);
          statusCodes[name] = (statusCodes[name] ?? 0) + 1;
        } else {
          bytes += value!.length;
          if (value!.length === message.length) ok++;
          else errors++;
        }
        call(client);
      });
    };
    const started = performance.now();
    for (const client of clients) for (let i = 0; i < spec.callsPerChannel; i++) call(client);
    await new Promise((resolve) => setTimeout(resolve, spec.durationS * 1000));
    running = false;
    const durationS = (performance.now() - started) / 1000;
    const sorted = samples.sort((a, b) => a - b);
    if (ok > 0) statusCodes.OK = ok;
    return {
      tool: 'grpc-js',
      completed,
      durationS,
      latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), p999: percentile(sorted, 99.9) },
      errors,
      timeouts: statusCodes.DEADLINE_EXCEEDED ?? 0,
      non2xx: 0,
      statusCodes,
      bytes,
    };
  } finally {
    running = false;
    for (const client of clients) client.close();
  }
}

/** Connects a client's channel (10 s at most), so the timed window does not include connecting. */
function waitForReady(client: EchoClient): Promise<void> {
  return new Promise((resolve, reject) => client.waitForReady(Date.now() + 10_000, (error) => (error ? reject(error) : resolve())));
}
