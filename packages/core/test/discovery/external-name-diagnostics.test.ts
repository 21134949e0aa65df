import { compile, serviceBackendDiagnostics } from '@switchyard/core';
import { ingress, service } from '@switchyard/test-utils';
import { expect, test } from 'vitest';

const routes = ingress('pay', {
  namespace: 'shop',
  rules: [
    {
      http: {
        paths: [
          { path: '/a', pathType: 'Prefix', backend: { service: { name: 'payments', port: { number: 443 } } } },
          { path: '/b', pathType: 'Prefix', backend: { service: { name: 'payments', port: { number: 443 } } } },
        ],
      },
    },
  ],
});
const external = service('payments', [{ port: 443, targetPort: 8443 }], { namespace: 'shop', externalName: 'payments.example.net' });

test('an ExternalName Service that is not allowed is a warning on its spec.externalName, once, saying how to allow it', () => {
  const { table } = compile({ ingresses: [routes] });
  const diagnostics = serviceBackendDiagnostics(table, [routes, external]);
  expect(diagnostics.map((d) => [d.code, d.severity, d.object, d.field])).toEqual([['SWY_DISCOVERY_EXTERNAL_NAME_DENIED', 'warning', 'shop/payments', 'spec.externalName']]);
  expect(diagnostics[0]!.message).toContain('--allow-external-name payments.example.net');
  expect(serviceBackendDiagnostics(table, [routes, external], { allowExternalNames: ['other.example.net'] })).toHaveLength(1);
});

test('an allowed one is not', () => {
  const { table } = compile({ ingresses: [routes] });
  for (const allowExternalNames of [['payments.example.net'], ['*.example.net'], ['*']]) {
    expect(serviceBackendDiagnostics(table, [routes, external], { allowExternalNames })).toEqual([]);
  }
});
