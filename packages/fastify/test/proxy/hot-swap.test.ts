import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tableOf } from '../admin/fixtures.js';
import { attempt, upstreamOf } from '../helpers/exchange.js';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startUpstream, type Upstream } from '@switchyard/test-utils';

// Two configurations: /shared goes to `shared` in both, /moving to `a` in one and `b` in the other.
const INGRESS_A = ingress('swap', [
  [undefined, '/shared', 'Prefix', 'shared', 80],
  [undefined, '/moving', 'Prefix', 'a', 80],
]);
const INGRESS_B = ingress('swap', [
  [undefined, '/shared', 'Prefix', 'shared', 80],
  [undefined, '/moving', 'Prefix', 'b', 80],
]);

const held: ServerResponse[] = [];
let shared: Upstream, a: Upstream, b: Upstream;
let gw: TestGateway;

/** Answers with its name (header) and the path it got (body); holds `/moving/slow` until released. */
function startNamed(name: string): Promise<Upstream> {
  return startUpstream(name, (request, response, upstream) => {
    response.setHeader('x-upstream', name);
    if (request.url === '/moving/slow') {
      held.push(response);
      upstream.server.emit('held');
      return;
    }
    response.end(request.url);
  });
}

beforeAll(async () => {
  [shared, a, b] = await Promise.all([startNamed('shared'), startNamed('a'), startNamed('b')]);
  gw = await startTestGateway([INGRESS_A], { 'default/shared:80': at(shared.port), 'default/a:80': at(a.port), 'default/b:80': at(b.port) });
});
afterAll(async () => {
  for (const response of held) response.destroy();
  await gw?.close();
  await Promise.all([shared, a, b].map((u) => u?.close()));
});

describe('swapping route tables under load', () => {
  const CLIENTS = 4;
  const MIN_SWAPS = 100;
  const MIN_REQUESTS = 800;

  test(`${MIN_SWAPS}+ swaps while ${CLIENTS} clients send requests: none fails, none is misrouted`, async () => {
    let swaps = 0;
    let done = 0;
    let stop = false;
    const problems: string[] = [];
    const movingTo = { a: 0, b: 0 };

    const client = async (id: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const path = i % 2 === 0 ? `/shared/${id}/${i}` : `/moving/${id}/${i}`;
        const response = await attempt(`${gw.url}${path}`);
        done++;
        const name = upstreamOf(response);
        if (response.status !== 200 || response.error !== undefined) problems.push(`${path}: ${response.status} ${response.error?.message ?? response.body}`);
        else if (path.startsWith('/shared') ? name !== 'shared' : name !== 'a' && name !== 'b') problems.push(`${path}: answered by ${name}`);
        else if (response.body !== path) problems.push(`${path}: upstream saw ${response.body}`);
        else if (name === 'a' || name === 'b') movingTo[name]++;
      }
    };
    // One swap per event-loop turn, so swaps land between and during requests alike.
    const swapper = async (): Promise<void> => {
      while (swaps < MIN_SWAPS || done < MIN_REQUESTS) {
        gw.router.update(tableOf(swaps % 2 === 0 ? INGRESS_B : INGRESS_A));
        swaps++;
        await nextTurn();
      }
      stop = true;
    };
    await Promise.all([swapper(), ...Array.from({ length: CLIENTS }, (_, id) => client(id))]);

    expect(problems).toEqual([]);
    expect(swaps).toBeGreaterThanOrEqual(MIN_SWAPS);
    expect(done).toBeGreaterThanOrEqual(MIN_REQUESTS);
    // Both tables were live while requests ran.
    expect(movingTo.a).toBeGreaterThan(0);
    expect(movingTo.b).toBeGreaterThan(0);
  });
});

test('a request in flight during a swap completes on the upstream it was sent to', async () => {
  gw.router.update(tableOf(INGRESS_A));
  const heldNow = once(a.server, 'held');
  const slow = attempt(`${gw.url}/moving/slow`);
  await heldNow;

  gw.router.update(tableOf(INGRESS_B));
  const after = await attempt(`${gw.url}/moving/after`);
  expect(upstreamOf(after)).toBe('b');

  for (const response of held.splice(0)) response.end('/moving/slow done');
  const response = await slow;
  expect(response.status).toBe(200);
  expect(upstreamOf(response)).toBe('a');
  expect(response.body).toBe('/moving/slow done');
});
