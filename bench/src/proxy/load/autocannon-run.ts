import autocannon from 'autocannon';
import type { LoadOutcome, LoadSpec } from '../protocol.js';
import { requestsForConnection } from '../request-list.js';

type HttpSpec = Extract<LoadSpec, { kind: 'http' }>;

/**
 * autocannon's options for a spec: each request with its own Host header (and, for the Gateway
 * API table, its own method and headers: autocannon's `requests` entries carry both). With more than
 * one request (and pipelining 1: autocannon refuses per-connection lists when pipelining),
 * each connection cycles through its own slice of the list (see `requestsForConnection`);
 * the options themselves carry only the first request, because autocannon deep-copies them
 * once per connection.
 */
export function autocannonOptions(spec: HttpSpec): autocannon.Options {
  const requests = spec.requests.map(({ host, path, method, headers }) => ({ method: (method ?? 'GET') as autocannon.Request['method'], path, headers: { ...headers, host } }));
  const perConnection = spec.pipelining === 1 && requests.length > 1;
  let connection = 0;
  return {
    url: spec.url,
    connections: spec.connections,
    pipelining: spec.pipelining,
    duration: spec.durationS,
    requests: perConnection ? requests.slice(0, 1) : requests,
    ...(spec.servername === undefined ? {} : { servername: spec.servername }),
    ...(perConnection
      ? {
          setupClient: (client: autocannon.Client) => {
            const index = connection++;
            (client as unknown as { setRequests(list: unknown[]): void }).setRequests(requestsForConnection(requests, index, spec.connections));
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
