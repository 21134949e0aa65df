import { SwitchyardError } from '@switchyard/core';
import { KubeApiError, KubeError, isKubeError } from '@switchyard/kubernetes';
import { expect, test } from 'vitest';

test('errors carry their code and count as SwitchyardErrors', () => {
  const error = new KubeApiError(429, 'TooManyRequests', 'slow down', 2);
  expect(error).toMatchObject({ code: 'SWY_KUBE_API_STATUS', status: 429, reason: 'TooManyRequests', retryAfterSeconds: 2 });
  expect(error instanceof SwitchyardError).toBe(true);
  expect(isKubeError(error, 'SWY_KUBE_API_STATUS')).toBe(true);
  expect(isKubeError(new KubeError('SWY_KUBE_WATCH_INACTIVE', 'x'), 'SWY_KUBE_API_STATUS')).toBe(false);
});
