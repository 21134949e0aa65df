import { afterAll, describe, expect, test } from 'vitest';
import Fastify from 'fastify';
import { compile, isSwitchyardError, Router, StaticDiscovery } from '@switchyard/core';
import { startGateway, switchyard, type GatewayOptions, type SwitchyardOptions } from '@switchyard/fastify';

const discovery = new StaticDiscovery();
const router = new Router({ table: compile({ ingresses: [] }).table, discovery });
afterAll(async () => {
  router.close();
  await discovery.close();
});

/** Registers the plugin on a fresh app and returns what registration threw (undefined if nothing). */
async function registrationError(options: unknown): Promise<unknown> {
  const app = Fastify({ logger: false });
  try {
    await app.register(switchyard, options as SwitchyardOptions);
    await app.ready();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await app.close().catch(() => undefined);
  }
}

function expectError(error: unknown, code: string, field: string): void {
  expect(isSwitchyardError(error), String(error)).toBe(true);
  expect({ code: (error as { code: string }).code, field: (error as { field?: string }).field }).toEqual({ code, field });
}

describe('the plugin checks its options at registration', () => {
  test('valid options register', async () => {
    expect(await registrationError({ router, timeouts: { connectMs: 1, firstByteMs: 1, idleMs: 1, requestBodyIdleMs: 1 }, retries: 10, trustRequestId: true })).toBeUndefined();
    expect(await registrationError({ router, upstream: { connectionsPerEndpoint: 4 }, requestBody: { bufferBytes: 0, streamingPerEndpoint: 4 } })).toBeUndefined();
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['router missing', {}, 'router'],
    ['router not a Router', { router: { table: router.table } }, 'router'],
    ['timeouts.connectMs: -1', { router, timeouts: { connectMs: -1 } }, 'timeouts.connectMs'],
    ['timeouts.firstByteMs: 0', { router, timeouts: { firstByteMs: 0 } }, 'timeouts.firstByteMs'],
    ['timeouts.idleMs: 1.5', { router, timeouts: { idleMs: 1.5 } }, 'timeouts.idleMs'],
    ['timeouts: 5', { router, timeouts: 5 }, 'timeouts'],
    ['retries: 11', { router, retries: 11 }, 'retries'],
    ['retries: -1', { router, retries: -1 }, 'retries'],
    ['trustRequestId: "yes"', { router, trustRequestId: 'yes' }, 'trustRequestId'],
    ['trustForwarded: 1', { router, trustForwarded: 1 }, 'trustForwarded'],
    ['logRequests: "no"', { router, logRequests: 'no' }, 'logRequests'],
    ['requestLines: a stream (not a RequestLineWriter)', { router, requestLines: { write() {} } }, 'requestLines'],
    ['logger: a stream (not a logger)', { router, logger: { write() {} } }, 'logger'],
    ['logger: null', { router, logger: null }, 'logger'],
    ['upstream.connectionsPerEndpoint: 0', { router, upstream: { connectionsPerEndpoint: 0 } }, 'upstream.connectionsPerEndpoint'],
    ['upstream.keepAliveMs: NaN', { router, upstream: { keepAliveMs: Number.NaN } }, 'upstream.keepAliveMs'],
    ['timeouts.requestBodyIdleMs: 0', { router, timeouts: { requestBodyIdleMs: 0 } }, 'timeouts.requestBodyIdleMs'],
    ['requestBody: []', { router, requestBody: [] }, 'requestBody'],
    ['requestBody.bufferBytes: -1', { router, requestBody: { bufferBytes: -1 } }, 'requestBody.bufferBytes'],
    ['requestBody.bufferBytes: 128 MiB (held in memory per request)', { router, requestBody: { bufferBytes: 128 * 1024 * 1024 } }, 'requestBody.bufferBytes'],
    ['requestBody.streamingPerEndpoint: 0', { router, requestBody: { streamingPerEndpoint: 0 } }, 'requestBody.streamingPerEndpoint'],
    [
      'requestBody.streamingPerEndpoint above upstream.connectionsPerEndpoint (it would leave no connection for other requests)',
      { router, upstream: { connectionsPerEndpoint: 4 }, requestBody: { streamingPerEndpoint: 5 } },
      'requestBody.streamingPerEndpoint',
    ],
    // Balancing is the Router's option now (test/discovery/router-balancing.test.ts in core): a clear error, not an ignored option.
    ['balancing (an option of the Router)', { router, balancing: { outlierDetection: false } }, 'balancing'],
    ['httpsRedirect.statusCode: 200', { router, httpsRedirect: { isTlsHost: () => true, statusCode: 200, httpsPort: 443 } }, 'httpsRedirect.statusCode'],
    ['observer without methods', { router, observer: {} }, 'observer'],
    [
      'observer.forRoute: "yes"',
      { router, observer: { requestFinished() {}, upstreamLatency() {}, retried() {}, ejected() {}, forRoute: 'yes' } },
      'observer.forRoute',
    ],
  ])('%s → SWY_FASTIFY_INVALID_OPTIONS', async (_label, options, field) => {
    expectError(await registrationError(options), 'SWY_FASTIFY_INVALID_OPTIONS', field);
  });
});

describe('startGateway checks its options', () => {
  const base: GatewayOptions = { router, listen: { host: '127.0.0.1', port: 0 }, admin: false, logger: false };

  test.each<[string, Partial<GatewayOptions>, string]>([
    ['listen.port: 70000', { listen: { host: '127.0.0.1', port: 70_000 } }, 'listen.port'],
    ['listen without a host', { listen: { host: '', port: 0 } }, 'listen'],
    ['admin.port: -1', { admin: { host: '127.0.0.1', port: -1 } }, 'admin.port'],
    ['redirectToHttps: 200', { redirectToHttps: 200 as never }, 'redirectToHttps'],
    ['drainTimeoutMs: -5', { drainTimeoutMs: -5 }, 'drainTimeoutMs'],
    ['proxy.retries: 11 (a plugin option)', { proxy: { retries: 11 } }, 'retries'],
    ['proxy.timeouts.connectMs: -1 (a plugin option)', { proxy: { timeouts: { connectMs: -1 } } }, 'timeouts.connectMs'],
  ])('%s → SWY_FASTIFY_INVALID_OPTIONS', async (_label, options, field) => {
    let error: unknown;
    try {
      const gateway = await startGateway({ ...base, ...options });
      await gateway.close();
    } catch (caught) {
      error = caught;
    }
    expectError(error, 'SWY_FASTIFY_INVALID_OPTIONS', field);
  });

  test('a missing router → SWY_FASTIFY_INVALID_OPTIONS naming router', async () => {
    const { router: _router, ...withoutRouter } = base;
    await expect(startGateway(withoutRouter as GatewayOptions)).rejects.toSatisfy((error) => {
      expectError(error, 'SWY_FASTIFY_INVALID_OPTIONS', 'router');
      return true;
    });
  });
});
