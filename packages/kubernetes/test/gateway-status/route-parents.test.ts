import { describe, expect, test } from 'vitest';
import { MAX_ROUTE_PARENTS, httpRouteStatusDocument, planStatusWrites, type HTTPRouteStatusDocument } from '@switchyard/kubernetes';
import { GATEWAY, OTHER, OURS, T0, T0_TEXT, T1, compileYaml, httpRoute, observe, service, writeFor } from './status-fixtures.js';

const GW_WEB = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'gw', sectionName: 'web' };
const GW_ANY = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'gw', sectionName: 'any' };
const ACCEPTED_AT_T0 = [
  { type: 'Accepted', status: 'True', observedGeneration: 1, lastTransitionTime: T0_TEXT, reason: 'Accepted', message: 'the route is attached' },
  { type: 'ResolvedRefs', status: 'True', observedGeneration: 1, lastTransitionTime: T0_TEXT, reason: 'ResolvedRefs', message: 'every reference resolved' },
];

function otherEntry(name: string) {
  return {
    parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name },
    controllerName: OTHER,
    conditions: [{ type: 'Accepted', status: 'True', lastTransitionTime: '2025-12-01T00:00:00Z', reason: 'Accepted', message: 'theirs' }],
  };
}

function routeYaml(parentRefs: string): string {
  return `${GATEWAY}${service('web', 'apps')}${httpRoute('r', 'apps', `  parentRefs: ${parentRefs}\n  hostnames: [a.example.com]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n`)}`;
}

/** Plans with the route `apps/r` observed with `parents`, and gives the route's new parents (undefined: no write). */
function newParents(yaml: string, parents: readonly unknown[], now = T1) {
  const { objects, status } = compileYaml(yaml);
  const observed = observe(objects, { status: { 'apps/r': { parents } } });
  const plan = planStatusWrites({ status, controllerName: OURS, observed, now });
  return { parents: (writeFor(plan.writes, 'HTTPRoute', 'apps/r')?.status as HTTPRouteStatusDocument | undefined)?.parents, plan };
}

describe('status.parents is namespaced by parentRef and controllerName', () => {
  test.each([
    {
      case: 'other controllers’ entries stay untouched and in place; ours is updated where it was',
      parentRefs: '[{ name: gw, namespace: infra, sectionName: web }]',
      observed: [otherEntry('a'), { parentRef: GW_WEB, controllerName: OURS, conditions: [{ ...ACCEPTED_AT_T0[0]!, status: 'False', reason: 'NotAllowedByListeners' }] }, otherEntry('b')],
      expected: [otherEntry('a'), { parentRef: GW_WEB, controllerName: OURS, conditions: 'new' }, otherEntry('b')],
    },
    {
      case: 'a new parentRef of ours is appended after the entries there were',
      parentRefs: '[{ name: gw, namespace: infra, sectionName: web }, { name: gw, namespace: infra, sectionName: any }]',
      observed: [{ parentRef: GW_WEB, controllerName: OURS, conditions: ACCEPTED_AT_T0 }, otherEntry('a')],
      expected: [{ parentRef: GW_WEB, controllerName: OURS, conditions: ACCEPTED_AT_T0 }, otherEntry('a'), { parentRef: GW_ANY, controllerName: OURS, conditions: 'new' }],
    },
    {
      case: 'our entry for a parent the route no longer names is removed; theirs for it is not',
      parentRefs: '[{ name: gw, namespace: infra, sectionName: any }]',
      observed: [{ parentRef: GW_WEB, controllerName: OURS, conditions: ACCEPTED_AT_T0 }, { ...otherEntry('gw'), parentRef: GW_WEB }],
      expected: [{ ...otherEntry('gw'), parentRef: GW_WEB }, { parentRef: GW_ANY, controllerName: OURS, conditions: 'new' }],
    },
    {
      case: 'a route that left every Gateway we serve loses our entries, keeps theirs',
      parentRefs: '[{ name: not-ours, namespace: infra }]',
      observed: [{ parentRef: GW_WEB, controllerName: OURS, conditions: ACCEPTED_AT_T0 }, otherEntry('not-ours')],
      expected: [otherEntry('not-ours')],
    },
    {
      case: 'an entry of ours written without the defaults still is the entry of that parentRef',
      parentRefs: '[{ name: gw, namespace: infra, sectionName: web }]',
      observed: [{ parentRef: { name: 'gw', namespace: 'infra', sectionName: 'web' }, controllerName: OURS, conditions: ACCEPTED_AT_T0 }],
      expected: [{ parentRef: GW_WEB, controllerName: OURS, conditions: ACCEPTED_AT_T0 }],
    },
  ])('$case', ({ parentRefs, observed, expected }) => {
    const { parents } = newParents(routeYaml(parentRefs), observed);
    const fresh = ACCEPTED_AT_T0.map((condition) => ({ ...condition, lastTransitionTime: '2026-03-01T11:30:00Z' }));
    expect(parents).toEqual(expected.map((entry) => (entry.conditions === 'new' ? { ...entry, conditions: fresh } : entry)));
  });

  test('a route that is not ours and never was is never written', () => {
    const { plan } = newParents(routeYaml('[{ name: not-ours, namespace: infra }]'), [otherEntry('not-ours')]);
    expect(plan.writes.filter((write) => write.kind === 'HTTPRoute')).toEqual([]);
  });

  test(`at most ${MAX_ROUTE_PARENTS} entries: theirs are kept, ours for the later parentRefs are left out and reported`, () => {
    const theirs = Array.from({ length: MAX_ROUTE_PARENTS - 1 }, (_, i) => otherEntry(`other-${i}`));
    const { parents, plan } = newParents(routeYaml('[{ name: gw, namespace: infra, sectionName: web }, { name: gw, namespace: infra, sectionName: any }]'), theirs);
    expect(parents).toHaveLength(MAX_ROUTE_PARENTS);
    expect(parents!.slice(0, -1)).toEqual(theirs);
    expect(parents!.at(-1)).toMatchObject({ parentRef: GW_WEB, controllerName: OURS });
    expect(plan.omittedParents).toEqual([{ route: 'apps/r', parentRefs: [GW_ANY] }]);
  });

  test('the document alone: no status served and no entry of ours gives the observed parents back', () => {
    const observed = { metadata: { name: 'r', namespace: 'apps', generation: 1 }, status: { parents: [otherEntry('a')] } };
    expect(httpRouteStatusDocument(undefined, observed, { controllerName: OURS, now: T0 })).toEqual({ status: { parents: [otherEntry('a')] }, omittedParents: [] });
  });
});
