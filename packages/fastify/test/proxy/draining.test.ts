import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { within, type Deferred } from '../helpers/deferred.js';
import { startSlowUpstream, type SlowUpstream } from '../helpers/slow-upstream.js';
import { RawConnection } from '../helpers/raw-http.js';
import type { Upstream } from '@switchyard/test-utils';

/** Generous guard for events that must come (a close, a response) on a loaded machine. */
const EVENT_MS = 15_000;
/** Long enough that no test here reaches it unless draining is broken. */
const LONG_DRAIN_MS = 60_000;

const cleanup: Array<() => Promise<void> | void> = [];
/** Run first: an upstream held back would keep a broken gateway's close() waiting. */
const releases: Array<Deferred> = [];
afterEach(async () => {
  for (const release of releases.splice(0)) release.resolve();
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A slow upstream (helpers/slow-upstream.ts), released and closed after the test. */
async function slowUpstream(): Promise<SlowUpstream> {
  const slow = await startSlowUpstream();
  releases.push(slow.release);
  cleanup.push(() => slow.upstream.close());
  return slow;
}

async function gatewayTo(upstream: Upstream, drainTimeoutMs: number): Promise<TestGateway> {
  const gw = await startTestGateway([ingress('drain', [['drain.test', '/', 'Prefix', 'slow', 80]])], { 'default/slow:80': at(upstream.port) }, { drainTimeoutMs });
  cleanup.push(() => gw.close());
  return gw;
}

/**
 * Resolves once a new TCP connection to `url` is refused: no listener any more. Each try waits
 * for its own outcome; one accepted, or reset from the backlog as the listener closed, means
 * close has not reached the listener yet, so the event loop turns and it tries again.
 */
async function refusedAt(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  for (;;) {
    const socket = connect(Number(port), hostname);
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    socket.destroy();
    if (outcome === 'ECONNREFUSED') return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('gateway.close()', () => {
  test('lets a request in flight finish with its full body while refusing new connections', async () => {
    const { upstream, started, release } = await slowUpstream();
    const gw = await gatewayTo(upstream, LONG_DRAIN_MS);
    const connection = await RawConnection.open(gw.url);
    cleanup.push(() => connection.close());
    connection.write('GET /slow HTTP/1.1\r\nHost: drain.test\r\n\r\n');
    await within(started.promise, EVENT_MS, 'the upstream to start answering');

    void gw.gateway.close();
    await within(refusedAt(gw.url), EVENT_MS, 'the listener to refuse new connections');
    // The request in flight is untouched meanwhile.
    expect(connection.isEnded).toBe(false);

    release.resolve();
    const response = await within(connection.readResponse(), EVENT_MS, 'the response in flight');
    expect(response.statusCode).toBe(200);
    expect(response.body.toString()).toBe('start;done');
  });

  test('resolves once the last request in flight is done, without waiting for drainTimeoutMs', async () => {
    const { upstream, started, release } = await slowUpstream();
    const gw = await gatewayTo(upstream, LONG_DRAIN_MS);
    const connection = await RawConnection.open(gw.url);
    cleanup.push(() => connection.close());
    connection.write('GET /slow HTTP/1.1\r\nHost: drain.test\r\n\r\n');
    await within(started.promise, EVENT_MS, 'the upstream to start answering');

    const closing = gw.gateway.close();
    await within(refusedAt(gw.url), EVENT_MS, 'the listener to refuse new connections');
    release.resolve();
    await within(connection.readResponse(), EVENT_MS, 'the response in flight');
    // Its keep-alive connection is idle now: it is closed, and close() has nothing left to wait for.
    await within(connection.ended, EVENT_MS, 'the drained connection to be closed');
    await within(closing, EVENT_MS, 'close() to resolve once drained');
  });

  test('closes an idle keep-alive connection', async () => {
    const { upstream } = await slowUpstream();
    const gw = await gatewayTo(upstream, LONG_DRAIN_MS);
    const connection = await RawConnection.open(gw.url);
    cleanup.push(() => connection.close());
    connection.write('GET /quick HTTP/1.1\r\nHost: drain.test\r\n\r\n');
    const response = await within(connection.readResponse(), EVENT_MS, 'the response');
    expect(response.statusCode).toBe(200);
    expect(connection.isEnded).toBe(false);

    const closing = gw.gateway.close();
    await within(connection.ended, EVENT_MS, 'the idle connection to be closed');
    await within(closing, EVENT_MS, 'close() to resolve');
  });

  test.each([
    ['mid-body', '/slow'],
    ['before the response head', '/silent'],
  ])('drainTimeoutMs cuts a request that outlasts it (%s) and close() resolves soon after', async (_when, path) => {
    const drainTimeoutMs = 300;
    const { upstream, started } = await slowUpstream();
    const gw = await gatewayTo(upstream, drainTimeoutMs);
    const connection = await RawConnection.open(gw.url);
    cleanup.push(() => connection.close());
    connection.write(`GET ${path} HTTP/1.1\r\nHost: drain.test\r\n\r\n`);
    await within(started.promise, EVENT_MS, 'the upstream to receive the request');

    const startedClosing = performance.now();
    // Soon after the deadline: not when the upstream, which never answers, would have let go.
    await within(gw.gateway.close(), drainTimeoutMs + EVENT_MS, 'close() to resolve after the drain deadline');
    const took = performance.now() - startedClosing;
    // The request was cut, not completed: the upstream never released it.
    await within(connection.ended, EVENT_MS, 'the cut connection to end');
    expect(connection.pending.toString('latin1')).not.toContain('done');
    // No complete response reached the client: what it got (if anything) ends before its framing does.
    await expect(connection.readResponse()).rejects.toThrow(/the connection ended before/);
    // It did wait for the deadline (a timer never fires early by more than a tick).
    expect(took).toBeGreaterThanOrEqual(drainTimeoutMs - 20);
  });
});

test('a closed gateway stays closed to new connections', async () => {
  const { upstream } = await slowUpstream();
  const gw = await gatewayTo(upstream, LONG_DRAIN_MS);
  await gw.gateway.close();
  const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
  const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
  expect(error.code).toBe('ECONNREFUSED');
});
