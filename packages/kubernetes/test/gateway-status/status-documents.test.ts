import { describe, expect, test } from 'vitest';
import { planStatusWrites, type HTTPRouteStatusDocument, type StatusWrite } from '@switchyard/kubernetes';
import { GATEWAY, OURS, T0, T0_TEXT, compileYaml, httpRoute, observe, service, writeFor } from './status-fixtures.js';

const GRANT = `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: from-apps, namespace: shared }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: apps }]
  to: [{ group: "", kind: Service }]
`;

function plan(yaml: string, options: { addresses?: Parameters<typeof planStatusWrites>[0]['addresses'] } = {}) {
  const { objects, status } = compileYaml(yaml);
  return planStatusWrites({ status, controllerName: OURS, observed: observe(objects, { generation: 3 }), now: T0, ...options });
}

function routeStatus(writes: readonly StatusWrite[], key: string): HTTPRouteStatusDocument {
  const write = writeFor(writes, 'HTTPRoute', key);
  expect(write?.kind).toBe('HTTPRoute');
  return write!.status as HTTPRouteStatusDocument;
}

describe('HTTPRoute parents: one entry per parentRef we serve, in the API vocabulary', () => {
  test.each([
    {
      case: 'an accepted route with a backend that resolves',
      yaml: `${service('web', 'apps')}${httpRoute('r', 'apps', '  parentRefs: [{ name: gw, namespace: infra, sectionName: web }]\n  hostnames: [a.example.com]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n')}`,
      conditions: [
        ['Accepted', 'True', 'Accepted'],
        ['ResolvedRefs', 'True', 'ResolvedRefs'],
      ],
    },
    {
      case: 'an unknown backend: accepted, ResolvedRefs False BackendNotFound',
      yaml: httpRoute('r', 'apps', '  parentRefs: [{ name: gw, namespace: infra, sectionName: web }]\n  hostnames: [a.example.com]\n  rules: [{ backendRefs: [{ name: missing, port: 80 }] }]\n'),
      conditions: [
        ['Accepted', 'True', 'Accepted'],
        ['ResolvedRefs', 'False', 'BackendNotFound'],
      ],
    },
    {
      case: 'a backend in another namespace without a ReferenceGrant: RefNotPermitted',
      yaml: `${service('db', 'shared')}${httpRoute('r', 'apps', '  parentRefs: [{ name: gw, namespace: infra, sectionName: web }]\n  hostnames: [a.example.com]\n  rules: [{ backendRefs: [{ name: db, namespace: shared, port: 80 }] }]\n')}`,
      conditions: [
        ['Accepted', 'True', 'Accepted'],
        ['ResolvedRefs', 'False', 'RefNotPermitted'],
      ],
    },
    {
      case: 'the same backend with a ReferenceGrant in its namespace: resolved',
      yaml: `${service('db', 'shared')}${GRANT}${httpRoute('r', 'apps', '  parentRefs: [{ name: gw, namespace: infra, sectionName: web }]\n  hostnames: [a.example.com]\n  rules: [{ backendRefs: [{ name: db, namespace: shared, port: 80 }] }]\n')}`,
      conditions: [
        ['Accepted', 'True', 'Accepted'],
        ['ResolvedRefs', 'True', 'ResolvedRefs'],
      ],
    },
    {
      case: 'a hostname no listener takes: Accepted False NoMatchingListenerHostname',
      yaml: `${service('web', 'apps')}${httpRoute('r', 'apps', '  parentRefs: [{ name: gw, namespace: infra, sectionName: web }]\n  hostnames: [a.example.org]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n')}`,
      conditions: [
        ['Accepted', 'False', 'NoMatchingListenerHostname'],
        ['ResolvedRefs', 'True', 'ResolvedRefs'],
      ],
    },
  ])('$case', ({ yaml, conditions }) => {
    const { writes, skipped, omittedParents } = plan(`${GATEWAY}${yaml}`);
    expect(skipped).toEqual([]);
    expect(omittedParents).toEqual([]);
    const write = writeFor(writes, 'HTTPRoute', 'apps/r')!;
    expect(write.resourceVersion).toBe('100');
    expect(routeStatus(writes, 'apps/r').parents).toEqual([
      {
        // The parentRef as written, with the CRD defaults filled in, so it reads back unchanged.
        parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'gw', sectionName: 'web' },
        controllerName: OURS,
        conditions: conditions.map(([type, status, reason]) => ({ type, status, reason, message: expect.any(String), observedGeneration: 3, lastTransitionTime: T0_TEXT })),
      },
    ]);
  });

  test('a parentRef naming a Gateway we do not serve gets no entry; a route with none we serve is not written', () => {
    const { writes } = plan(`${GATEWAY}${httpRoute('r', 'apps', '  parentRefs: [{ name: elsewhere, namespace: infra }]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n')}`);
    expect(writeFor(writes, 'HTTPRoute', 'apps/r')).toBeUndefined();
  });
});

describe('Gateway and GatewayClass documents', () => {
  const yaml = `${GATEWAY}${service('web', 'apps')}${httpRoute('r', 'apps', '  parentRefs: [{ name: gw, namespace: infra }]\n  hostnames: [a.example.com]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n')}`;

  test('the Gateway: Accepted and Programmed, each listener with supportedKinds (group written out), attachedRoutes and conditions', () => {
    const write = writeFor(plan(yaml).writes, 'Gateway', 'infra/gw')!;
    expect(write).toMatchObject({ kind: 'Gateway', namespace: 'infra', name: 'gw', resourceVersion: '100' });
    const status = write.status as Extract<StatusWrite, { kind: 'Gateway' }>['status'];
    expect(status.addresses).toBeUndefined();
    expect(status.conditions.map(({ type, status: s, reason, observedGeneration, lastTransitionTime }) => [type, s, reason, observedGeneration, lastTransitionTime])).toEqual([
      ['Accepted', 'True', 'Accepted', 3, T0_TEXT],
      ['Programmed', 'True', 'Programmed', 3, T0_TEXT],
    ]);
    expect(status.listeners.map((l) => [l.name, l.supportedKinds, l.attachedRoutes, l.conditions.map((c) => `${c.type}=${c.status}`)])).toEqual([
      ['web', [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }, { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }], 1, ['Accepted=True', 'ResolvedRefs=True', 'Programmed=True', 'Conflicted=False']],
      // `kinds: [{ kind: HTTPRoute }]` is written without its group; the document has it, as the CRD default would.
      ['any', [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], 1, ['Accepted=True', 'ResolvedRefs=True', 'Programmed=True', 'Conflicted=False']],
    ]);
  });

  test('addresses are written when the caller gives some, for the Gateway it names', () => {
    const addresses = [
      { type: 'IPAddress', value: '203.0.113.7' },
      { type: 'Hostname', value: 'lb.example.com' },
    ] as const;
    const write = writeFor(plan(yaml, { addresses: (gateway) => (gateway === 'infra/gw' ? addresses : undefined) }).writes, 'Gateway', 'infra/gw')!;
    expect((write.status as { addresses?: unknown }).addresses).toEqual(addresses);
  });

  test('the GatewayClass: Accepted with the class generation; the CRD default condition (Pending, 1970) replaced; supportedFeatures kept', () => {
    const { objects, status } = compileYaml(yaml);
    const observed = observe(objects, {
      generation: 2,
      status: {
        '/switchyard': {
          conditions: [{ type: 'Accepted', status: 'Unknown', reason: 'Pending', message: 'Waiting for controller', lastTransitionTime: '1970-01-01T00:00:00Z' }],
          supportedFeatures: [{ name: 'HTTPRoute' }],
        },
      },
    });
    const write = writeFor(planStatusWrites({ status, controllerName: OURS, observed, now: T0 }).writes, 'GatewayClass', 'switchyard')!;
    expect(write).toMatchObject({ kind: 'GatewayClass', namespace: undefined, name: 'switchyard' });
    expect(write.status).toEqual({
      conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: expect.any(String), observedGeneration: 2, lastTransitionTime: T0_TEXT }],
      supportedFeatures: [{ name: 'HTTPRoute' }],
    });
  });
});
