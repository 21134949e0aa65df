import { Agent as HttpAgent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BenchError, targetSubject } from '../common/errors.js';
import { describeRequest, get, type CheckTarget } from './check.js';
import type { HostPath } from './request-list.js';
import type { BackendProbePorts } from './servers/target-config.js';

/** The header a probe server answers with: the backend key it stands for. */
export const PROBE_BACKEND_HEADER = 'x-bench-backend';
/** What the catch-all probe server answers for every backend no request of the sample expects. */
export const OTHER_BACKEND = '(a backend no checked request expects)';
const CHECK_CONCURRENCY = 4;
/** Distinct requests of the load list whose backend is checked (the run's ordinary check takes as many). */
export const BACKEND_CHECK_SAMPLE = 256;

/** Probe servers on 127.0.0.1, one per expected backend and one for all others. */
export interface BackendProbe {
  readonly ports: BackendProbePorts;
  close(): Promise<void>;
}

/**
 * Under load every backend of a table points at the one upstream, so the upstream cannot say
 * which rule a request matched; for the Gateway API that is the point (a header or a method
 * picks the rule). So before the load, the target's backends point here instead: a small
 * `node:http` server per backend the check expects, each answering with its backend key in
 * `x-bench-backend`, and one server for all the others.
 */
export async function startBackendProbe(backends: Iterable<string>): Promise<BackendProbe> {
  const servers: Server[] = [];
  const listen = async (backend: string): Promise<number> => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { [PROBE_BACKEND_HEADER]: backend, 'content-length': '0' });
      res.end();
    });
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return (server.address() as AddressInfo).port;
  };
  try {
    const ports: Record<string, number> = {};
    for (const backend of new Set(backends)) ports[backend] = await listen(backend);
    const otherPort = await listen(OTHER_BACKEND);
    return { ports: { ports, otherPort }, close: () => closeAll(servers) };
  } catch (error) {
    await closeAll(servers);
    throw error;
  }
}

/**
 * Sends each request through the target (its method, Host and headers) while the target's
 * backends point at the probe, and requires the answer of the backend the request names: the
 * rule the reference matcher picks, not just some route. The first wrong answer throws; a 404
 * says in the message that the proxy did not consult the Gateway API listeners at all.
 *
 * @throws BenchError `SWY_BENCH_WRONG_ANSWER` naming the target (subject), field `backend` or `status`.
 */
export async function checkBackends(target: CheckTarget, requests: readonly HostPath[]): Promise<void> {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: CHECK_CONCURRENCY });
  try {
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        if (request.backend === undefined) continue;
        const answer = await get(target.url, request, agent);
        const seen = answer.headers[PROBE_BACKEND_HEADER];
        if (answer.status !== 200 || seen !== request.backend) {
          const field = answer.status === 200 ? 'backend' : 'status';
          const notRouted =
            answer.status === 404 ? ' (404: the proxy found no route, so it did not consult the Gateway API listeners; the plugin needs its `gatewayPort` option wired to serve them)' : '';
          throw new BenchError(
            'SWY_BENCH_WRONG_ANSWER',
            `${target.id}: ${describeRequest(request)}: reached ${answer.status === 200 ? JSON.stringify(seen ?? '(no probe header)') : `status ${answer.status}`}, expected backend ${JSON.stringify(request.backend)}${notRouted}`,
            { field, subject: targetSubject(target.id) },
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CHECK_CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
}

function closeAll(servers: readonly Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  ).then(() => undefined);
}
