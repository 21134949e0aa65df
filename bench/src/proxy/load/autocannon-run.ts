import autocannon from 'autocannon';
import type { LoadOutcome, LoadSpec } from '../protocol.js';
import { rotatedFor } from '../request-list.js';

type HttpSpec = Extract<LoadSpec, { kind: 'http' }>;

/**
 * autocannon's options for a spec: GET with each request's own Host header; with more than
 * one request and pipelining 1, each connection gets the list rotated to its own starting
 * point (autocannon refuses per-connection lists when pipelining), so the connections spread
 * over the hosts and paths instead of marching through them in step.
 */
export function autocannonOptions(spec: HttpSpec): autocannon.Options {
  const requests = spec.requests.map(({ host, path }) => ({ method: 'GET' as const, path, headers: { host } }));
  let connection = 0;
  const rotate = spec.pipelining === 1 && requests.length > 1;
  return {
    url: spec.url,
    connections: spec.connections,
    pipelining: spec.pipelining,
    duration: spec.durationS,
    requests,
    ...(spec.servername === undefined ? {} : { servername: spec.servername }),
    ...(rotate
      ? {
          setupClient: (client: autocannon.Client) => {
            const index = connection++;
            (client as unknown as { setRequests(list: unknown[]): void }).setRequests(rotatedFor(requests, index, spec.connections));
          },
        }
      : {}),
  };
}

/** Runs autocannon (programmatic, in this process) and returns what it measured. */
export async function runAutocannon(spec: HttpSpec): Promise<LoadOutcome> {
  const result = await autocannon(autocannonOptions(spec));
  const statusCodes: Record<string, number> = {};
  const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  for (const [code, { count }] of Object.entries(stats)) statusCodes[code] = count;
  const latency = result.latency as unknown as Record<string, number>;
  return {
    tool: 'autocannon',
    completed: result.requests.total,
    durationS: result.duration,
    latencyMs: { p50: latency.p50 ?? Number.NaN, p99: latency.p99 ?? Number.NaN, p999: latency.p99_9 ?? Number.NaN },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    bytes: result.throughput.total,
  };
}
