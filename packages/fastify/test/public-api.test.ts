import * as fastify from '@switchyard/fastify';
import { expect, test } from 'vitest';

// The runtime names the package exports: adding or dropping one is a deliberate change of the
// public API (update the README's API table with it). Types are pinned in public-api.test-d.ts.
test('@switchyard/fastify exports exactly its documented names', () => {
  expect(Object.keys(fastify).sort()).toEqual([
    'ADMIN_PATHS',
    'DEFAULT_ADMIN_LISTEN',
    'DEFAULT_CONNECTIONS_PER_ENDPOINT',
    'DEFAULT_CONNECT_TIMEOUT_MS',
    'DEFAULT_DRAIN_TIMEOUT_MS',
    'DEFAULT_FIRST_BYTE_TIMEOUT_MS',
    'DEFAULT_IDLE_TIMEOUT_MS',
    'DEFAULT_LISTEN',
    'DEFAULT_METRICS_PREFIX',
    'DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS',
    'DEFAULT_REQUEST_BUFFER_BYTES',
    'DEFAULT_REQUEST_LINE_WRITE_BYTES',
    'DEFAULT_RETRIES',
    'DEFAULT_UPSTREAM_KEEP_ALIVE_MS',
    'ERROR_HEADER',
    'FASTIFY_ERROR_CODES',
    'FastifyPluginError',
    'GatewayMetrics',
    'LATENCY_BUCKETS',
    'MAX_REQUEST_ID_LENGTH',
    'RequestLineWriter',
    'createAdminServer',
    'default',
    'isFastifyPluginError',
    'startGateway',
    'switchyard',
    'switchyardServerOptions',
  ]);
  expect(fastify.default).toBe(fastify.switchyard);
});
