import { readFileSync } from 'node:fs';
import { SwitchyardError } from '@switchyard/core';
import { FASTIFY_ERROR_CODES, FastifyPluginError, isFastifyPluginError } from '@switchyard/fastify';
import { expect, test } from 'vitest';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('the README documents exactly the codes of FASTIFY_ERROR_CODES', () => {
  const documented = [...README.matchAll(/^\| `(SWY_[A-Z_]+)` \|/gm)].map((m) => m[1]);
  expect(documented.sort()).toEqual(Object.keys(FASTIFY_ERROR_CODES).sort());
});

test('errors carry their code and field and count as SwitchyardErrors', () => {
  const error = new FastifyPluginError('SWY_FASTIFY_INVALID_OPTIONS', 'bad', { field: 'retries' });
  expect(error).toMatchObject({ code: 'SWY_FASTIFY_INVALID_OPTIONS', field: 'retries' });
  expect(error instanceof SwitchyardError).toBe(true);
  expect(isFastifyPluginError(error, 'SWY_FASTIFY_INVALID_OPTIONS')).toBe(true);
  expect(isFastifyPluginError(error, 'SWY_PROXY_NO_ROUTE')).toBe(false);
  expect(isFastifyPluginError(new SwitchyardError('SWY_REQUEST_BAD_PATH', 'x'))).toBe(false);
});
