import { compile, Router, StaticDiscovery } from '@switchyard/core';
import { switchyard } from '@switchyard/fastify';
import Fastify from 'fastify';
import { request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { at, ingress } from '../helpers/gateway.js';
import { startUpstream, type Upstream } from '@switchyard/test-utils';

let old: Upstream, next: Upstream;
beforeAll(async () => {
  [old, next] = await Promise.all([startUpstream('old'), startUpstream('next')]);
});
afterAll(async () => Promise.all([old.close(), next.close()]));

// An app's preHandler may await (an auth call) between the proxy's match and its pick; a table
// swap in that gap that drops the matched backend must not turn the request into a 503.
test('a request matched on the old table is proxied to its backend after a swap drops it', async () => {
  const discovery = new StaticDiscovery({ endpoints: { 'default/old:80': at(old.port), 'default/next:80': at(next.port) } });
  const router = new Router({ table: compile({ ingresses: [ingress('a', [['swap.test', '/', 'Prefix', 'old', 80]])] }).table, discovery });
  const app = Fastify();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let matched!: () => void;
  const reachedHook = new Promise<void>((resolve) => (matched = resolve));
  app.addHook('preHandler', async (req) => {
    if (req.switchyard?.route?.backendKey !== 'default/old:80') return;
    matched();
    await held;
  });
  await app.register(switchyard, { router, logRequests: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const response = request(`${url}/x`, { headers: { host: 'swap.test' } });
    await reachedHook;
    router.update(compile({ ingresses: [ingress('a', [['swap.test', '/', 'Prefix', 'next', 80]])] }).table);
    release();
    const answer = await response;
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(await answer.body.text())).toMatchObject({ upstream: 'old' });
    // New requests follow the new table.
    const after = await request(`${url}/x`, { headers: { host: 'swap.test' } });
    expect(JSON.parse(await after.body.text())).toMatchObject({ upstream: 'next' });
  } finally {
    await app.close();
    router.close();
    await discovery.close();
  }
});
