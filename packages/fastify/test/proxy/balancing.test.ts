import { once } from 'node:events';
import { request as httpRequest, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { attempt, tally, upstreamOf } from '../helpers/exchange.js';
import { at, ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type SeenRequest, startUpstream, type Upstream } from '@switchyard/test-utils';

let upstreams: Upstream[];
let held: ServerResponse[];
let slow: Upstream, fast: Upstream;
let gw: TestGateway;

beforeAll(async () => {
  upstreams = await Promise.all([startUpstream('u0'), startUpstream('u1'), startUpstream('u2')]);
  held = [];
  // `slow` holds every request until the test lets it go; `fast` answers at once.
  slow = await startUpstream('slow', (_request, response) => {
    held.push(response);
    slow.server.emit('held');
  });
  fast = await startUpstream('fast');
  const [a, b, c] = upstreams.map((u) => u.port) as [number, number, number];
  gw = await startTestGateway(
    [
      ingress('balancing', [
        ['even.test', '/', 'Prefix', 'even', 80],
        ['weighted.test', '/', 'Prefix', 'weighted', 80],
        ['header.test', '/', 'Prefix', 'svc', 80],
        ['cookie.test', '/', 'Prefix', 'by-cookie', 80],
        ['address.test', '/', 'Prefix', 'by-address', 80],
        ['least.test', '/', 'Prefix', 'least', 80],
      ]),
    ],
    {
      'default/even:80': at(a, b, c),
      'default/weighted:80': [
        { address: '127.0.0.1', port: a, weight: 3 },
        { address: '127.0.0.1', port: b, weight: 2 },
        { address: '127.0.0.1', port: c, weight: 1 },
      ],
      'default/svc:80': at(a, b, c),
      'default/by-cookie:80': at(a, b, c),
      'default/by-address:80': at(a, b, c),
      'default/least:80': at(slow.port, fast.port),
    },
    {
      balancing: {
        default: { kind: 'round-robin' },
        backends: {
          'default/svc:80': { kind: 'consistent-hash', on: { header: 'x-user' } },
          'default/by-cookie:80': { kind: 'consistent-hash', on: { cookie: 'session' } },
          'default/by-address:80': { kind: 'consistent-hash', on: { clientAddress: true } },
          'default/least:80': { kind: 'least-request' },
        },
        // Nothing here fails; detection stays at its default.
      },
    },
  );
});
afterAll(async () => {
  for (const response of held ?? []) response.destroy();
  await gw?.close();
  await Promise.all([...(upstreams ?? []), slow, fast].map((u) => u?.close()));
});

async function upstreamFor(host: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await attempt(`${gw.url}/`, { headers: { host, ...headers } });
  expect(response.status).toBe(200);
  const name = upstreamOf(response);
  expect(name).toBeDefined();
  return name!;
}

describe('round robin', () => {
  test('spreads requests evenly over three upstreams, also when they come concurrently', async () => {
    const names: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      names.push(...(await Promise.all(Array.from({ length: 6 }, () => upstreamFor('even.test')))));
    }
    expect(Object.fromEntries(tally(names))).toEqual({ u0: 10, u1: 10, u2: 10 });
  });

  test('weights 3:2:1 are respected, and spread out within every cycle of six', async () => {
    const names: string[] = [];
    for (let i = 0; i < 60; i++) names.push(await upstreamFor('weighted.test'));
    expect(Object.fromEntries(tally(names))).toEqual({ u0: 30, u1: 20, u2: 10 });
    for (let start = 0; start < 60; start += 6) {
      expect(Object.fromEntries(tally(names.slice(start, start + 6))), `requests ${start}-${start + 5}`).toEqual({ u0: 3, u1: 2, u2: 1 });
    }
  });
});

describe('consistent hash', () => {
  const USERS = Array.from({ length: 24 }, (_, i) => `user-${i}`);

  /** Sends every key `rounds` times, interleaved, and returns the upstreams each key reached. */
  async function spread(send: (key: string) => Promise<string>, rounds = 4): Promise<Map<string, Set<string>>> {
    const reached = new Map<string, Set<string>>();
    for (let round = 0; round < rounds; round++) {
      for (const key of USERS) {
        const name = await send(key);
        reached.set(key, (reached.get(key) ?? new Set()).add(name));
      }
    }
    return reached;
  }

  function expectSticky(reached: Map<string, Set<string>>): void {
    for (const [key, names] of reached) expect([...names], key).toHaveLength(1);
    // 24 keys over 3 endpoints: all on one would be a broken hash (odds 3 in 3^24 otherwise).
    const used = new Set([...reached.values()].map((names) => [...names][0]));
    expect(used.size).toBeGreaterThanOrEqual(2);
  }

  test('on a header: the same x-user always reaches the same upstream, different users several', async () => {
    expectSticky(await spread((user) => upstreamFor('header.test', { 'x-user': user })));
  });

  test('on a cookie: the same session cookie always reaches the same upstream, among other cookies', async () => {
    expectSticky(await spread((user) => upstreamFor('cookie.test', { cookie: `theme=dark; session=${user}; lang=${user.length % 2 ? 'en' : 'fr'}` })));
  });

  test('on the client address: each client address sticks to one upstream', async () => {
    // Every 127.0.0.0/8 address is this machine: one client address per user.
    const addressOf = (user: string): string => `127.0.0.${Number(user.slice('user-'.length)) + 2}`;
    const seenFor = new Map<string, string>();
    const reached = await spread(async (user) => {
      const echo = await getFrom(addressOf(user));
      seenFor.set(user, String(echo.headers['x-forwarded-for']));
      return echo.upstream;
    }, 2);
    expectSticky(reached);
    for (const user of USERS) expect(seenFor.get(user)).toBe(addressOf(user));
  });

  async function getFrom(localAddress: string): Promise<SeenRequest> {
    const { hostname, port } = new URL(gw.url);
    const outgoing = httpRequest({ host: hostname, port, path: '/', headers: { host: 'address.test' }, localAddress, agent: false });
    outgoing.end();
    const [response] = (await once(outgoing, 'response')) as [import('node:http').IncomingMessage];
    expect(response.statusCode).toBe(200);
    let text = '';
    response.setEncoding('utf8');
    for await (const chunk of response) text += chunk as string;
    return JSON.parse(text) as SeenRequest;
  }
});

describe('least request', () => {
  test('avoids an endpoint that has a slow request in flight', async () => {
    // Until the slow upstream holds a request, the two are equally idle and either may be picked.
    let toFast = 0;
    let slowResponse: ReturnType<typeof attempt> | undefined;
    while (slowResponse === undefined) {
      expect(toFast, 'the slow upstream was never picked').toBeLessThan(50);
      const stopWaiting = new AbortController();
      const heldNow = once(slow.server, 'held', { signal: stopWaiting.signal }).then(
        () => 'held' as const,
        () => 'answered' as const,
      );
      const pending = attempt(`${gw.url}/`, { headers: { host: 'least.test' } });
      const first = await Promise.race([heldNow, pending.then(() => 'answered' as const)]);
      stopWaiting.abort();
      if (first === 'answered') toFast++;
      else slowResponse = pending;
    }
    const fastBefore = fast.seen.length;
    for (let i = 0; i < 20; i++) expect(await upstreamFor('least.test')).toBe('fast');
    expect(held).toHaveLength(1);
    expect(fast.seen.length - fastBefore).toBe(20);
    for (const response of held.splice(0)) response.end('released');
    const released = await slowResponse;
    expect(released.status).toBe(200);
    expect(released.body).toBe('released');
  });
});
