import { compile, loadManifests, serviceBackendDiagnostics } from '@switchyard/core';
import { gatewayCompileOptions, ingress, service } from '@switchyard/test-utils';
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

test('an HTTPRoute backendRef to an ExternalName Service that is not allowed: the same warning on the Service', () => {
  const objects = loadManifests(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web, namespace: shop }
spec:
  gatewayClassName: switchyard
  listeners: [{ name: http, protocol: HTTP, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: pay, namespace: shop }
spec:
  parentRefs: [{ name: web }]
  rules: [{ backendRefs: [{ name: payments, port: 443 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: payments, namespace: shop }
spec: { type: ExternalName, externalName: payments.example.net, ports: [{ port: 443 }] }
`).objects;
  const { table } = compile({ ingresses: [], ...gatewayCompileOptions(objects) });
  expect(serviceBackendDiagnostics(table, objects).map((d) => [d.code, d.object, d.field])).toEqual([['SWY_DISCOVERY_EXTERNAL_NAME_DENIED', 'shop/payments', 'spec.externalName']]);
  expect(serviceBackendDiagnostics(table, objects, { allowExternalNames: ['payments.example.net'] })).toEqual([]);
});
