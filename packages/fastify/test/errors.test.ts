import { SwitchyardError } from '@switchyard/core';
import { FastifyPluginError, isFastifyPluginError } from '@switchyard/fastify';
import { expect, test } from 'vitest';

test('errors carry their code and field and count as SwitchyardErrors', () => {
  const error = new FastifyPluginError('SWY_FASTIFY_INVALID_OPTIONS', 'bad', { field: 'retries' });
  expect(error).toMatchObject({ code: 'SWY_FASTIFY_INVALID_OPTIONS', field: 'retries' });
  expect(error instanceof SwitchyardError).toBe(true);
  expect(isFastifyPluginError(error, 'SWY_FASTIFY_INVALID_OPTIONS')).toBe(true);
  expect(isFastifyPluginError(error, 'SWY_PROXY_NO_ROUTE')).toBe(false);
  expect(isFastifyPluginError(new SwitchyardError('SWY_REQUEST_BAD_PATH', 'x'))).toBe(false);
});
