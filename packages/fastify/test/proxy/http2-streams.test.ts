import { once } from 'node:events';
import { constants, type ClientHttp2Session } from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startUpstream, type Upstream } from '@switchyard/test-utils';
import { deferred, type Deferred } from '../helpers/deferred.js';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { http2Session, readAnswer } from '../helpers/http2-client.js';
import { metricValue } from '../helpers/metric-value.js';

// A client that resets one stream (RST_STREAM) aborts that stream's upstream request only.

interface HeldRequest {
  readonly started: Deferred;
  /** Resolves with true when the upstream saw its request closed before its answer ended. */
  readonly aborted: Promise<boolean>;
  readonly release: Deferred;
}

const held = new Map<string, HeldRequest>();
let upstream: Upstream;
let gw: TestGateway;
let session: ClientHttp2Session;

function hold(path: string): HeldRequest {
  const entry: HeldRequest = { started: deferred(), release: deferred(), aborted: undefined as unknown as Promise<boolean> };
  held.set(path, entry);
  return entry;
}

beforeAll(async () => {
  upstream = await startUpstream('held', (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    const entry = held.get(request.url ?? '')!;
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '10' });
    response.write('start;');
    (entry as { aborted: Promise<boolean> }).aborted = new Promise((resolve) => response.once('close', () => resolve(!response.writableFinished)));
    entry.started.resolve();
    void entry.release.promise.then(() => response.end('done'));
  });
  gw = await startTestGateway([ingress('held', [['held.test', '/', 'Prefix', 'held', 80]])], { 'default/held:80': at(upstream.port) }, { h2c: true });
  session = await http2Session(gw.url);
});
afterAll(async () => {
  for (const entry of held.values()) entry.release.resolve();
  session.close();
  await gw.close();
  await upstream.close();
});

test('resetting one of two streams in flight aborts its upstream request; the other completes', async () => {
  const first = hold('/first');
  const second = hold('/second');
  const cancelledBefore = await metricValue(gw.gateway, 'requests_total', { backend: 'default/held:80', status: '499', protocol: 'h2c' });
  const cancelled = session.request({ ':authority': 'held.test', ':path': '/first' });
  cancelled.on('error', () => undefined);
  const kept = session.request({ ':authority': 'held.test', ':path': '/second' });
  const keptAnswer = readAnswer(kept);
  await Promise.all([first.started.promise, second.started.promise]);
  // The head and first chunk reached the client: the reset comes mid-response.
  await once(cancelled, 'response');
  cancelled.close(constants.NGHTTP2_CANCEL);

  expect(await first.aborted).toBe(true);
  second.release.resolve();
  const answer = await keptAnswer;
  expect(answer).toMatchObject({ status: 200, body: 'start;done' });
  expect(await second.aborted).toBe(false);
  // The session is still usable, and the reset stream counts as the client's (nginx's 499).
  expect(session.closed || session.destroyed).toBe(false);
  await expect.poll(() => metricValue(gw.gateway, 'requests_total', { backend: 'default/held:80', status: '499', protocol: 'h2c' })).toBe(cancelledBefore + 1);
});

// RST_STREAM with an error code makes Node emit 'error' on the server's stream; a stream without
// a listener for it would throw out of the event loop and end the gateway.
test.each([
  ['INTERNAL_ERROR', constants.NGHTTP2_INTERNAL_ERROR],
  ['PROTOCOL_ERROR', constants.NGHTTP2_PROTOCOL_ERROR],
])('a stream reset with %s mid-response aborts its upstream request; the gateway serves on', async (_name, code) => {
  const path = `/reset-${code}`;
  const entry = hold(path);
  const reset = session.request({ ':authority': 'held.test', ':path': path });
  reset.on('error', () => undefined);
  await entry.started.promise;
  await once(reset, 'response');
  reset.close(code);

  expect(await entry.aborted).toBe(true);
  const next = hold('/after-reset');
  next.release.resolve();
  const answer = await readAnswer(session.request({ ':authority': 'held.test', ':path': '/after-reset' }));
  expect(answer).toMatchObject({ status: 200, body: 'start;done' });
});
