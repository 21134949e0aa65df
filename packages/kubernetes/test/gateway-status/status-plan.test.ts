import { describe, expect, test } from 'vitest';
import { planStatusWrites, type HTTPRouteStatusDocument, type RouteParentStatusDocument, type StatusCondition } from '@switchyard/kubernetes';
import { GATEWAY, OURS, T0, T0_TEXT, T1, T1_TEXT, applyWrites, compileYaml, httpRoute, observe, service, writeFor, type ObservedKinds } from './status-fixtures.js';

const ROUTE = httpRoute('r', 'apps', '  parentRefs: [{ name: gw, namespace: infra, sectionName: web }]\n  hostnames: [a.example.com]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n');
const YAML = `${GATEWAY}${service('web', 'apps')}${ROUTE}`;

/** The first plan written to a fresh cluster: what the API server holds afterwards. */
function afterFirstWrite(yaml = YAML): ObservedKinds {
  const { objects, status } = compileYaml(yaml);
  const observed = observe(objects);
  return applyWrites(observed, planStatusWrites({ status, controllerName: OURS, observed, now: T0 }).writes);
}

function ourConditions(observed: ObservedKinds, yaml: string, now: Date): readonly StatusCondition[] | undefined {
  const { status } = compileYaml(yaml);
  const write = writeFor(planStatusWrites({ status, controllerName: OURS, observed, now }).writes, 'HTTPRoute', 'apps/r');
  const parents = (write?.status as HTTPRouteStatusDocument | undefined)?.parents ?? [];
  return (parents.find((entry) => entry['controllerName'] === OURS) as RouteParentStatusDocument | undefined)?.conditions;
}

function withGeneration(observed: ObservedKinds, generation: number): ObservedKinds {
  const bump = (objects: ObservedKinds['httpRoutes']) => objects.map((object) => ({ ...object, metadata: { ...object.metadata, generation } }));
  return { gatewayClasses: bump(observed.gatewayClasses), gateways: bump(observed.gateways), httpRoutes: bump(observed.httpRoutes), grpcRoutes: bump(observed.grpcRoutes) };
}

describe('writes only what changed', () => {
  test('the first plan writes every object we serve; written back, the same input plans no write, at any later time', () => {
    const { objects, status } = compileYaml(YAML);
    const observed = observe(objects);
    const first = planStatusWrites({ status, controllerName: OURS, observed, now: T0 });
    expect(first.writes.map((write) => `${write.kind} ${write.namespace ?? ''}/${write.name} rv=${write.resourceVersion}`)).toEqual([
      'GatewayClass /switchyard rv=100',
      'Gateway infra/gw rv=100',
      'HTTPRoute apps/r rv=100',
    ]);
    // applyWrites reads each status back with its keys in another order: no change either.
    const again = planStatusWrites({ status, controllerName: OURS, observed: applyWrites(observed, first.writes), now: T1 });
    expect(again).toEqual({ writes: [], skipped: [], omittedParents: [] });
  });

  test('an endpoint change (a new compile of the same objects, EndpointSlices and all) plans no write', () => {
    const endpoints = `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: web-abc, namespace: apps, labels: { kubernetes.io/service-name: web } }
addressType: IPv4
endpoints: [{ addresses: [10.0.0.9], conditions: { ready: true } }]
ports: [{ port: 80 }]
`;
    const { status } = compileYaml(`${YAML}${endpoints}`);
    expect(planStatusWrites({ status, controllerName: OURS, observed: afterFirstWrite(), now: T1 }).writes).toEqual([]);
  });

  test('a generation bump: observedGeneration moves on everywhere, lastTransitionTime stays (status did not change)', () => {
    const observed = withGeneration(afterFirstWrite(), 2);
    const { status } = compileYaml(YAML);
    const { writes } = planStatusWrites({ status, controllerName: OURS, observed, now: T1 });
    expect(writes.map((write) => write.kind)).toEqual(['GatewayClass', 'Gateway', 'HTTPRoute']);
    const conditions = ourConditions(observed, YAML, T1)!;
    expect(conditions.map((c) => [c.type, c.observedGeneration, c.lastTransitionTime])).toEqual([
      ['Accepted', 2, T0_TEXT],
      ['ResolvedRefs', 2, T0_TEXT],
    ]);
    const gateway = writes[1]!;
    if (gateway.kind !== 'Gateway') throw new Error('the second write is the Gateway');
    expect(gateway.status.conditions.every((c) => c.observedGeneration === 2 && c.lastTransitionTime === T0_TEXT)).toBe(true);
  });
});

describe('lastTransitionTime changes only when status does', () => {
  test.each([
    {
      case: 'same status, same reason: kept',
      yaml: YAML,
      expected: [
        ['Accepted', 'True', 'Accepted', T0_TEXT],
        ['ResolvedRefs', 'True', 'ResolvedRefs', T0_TEXT],
      ],
    },
    {
      case: 'ResolvedRefs turns False (the Service is gone): its time moves, Accepted keeps its own',
      yaml: `${GATEWAY}${ROUTE}`,
      expected: [
        ['Accepted', 'True', 'Accepted', T0_TEXT],
        ['ResolvedRefs', 'False', 'BackendNotFound', T1_TEXT],
      ],
    },
    {
      case: 'Accepted turns False (the hostname leaves the listener): its time moves',
      yaml: `${GATEWAY}${service('web', 'apps')}${httpRoute('r', 'apps', '  parentRefs: [{ name: gw, namespace: infra, sectionName: web }]\n  hostnames: [a.example.org]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n')}`,
      expected: [
        ['Accepted', 'False', 'NoMatchingListenerHostname', T1_TEXT],
        ['ResolvedRefs', 'True', 'ResolvedRefs', T0_TEXT],
      ],
    },
  ])('$case', ({ yaml, expected }) => {
    // A generation bump makes the first case a write, so its conditions are there to read.
    const conditions = ourConditions(withGeneration(afterFirstWrite(), 2), yaml, T1)!;
    expect(conditions.map((c) => [c.type, c.status, c.reason, c.lastTransitionTime])).toEqual(expected);
  });
});

describe('conditions that are not ours, and stale objects', () => {
  test('another controller’s condition type stays in place; a Gateway API type we no longer report is dropped', () => {
    const observed = afterFirstWrite();
    const route = observed.httpRoutes[0]!;
    const entry = (route.status as HTTPRouteStatusDocument).parents[0] as RouteParentStatusDocument;
    const foreign = { type: 'special.io/SomeField', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'Special', message: 'not ours' };
    const stale = { type: 'PartiallyInvalid', status: 'True', observedGeneration: 1, lastTransitionTime: T0_TEXT, reason: 'UnsupportedValue', message: 'was' };
    const conditions = [entry.conditions[0]!, foreign, entry.conditions[1]!, stale];
    const edited = { ...observed, httpRoutes: [{ ...route, status: { parents: [{ ...entry, conditions }] } }] };
    expect(ourConditions(edited, YAML, T1)!.map((c) => c.type)).toEqual(['Accepted', 'special.io/SomeField', 'ResolvedRefs']);
  });

  test('a condition written for a newer generation than observed: the object is skipped, not written', () => {
    const observed = afterFirstWrite();
    const route = observed.httpRoutes[0]!;
    const entry = (route.status as HTTPRouteStatusDocument).parents[0] as RouteParentStatusDocument;
    const newer = { parents: [{ ...entry, conditions: entry.conditions.map((c) => ({ ...c, observedGeneration: 5 })) }] };
    const edited = { ...observed, httpRoutes: [{ ...route, metadata: { ...route.metadata, generation: 4 }, status: newer }] };
    const { status } = compileYaml(`${GATEWAY}${ROUTE}`);
    const plan = planStatusWrites({ status, controllerName: OURS, observed: edited, now: T1 });
    expect(plan.writes.filter((write) => write.kind === 'HTTPRoute')).toEqual([]);
    expect(plan.skipped).toEqual([{ kind: 'HTTPRoute', namespace: 'apps', name: 'r', reason: 'StaleGeneration' }]);
  });

  test('a GatewayClass whose controllerName is another controller’s is never written', () => {
    const { objects, status } = compileYaml(YAML.replace(`controllerName: ${OURS}`, 'controllerName: example.net/other'));
    const plan = planStatusWrites({ status, controllerName: OURS, observed: observe(objects), now: T0 });
    expect(plan.writes.map((write) => write.kind)).toEqual(['Gateway', 'HTTPRoute']);
    expect(plan.skipped).toEqual([{ kind: 'GatewayClass', namespace: undefined, name: 'switchyard', reason: 'OtherController' }]);
  });

  test('observed addresses stay when the caller gives none', () => {
    const observed = afterFirstWrite();
    const gateway = observed.gateways[0]!;
    const addresses = [{ type: 'IPAddress', value: '203.0.113.7' }];
    const edited = { ...observed, gateways: [{ ...gateway, status: { ...(gateway.status as object), addresses } }] };
    const { status } = compileYaml(YAML);
    expect(planStatusWrites({ status, controllerName: OURS, observed: edited, now: T1 }).writes).toEqual([]);
    const replaced = planStatusWrites({ status, controllerName: OURS, observed: edited, now: T1, addresses: () => [{ type: 'Hostname', value: 'lb.example.com' }] });
    expect(replaced.writes.map((write) => [write.kind, (write.status as { addresses?: unknown }).addresses])).toEqual([['Gateway', [{ type: 'Hostname', value: 'lb.example.com' }]]]);
  });
});

describe('GRPCRoutes', () => {
  const grpcRoute = (name: string, backend: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: ${name}, namespace: apps, creationTimestamp: "2026-01-03T00:00:00Z" }
spec:
  parentRefs: [{ name: gw, namespace: infra, sectionName: web }]
  hostnames: [${name}.example.com]
  rules: [{ matches: [{ method: { service: pkg.Greeter } }], backendRefs: [{ name: ${backend}, port: 80 }] }]
`;

  test('a GRPCRoute gets its parent entry as an HTTPRoute does, through its own status path; written back, no write again', () => {
    const yaml = `${YAML}${grpcRoute('g', 'web')}${grpcRoute('lost', 'missing')}`;
    const { objects, status } = compileYaml(yaml);
    const observed = observe(objects);
    const first = planStatusWrites({ status, controllerName: OURS, observed, now: T0 });
    expect(first.writes.map((write) => `${write.kind} ${write.namespace ?? ''}/${write.name}`)).toEqual([
      'GatewayClass /switchyard',
      'Gateway infra/gw',
      'HTTPRoute apps/r',
      'GRPCRoute apps/g',
      'GRPCRoute apps/lost',
    ]);
    const conditionsOf = (name: string) =>
      ((writeFor(first.writes, 'GRPCRoute', `apps/${name}`)?.status as HTTPRouteStatusDocument).parents[0] as RouteParentStatusDocument).conditions.map((c) => `${c.type}=${c.status}/${c.reason}`);
    expect(conditionsOf('g')).toEqual(['Accepted=True/Accepted', 'ResolvedRefs=True/ResolvedRefs']);
    expect(conditionsOf('lost')).toContain('ResolvedRefs=False/BackendNotFound');
    expect(planStatusWrites({ status, controllerName: OURS, observed: applyWrites(observed, first.writes), now: T1 }).writes).toEqual([]);
  });
});
