import { compile, Router, StaticDiscovery, type Route } from '@switchyard/core';
import switchyard, { type ProxyObserver, type RouteObserver } from '@switchyard/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { connect } from 'node:net';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { at, ingress } from '../helpers/gateway.js';
import { startUpstream, type Upstream } from '@switchyard/test-utils';

// The plugin's observer, as an app that brings its own (not GatewayMetrics) sees it.
type Call = readonly [method: string, route: string | undefined, ...rest: unknown[]];

function recordingObserver(calls: Call[], withForRoute: boolean, routesAsked: string[] = []): ProxyObserver {
  const name = (route: Route | undefined) => (route === undefined ? undefined : `${route.host}${route.path}`);
  const observer: ProxyObserver = {
    requestFinished: (route, status, _seconds, code) => void calls.push(['requestFinished', name(route), status, code]),
    upstreamLatency: (route) => void calls.push(['upstreamLatency', name(route)]),
    retried: (route) => void calls.push(['retried', name(route)]),
    ejected: (route) => void calls.push(['ejected', name(route)]),
  };
  if (!withForRoute) return observer;
  return {
    ...observer,
    forRoute(route): RouteObserver {
      routesAsked.push(name(route)!);
      return {
        requestFinished: (status, seconds, code) => observer.requestFinished(route, status, seconds, code),
        upstreamLatency: (seconds) => observer.upstreamLatency(route, seconds),
        retried: () => observer.retried(route),
        ejected: () => observer.ejected(route),
      };
    },
  };
}

let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream('observed');
});
afterAll(async () => {
  await upstream?.close();
});

async function appWith(observer: ProxyObserver, setup?: (app: FastifyInstance) => void): Promise<{ url: string; close(): Promise<void> }> {
  const { table } = compile({ ingresses: [ingress('obs', [['obs.test', '/a', 'Prefix', 'svc', 80], ['obs.test', '/b', 'Prefix', 'svc', 80]])] });
  const discovery = new StaticDiscovery({ endpoints: { 'default/svc:80': at(upstream.port) } });
  const router = new Router({ table, discovery });
  const app = Fastify();
  setup?.(app);
  await app.register(switchyard, { router, observer, logRequests: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: async () => void (await app.close(), router.close(), await discovery.close()) };
}

async function get(url: string, path: string): Promise<number> {
  const answer = await request(`${url}${path}`, { headers: { host: 'obs.test' } });
  await answer.body.dump();
  return answer.statusCode;
}

describe('the proxy observer', () => {
  test.each([false, true])('with forRoute %s: every request is reported with its route, its upstream latency, and 404s without one', async (withForRoute) => {
    const calls: Call[] = [];
    const asked: string[] = [];
    const gateway = await appWith(recordingObserver(calls, withForRoute, asked));
    try {
      for (const path of ['/a/1', '/b/2', '/a/3', '/nowhere']) await get(gateway.url, path);
      // The response can end before the observer hears of it (the close event comes next).
      await expect.poll(() => calls.filter(([method]) => method === 'requestFinished').length).toBe(4);
      // A barrier: once its report is in, a second report of an earlier request would be too.
      await get(gateway.url, '/b/barrier');
      await expect.poll(() => calls.filter(([method]) => method === 'requestFinished').length).toBeGreaterThanOrEqual(5);
      expect(calls.splice(-2)).toEqual([
        ['upstreamLatency', 'obs.test/b'],
        ['requestFinished', 'obs.test/b', 200, undefined],
      ]);
      expect(calls.filter(([method]) => method === 'upstreamLatency')).toEqual([
        ['upstreamLatency', 'obs.test/a'],
        ['upstreamLatency', 'obs.test/b'],
        ['upstreamLatency', 'obs.test/a'],
      ]);
      expect(calls.filter(([method]) => method === 'requestFinished')).toEqual([
        ['requestFinished', 'obs.test/a', 200, undefined],
        ['requestFinished', 'obs.test/b', 200, undefined],
        ['requestFinished', 'obs.test/a', 200, undefined],
        ['requestFinished', undefined, 404, 'SWY_PROXY_NO_ROUTE'],
      ]);
      // forRoute is asked once per route, not per request.
      expect(asked).toEqual(withForRoute ? ['obs.test/a', 'obs.test/b'] : []);
    } finally {
      await gateway.close();
    }
  });

  test('a request an app hook answers before the proxy handler is reported with its route, once', async () => {
    const calls: Call[] = [];
    const asked: string[] = [];
    const gateway = await appWith(recordingObserver(calls, true, asked), (app) => {
      app.addHook('preHandler', async (req, reply) => {
        if (req.headers['x-deny'] !== undefined) return reply.code(401).send('denied');
      });
    });
    try {
      const answer = await request(`${gateway.url}/a/secret`, { headers: { host: 'obs.test', 'x-deny': '1' } });
      await answer.body.dump();
      expect(answer.statusCode).toBe(401);
      await expect.poll(() => calls.length).toBe(1);
      expect(calls).toEqual([['requestFinished', 'obs.test/a', 401, undefined]]);
      expect(asked).toEqual(['obs.test/a']);
      // After a barrier request is reported, the denied one still was reported once.
      await get(gateway.url, '/a/barrier');
      await expect.poll(() => calls.filter(([method]) => method === 'requestFinished').length).toBeGreaterThanOrEqual(2);
      expect(calls.filter(([method]) => method === 'requestFinished')).toEqual([
        ['requestFinished', 'obs.test/a', 401, undefined],
        ['requestFinished', 'obs.test/a', 200, undefined],
      ]);
    } finally {
      await gateway.close();
    }
  });

  test('an app hook\'s answer the client leaves before it is complete is reported as 499, once', async () => {
    const calls: Call[] = [];
    const gateway = await appWith(recordingObserver(calls, true), (app) => {
      // A body that has not ended when the client goes.
      app.addHook('preHandler', async (req, reply) => {
        if (req.headers['x-unending'] === undefined) return;
        const body = new Readable({ read() {} });
        body.push('the first part of a body that does not end');
        return reply.code(200).send(body);
      });
    });
    try {
      const { port } = new URL(gateway.url);
      const socket = connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      socket.write('GET /a/unending HTTP/1.1\r\nhost: obs.test\r\nx-unending: 1\r\n\r\n');
      const [first] = (await once(socket, 'data')) as [Buffer];
      expect(first.toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);
      socket.destroy();
      await expect.poll(() => calls.length).toBe(1);
      expect(calls).toEqual([['requestFinished', 'obs.test/a', 499, undefined]]);
      await get(gateway.url, '/a/barrier');
      // Once: after a later request is reported, the first is still the one 499.
      await expect.poll(() => calls.filter(([method]) => method === 'requestFinished').length).toBe(2);
      expect(calls.filter(([method]) => method === 'requestFinished')).toEqual([
        ['requestFinished', 'obs.test/a', 499, undefined],
        ['requestFinished', 'obs.test/a', 200, undefined],
      ]);
    } finally {
      await gateway.close();
    }
  });
});
