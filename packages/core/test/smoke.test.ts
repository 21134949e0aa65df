import { compile } from '@switchyard/core';
import { referenceMatch } from '@switchyard/test-utils';
import { expect, test } from 'vitest';

test('smoke', () => {
  const ingresses = [{ metadata: { name: 'a' }, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix' as const, backend: { service: { name: 's', port: { number: 80 } } } }] } }] } }];
  const { table } = compile({ ingresses });
  expect(table.match('x', '/y')?.field).toBe(referenceMatch(ingresses, 'x', '/y')?.field);
});
