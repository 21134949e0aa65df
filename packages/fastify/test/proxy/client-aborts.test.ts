import { connect } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { eventually, startUpstream, type Upstream } from '@switchyard/test-utils';

// Clients that go away must not count against healthy endpoints, and their requests must
// still be finished: the balancer's in-flight count, the metrics and the log line.
let a: Upstream, b: Upstream;
let gw: TestGateway;
const finished: number[] = [];

beforeAll(async () => {
  const slow = (name: string) =>
    startUpstream(name, (request, response) => {
      request.resume();
      request.on('end', () => setTimeout(() => response.end(name), 300));
    });
  [a, b] = await Promise.all([slow('a'), slow('b')]);
  gw = await startTestGateway([ingress('x', [['abort.test', '/', 'Prefix', 'x', 80]])], { 'default/x:80': at(a.port, b.port) }, {
    balancing: { default: { kind: 'least-request' }, outlierDetection: { consecutiveFailures: 2 } },
  });
  // The proxy records a routed request through the route's recorder, others through requestFinished.
  const metrics = gw.gateway.metrics;
  const original = metrics.requestFinished.bind(metrics);
  metrics.requestFinished = (route, status, seconds, code) => {
    finished.push(status);
    original(route, status, seconds, code);
  };
  const forRoute = metrics.forRoute.bind(metrics);
  metrics.forRoute = (route) => {
    const recorder = forRoute(route);
    const record = recorder.requestFinished.bind(recorder);
    return Object.assign(Object.create(recorder) as typeof recorder, {
      requestFinished(status: number, seconds: number, code?: string) {
        finished.push(status);
        record(status, seconds, code);
      },
    });
  };
});
afterAll(async () => {
  await gw.close();
  await Promise.all([a.close(), b.close()]);
});

function send(bytes: string, closeAfterMs: number): Promise<void> {
  const url = new URL(gw.url);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(bytes);
      setTimeout(() => socket.destroy(), closeAfterMs);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

test('clients that abort uploads or leave before the answer eject nothing and are all finished', async () => {
  const before = finished.length;
  const aborts: Array<Promise<void>> = [];
  for (let i = 0; i < 6; i++) {
    aborts.push(send('POST /up HTTP/1.1\r\nHost: abort.test\r\nContent-Length: 100000\r\n\r\n' + 'x'.repeat(1000), 30));
    aborts.push(send('GET /wait HTTP/1.1\r\nHost: abort.test\r\n\r\n', 50));
  }
  await Promise.all(aborts);
  await eventually('every aborted request to be finished', () => finished.length - before === 12, { timeoutMs: 5_000, intervalMs: 25 }).catch((error) => {
    throw new Error(`${(error as Error).message}: ${JSON.stringify(finished.slice(before))}`);
  });
  // Counted once each, as nginx's 499 "client closed request".
  expect(finished.slice(before)).toEqual(Array(12).fill(499));
  const balancer = gw.router.backendByKey('default/x:80')!.balancer;
  expect(balancer.ejected()).toEqual([]);
  // In-flight counts went back to zero: concurrent requests spread evenly over both again.
  const answers = await Promise.all(
    Array.from({ length: 6 }, async () => {
      const response = await request(`${gw.url}/ok`, { headers: { host: 'abort.test' } });
      return response.body.text();
    }),
  );
  expect(answers.filter((name) => name === 'a')).toHaveLength(3);
  expect(answers.filter((name) => name === 'b')).toHaveLength(3);
});
