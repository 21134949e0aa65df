import { compile, Router, StaticDiscovery } from '@switchyard/core';
import switchyard, { switchyardServerOptions } from '@switchyard/fastify';
import Fastify from 'fastify';
import pino from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startUpstream, type Upstream } from '@switchyard/test-utils';
import { gatewayLogger, withErrorLog } from '../../src/gateway.js';
import { at, ingress, startTestGateway } from '../helpers/gateway.js';
import { LogLines } from '../helpers/log-lines.js';
import { RawConnection } from '../helpers/raw-http.js';

// startGateway's apps have no Fastify logger (no child logger per request, no listener on
// every response for a line that is off): the gateway's one logger gets what they logged.

let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream('logged');
});
afterAll(async () => {
  await upstream?.close();
});

describe('startGateway logs through its own logger', () => {
  test('the proxied line, and the lines of a target Fastify cannot decode and of headers Node refuses, reach the gateway\'s logger; the app has none', async () => {
    const log = new LogLines();
    const gw = await startTestGateway([ingress('logged', [['logged.test', '/', 'Prefix', 'logged', 80]])], { 'default/logged:80': at(upstream.port) }, { logger: { level: 'info', stream: log.stream } });
    try {
      const answer = await request(`${gw.url}/ok`, { headers: { host: 'logged.test' } });
      await answer.body.dump();
      expect(answer.statusCode).toBe(200);
      await log.waitFor((line) => line.msg === 'proxied' && line.path === '/ok');
      const connection = await RawConnection.open(gw.url);
      connection.write('GET /%zz HTTP/1.1\r\nHost: logged.test\r\n\r\n');
      expect((await connection.readResponse()).statusCode).toBe(400);
      connection.close();
      const refused = await log.waitFor((line) => line.msg === 'proxied' && line.status === 400);
      expect(refused).toMatchObject({ error: 'SWY_PROXY_BAD_REQUEST', path: '/%zz', reqId: expect.any(String) });
      // A request Node's parser refuses (headers over 16 KiB) has no request, and a line all the same.
      const oversized = await RawConnection.open(gw.url);
      oversized.write(`GET /big HTTP/1.1\r\nHost: logged.test\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
      expect((await oversized.readResponse()).statusCode).toBe(431);
      oversized.close();
      expect(await log.waitFor((line) => line.msg === 'proxied' && line.status === 431)).toMatchObject({ error: 'SWY_PROXY_BAD_REQUEST', reason: 'HPE_HEADER_OVERFLOW', protocol: 'http1' });
      // Fastify's own logger on the app is its silent one: nothing it would log reaches the stream.
      gw.gateway.apps.http.log.info('from the app');
      const barrier = await request(`${gw.url}/barrier`, { headers: { host: 'logged.test' } });
      await barrier.body.dump();
      await log.waitFor((line) => line.msg === 'proxied' && line.path === '/barrier');
      expect(log.lines.filter((line) => line.msg === 'from the app')).toEqual([]);
    } finally {
      await gw.close();
    }
  });
});

describe('startGateway\'s admin listener', () => {
  test('an admin endpoint that fails is logged on the gateway\'s logger', async () => {
    const log = new LogLines();
    const status = () => {
      throw new Error('status exploded');
    };
    const gw = await startTestGateway([], {}, { logger: { level: 'info', stream: log.stream }, admin: { host: '127.0.0.1', port: 0 }, status });
    try {
      const answer = await request(`${gw.gateway.urls.admin!}/readyz`);
      await answer.body.dump();
      expect(answer.statusCode).toBe(500);
      expect(await log.waitFor((line) => line.msg === 'admin endpoint failed')).toMatchObject({ level: 50, path: '/readyz', err: { message: 'status exploded' } });
    } finally {
      await gw.close();
    }
  });
});

describe('gatewayLogger and withErrorLog', () => {
  test('gatewayLogger makes the logger Fastify would of its option; none for false', async () => {
    expect(gatewayLogger(false)).toBeUndefined();
    const log = new LogLines();
    const logger = gatewayLogger({ level: 'warn', stream: log.stream })!;
    logger.info('dropped');
    logger.warn({ reqId: 'r-1' }, 'kept');
    const kept = await log.waitFor((line) => line.msg === 'kept');
    expect(kept).toMatchObject({ level: 40, reqId: 'r-1' });
    expect(log.lines.map((line) => line.msg)).toEqual(['kept']);
  });

  test('an error thrown in a handler: logged at error with its request id, answered as Fastify answers it', async () => {
    const log = new LogLines();
    const app = withErrorLog(Fastify(), gatewayLogger({ level: 'info', stream: log.stream }));
    app.get('/boom', async () => {
      throw new Error('the handler broke');
    });
    app.get('/refused', async () => {
      throw Object.assign(new Error('not like that'), { statusCode: 422 });
    });
    try {
      const boom = await app.inject({ url: '/boom' });
      expect(boom.statusCode).toBe(500);
      expect(boom.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'the handler broke' });
      const line = await log.waitFor((entry) => entry.msg === 'the handler broke');
      expect(line).toMatchObject({ level: 50, reqId: expect.any(String), err: { message: 'the handler broke', type: 'Error' } });
      const refused = await app.inject({ url: '/refused' });
      expect(refused.statusCode).toBe(422);
      expect(await log.waitFor((entry) => entry.msg === 'not like that')).toMatchObject({ level: 30 });
      // One line each: Fastify's default handler, which answered, had no logger to log with.
      expect(log.lines.map((entry) => entry.msg)).toEqual(['the handler broke', 'not like that']);
    } finally {
      await app.close();
    }
  });
});

describe('switchyardServerOptions without a logger', () => {
  test('a request Node\'s parser refuses is logged on the app\'s logger, in the plugin\'s line shape', async () => {
    const apps = new LogLines();
    const app = Fastify({ ...switchyardServerOptions(), logger: { level: 'info', stream: apps.stream } });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const connection = await RawConnection.open(url);
      connection.write('GET / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n');
      expect((await connection.readResponse()).statusCode).toBe(400);
      connection.close();
      expect(await apps.waitFor((line) => line.msg === 'proxied')).toMatchObject({ status: 400, error: 'SWY_PROXY_BAD_REQUEST', protocol: 'http1', reason: expect.stringMatching(/^HPE_/) });
    } finally {
      await app.close();
    }
  });
});

describe('the plugin\'s logger option', () => {
  test('the plugin logs there, not on the app\'s logger', async () => {
    const mine = new LogLines();
    const apps = new LogLines();
    const { table } = compile({ ingresses: [ingress('logged', [['logged.test', '/', 'Prefix', 'logged', 80]])] });
    const discovery = new StaticDiscovery({ endpoints: { 'default/logged:80': at(upstream.port) } });
    const router = new Router({ table, discovery });
    const app = Fastify({ logger: { level: 'info', stream: apps.stream } });
    await app.register(switchyard, { router, logger: pino(mine.stream) });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const answer = await request(`${url}/mine`, { headers: { host: 'logged.test' } });
      await answer.body.dump();
      expect(await mine.waitFor((line) => line.msg === 'proxied')).toMatchObject({ path: '/mine', status: 200 });
      expect(apps.lines.filter((line) => line.msg === 'proxied')).toEqual([]);
    } finally {
      await app.close();
      router.close();
      await discovery.close();
    }
  });
});
