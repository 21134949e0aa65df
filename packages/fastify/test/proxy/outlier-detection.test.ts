import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ERROR_HEADER } from '@switchyard/fastify';
import { attempt, tally, upstreamOf, type Outcome } from '../helpers/exchange.js';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { metricValue } from '../helpers/metric-value.js';
import { refusedPort, startUpstream, type Upstream } from '@switchyard/test-utils';

const FAILURES = 3;
const REQUESTS = 30;

/** An upstream that answers every request 500, naming itself and counting in `seen`. */
function startFailing(name: string): Promise<Upstream> {
  return startUpstream(name, (request, response, upstream) => {
    upstream.seen.push({ upstream: name, method: request.method ?? '', url: request.url ?? '', headers: request.headers, rawHeaders: request.rawHeaders, bodyBytes: 0 });
    response.writeHead(500, { 'content-type': 'text/plain', 'x-upstream': name });
    response.end('always failing');
  });
}

function ejectedOf(gw: TestGateway, backend: string): ReadonlyArray<{ readonly endpoint: string; readonly until: number }> {
  return gw.router.backendByKey(backend)?.balancer.ejected() ?? [];
}

async function send(gw: TestGateway, host: string, method: 'GET' | 'POST' = 'GET'): Promise<Outcome> {
  return attempt(`${gw.url}/`, { method, headers: { host } });
}

describe(`after ${FAILURES} consecutive failures an endpoint is ejected`, () => {
  let bad: Upstream, good: Upstream, counted: Upstream, bothA: Upstream, bothB: Upstream;
  let refusedA: number, refusedB: number;
  let gw: TestGateway;

  beforeAll(async () => {
    [bad, counted, bothA, bothB] = await Promise.all([startFailing('bad'), startFailing('counted'), startFailing('both-a'), startFailing('both-b')]);
    good = await startUpstream('good');
    refusedA = await refusedPort();
    refusedB = await refusedPort();
    gw = await startTestGateway(
      [
        ingress('outliers', [
          ['flaky.test', '/', 'Prefix', 'flaky', 80],
          ['refusing.test', '/', 'Prefix', 'refusing', 80],
          ['counted.test', '/', 'Prefix', 'counted', 80],
          ['both.test', '/', 'Prefix', 'both', 80],
          ['all-refused.test', '/', 'Prefix', 'all-refused', 80],
        ]),
      ],
      {
        'default/flaky:80': at(bad.port, good.port),
        'default/refusing:80': at(refusedA, good.port),
        'default/counted:80': at(counted.port, good.port),
        'default/both:80': at(bothA.port, bothB.port),
        'default/all-refused:80': at(refusedA, refusedB),
      },
      // An ejection outlasts the test; 100 % would allow ejecting every endpoint, yet the last one must stay.
      { balancing: { outlierDetection: { consecutiveFailures: FAILURES, baseEjectionMs: 60_000, maxEjectedPercent: 100 } } },
    );
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([bad, good, counted, bothA, bothB].map((u) => u?.close()));
  });

  test('an upstream answering 500: its 500s reach the client until it is ejected, then the healthy one takes everything', async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < REQUESTS; i++) outcomes.push(await send(gw, 'flaky.test'));
    expect(bad.seen).toHaveLength(FAILURES);
    expect(outcomes.filter((o) => o.status === 500 && upstreamOf(o) === 'bad')).toHaveLength(FAILURES);
    expect(outcomes.filter((o) => o.status === 200 && upstreamOf(o) === 'good')).toHaveLength(REQUESTS - FAILURES);
    // Round robin over two: the third failure comes by the sixth request; everything after goes to the healthy one.
    expect(outcomes.slice(2 * FAILURES).every((o) => upstreamOf(o) === 'good')).toBe(true);
    expect(ejectedOf(gw, 'default/flaky:80').map((e) => e.endpoint)).toEqual([`127.0.0.1:${bad.port}`]);
  });

  test('refused connections count as failures too', async () => {
    // POST is not retried, so each attempt on the refusing endpoint shows as a 502.
    const outcomes: Outcome[] = [];
    for (let i = 0; i < REQUESTS; i++) outcomes.push(await send(gw, 'refusing.test', 'POST'));
    const refused = outcomes.filter((o) => o.status === 502);
    expect(refused).toHaveLength(FAILURES);
    for (const o of refused) expect(o.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_FAILED');
    expect(outcomes.slice(2 * FAILURES).every((o) => o.status === 200 && upstreamOf(o) === 'good')).toBe(true);
    expect(ejectedOf(gw, 'default/refusing:80').map((e) => e.endpoint)).toEqual([`127.0.0.1:${refusedA}`]);
  });

  test('an ejection is counted in endpoint_ejections_total', async () => {
    for (let i = 0; i < 4 * FAILURES; i++) await send(gw, 'counted.test');
    expect(counted.seen).toHaveLength(FAILURES);
    expect(await metricValue(gw.gateway, 'endpoint_ejections_total', { backend: 'default/counted:80' })).toBe(1);
  });

  test('never all ejected: with every endpoint answering 500, requests still reach them and get their 500s, not 503s', async () => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < REQUESTS; i++) outcomes.push(await send(gw, 'both.test'));
    expect(Object.fromEntries(tally(outcomes.map((o) => String(o.status))))).toEqual({ '500': REQUESTS });
    expect(outcomes.every((o) => o.headers[ERROR_HEADER] === undefined && o.body === 'always failing')).toBe(true);
    expect(bothA.seen.length + bothB.seen.length).toBe(REQUESTS);
    expect(ejectedOf(gw, 'default/both:80').length).toBeLessThanOrEqual(1);
  });

  test('never all ejected: with every endpoint refusing, requests still try them and get 502s, not 503s', async () => {
    for (let i = 0; i < REQUESTS; i++) {
      const outcome = await send(gw, 'all-refused.test');
      expect(outcome.status, `request ${i}`).toBe(502);
      expect(outcome.headers[ERROR_HEADER]).toBe('SWY_PROXY_UPSTREAM_FAILED');
    }
    expect(ejectedOf(gw, 'default/all-refused:80').length).toBeLessThanOrEqual(1);
  });
});

describe('an ejected endpoint comes back after the ejection, and a repeat offender is ejected for longer', () => {
  const BASE_MS = 300;
  let bad: Upstream, good: Upstream;
  let gw: TestGateway;

  beforeAll(async () => {
    bad = await startFailing('bad');
    good = await startUpstream('good');
    gw = await startTestGateway([ingress('returning', [[undefined, '/', 'Prefix', 'flaky', 80]])], { 'default/flaky:80': at(bad.port, good.port) }, {
      balancing: { outlierDetection: { consecutiveFailures: FAILURES, baseEjectionMs: BASE_MS } },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([bad, good].map((u) => u?.close()));
  });

  /** Sends back to back until the bad upstream has seen `count` requests; returns when the last was answered. */
  async function failUntil(count: number): Promise<number> {
    for (let i = 0; bad.seen.length < count; i++) {
      expect(i, 'the bad upstream stopped getting requests').toBeLessThan(4 * FAILURES);
      await send(gw, 'any.test');
    }
    return Date.now();
  }

  /**
   * Ejection ends lazily, on a pick after its time: poll with spaced requests (there is no event
   * to wait for) until the bad upstream gets one again; returns when it did.
   */
  async function waitForReturn(seenWhenEjected: number): Promise<number> {
    const deadline = Date.now() + 20_000;
    while (bad.seen.length === seenWhenEjected) {
      expect(Date.now(), 'the ejected endpoint never came back').toBeLessThan(deadline);
      const outcome = await send(gw, 'any.test');
      if (upstreamOf(outcome) === 'good') await sleep(20);
    }
    return Date.now();
  }

  test(`back after ${BASE_MS} ms, then ejected again for twice as long`, async () => {
    const firstEjection = await failUntil(FAILURES);
    const [first] = ejectedOf(gw, 'default/flaky:80');
    expect(first?.endpoint).toBe(`127.0.0.1:${bad.port}`);
    const firstBack = await waitForReturn(FAILURES);
    expect(firstBack - firstEjection).toBeGreaterThanOrEqual(BASE_MS - 50);

    // Back in rotation with a clean count: it takes FAILURES new failures to eject it again.
    const secondEjection = await failUntil(2 * FAILURES);
    const [second] = ejectedOf(gw, 'default/flaky:80');
    expect(second?.endpoint).toBe(`127.0.0.1:${bad.port}`);
    // The second ejection is the base times two: its end lies further from its start than the first's did.
    expect(second!.until - secondEjection).toBeGreaterThan(first!.until - firstEjection);
    const secondBack = await waitForReturn(2 * FAILURES);
    expect(secondBack - secondEjection).toBeGreaterThanOrEqual(2 * BASE_MS - 50);
  });
});
