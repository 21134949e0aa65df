import { once } from 'node:events';
import type { ClientHttp2Session } from 'node:http2';
import { afterEach, expect, test } from 'vitest';
import { createTestCa, tlsSecret, type Upstream } from '@switchyard/test-utils';
import { CertificateStore } from '@switchyard/tls';
import type { Ingress } from '@switchyard/core';
import { within, type Deferred } from '../helpers/deferred.js';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { http2Request, http2Session, readAnswer } from '../helpers/http2-client.js';
import { startSlowUpstream, type SlowUpstream } from '../helpers/slow-upstream.js';

// Draining HTTP/2: GOAWAY to every open session, streams in flight finish, the deadline cuts the rest.

/** Generous guard for events that must come on a loaded machine. */
const EVENT_MS = 15_000;

const cleanup: Array<() => Promise<void> | void> = [];
const releases: Deferred[] = [];
afterEach(async () => {
  for (const release of releases.splice(0)) release.resolve();
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function slowUpstream(): Promise<SlowUpstream> {
  const slow = await startSlowUpstream();
  releases.push(slow.release);
  cleanup.push(() => slow.upstream.close());
  return slow;
}

/** A gateway to `upstream` and a connected client session: h2c on the plain port, or h2 by ALPN on the HTTPS one. */
async function gatewayAndSession(upstream: Upstream, protocol: 'h2c' | 'h2', drainTimeoutMs: number): Promise<{ gw: TestGateway; session: ClientHttp2Session }> {
  const routes = ingress('drain', [['drain.test', '/', 'Prefix', 'slow', 80]]);
  const endpoints = { 'default/slow:80': at(upstream.port) };
  if (protocol === 'h2c') {
    const gw = await startTestGateway([routes], endpoints, { h2c: true, drainTimeoutMs });
    cleanup.push(() => gw.close());
    return { gw, session: await http2Session(gw.url) };
  }
  const ca = await createTestCa();
  const withTls: Ingress = { ...routes, spec: { ...routes.spec, tls: [{ hosts: ['drain.test'], secretName: 'drain-tls' }] } };
  const certificates = new CertificateStore({ ingresses: [withTls], secrets: [tlsSecret('drain-tls', 'default', await ca.issue({ hosts: ['drain.test'] }))] });
  const gw = await startTestGateway([withTls], endpoints, { https: { listen: { host: '127.0.0.1', port: 0 }, certificates }, redirectToHttps: false, drainTimeoutMs });
  cleanup.push(() => gw.close());
  return { gw, session: await http2Session(gw.gateway.urls.https!, { ca: ca.certPem, servername: 'drain.test' }) };
}

test.each([['h2c' as const], ['h2' as const]])('%s: close() sends GOAWAY; the stream in flight finishes; then the gateway is closed', async (protocol) => {
  const slow = await slowUpstream();
  const { gw, session } = await gatewayAndSession(slow.upstream, protocol, 60_000);
  const goaway = once(session, 'goaway');
  const inFlight = readAnswer(session.request({ ':authority': 'drain.test', ':path': '/slow' }));
  await within(slow.started.promise, EVENT_MS, 'the upstream never got the request');
  const closing = gw.gateway.close();
  await within(goaway, EVENT_MS, 'no GOAWAY came');
  slow.release.resolve();
  expect(await within(inFlight, EVENT_MS, 'the stream in flight did not finish')).toMatchObject({ status: 200, body: 'start;done' });
  await within(closing, EVENT_MS, 'close() did not finish once the stream ended');
});

test('an idle h2c session gets GOAWAY and close() does not wait for the client to hang up', async () => {
  const slow = await slowUpstream();
  const { gw, session } = await gatewayAndSession(slow.upstream, 'h2c', 60_000);
  expect((await http2Request(session, { ':authority': 'drain.test', ':path': '/quick' })).status).toBe(200);
  const goaway = once(session, 'goaway');
  await within(gw.gateway.close(), EVENT_MS, 'close() waited on an idle session');
  await within(goaway, EVENT_MS, 'no GOAWAY came');
});

test('a stream still in flight at the drain deadline is cut, and close() ends', async () => {
  const slow = await slowUpstream();
  const { gw, session } = await gatewayAndSession(slow.upstream, 'h2c', 200);
  const stream = session.request({ ':authority': 'drain.test', ':path': '/slow' });
  stream.on('error', () => undefined);
  stream.resume();
  const streamClosed = once(stream, 'close');
  await within(slow.started.promise, EVENT_MS, 'the upstream never got the request');
  await within(gw.gateway.close(), EVENT_MS, 'close() did not end at the deadline');
  await within(streamClosed, EVENT_MS, 'the stream was not cut');
  expect(stream.rstCode === 0 && stream.readableEnded).toBe(false);
});
