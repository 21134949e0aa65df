import { describe, expect, test } from 'vitest';
import { validateGatewayApiObjects } from '../../src/gateway-api/validate-gateway-api-objects.js';
import { withGRPCRouteDefaults } from '../../src/gateway-api/crd-defaults.js';
import type { GRPCRoute } from '@switchyard/core';
import { V1 } from './builders.js';

function grpcRoute(spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: V1,
    kind: 'GRPCRoute',
    metadata: { name: 'subject', namespace: 'web' },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ method: { service: 'pkg.v1.Greeter', method: 'Hello' } }], backendRefs: [{ name: 'svc', port: 50051 }] }], ...spec },
  };
}

function grpcMatch(match: unknown): Record<string, unknown> {
  return grpcRoute({ rules: [{ matches: [match], backendRefs: [{ name: 'svc', port: 50051 }] }] });
}

function problems(route: unknown): Array<{ code: string; field: string | undefined }> {
  const result = validateGatewayApiObjects({ grpcRoutes: [route] });
  return result.diagnostics.map(({ code, field }) => ({ code, field }));
}

describe('GRPCRoute validation (the CRD schema and CEL rules)', () => {
  test('a valid route has no problem and is kept', () => {
    expect(problems(grpcRoute())).toEqual([]);
    expect(validateGatewayApiObjects({ grpcRoutes: [grpcRoute()] }).grpcRoutes).toHaveLength(1);
  });

  test('rules are optional (unlike HTTPRoute)', () => {
    expect(problems(grpcRoute({ rules: undefined }))).toEqual([]);
  });

  test.each([
    ['a type without service or method', { type: 'Exact' }, 'spec.rules[0].matches[0].method'],
    ['an unknown type', { type: 'Prefix', service: 'a.B' }, 'spec.rules[0].matches[0].method.type'],
    ['an Exact service with a slash', { service: 'pkg/Greeter' }, 'spec.rules[0].matches[0].method.service'],
    ['an Exact service starting with a digit', { service: '1pkg.Greeter' }, 'spec.rules[0].matches[0].method.service'],
    ['an Exact method with a dot', { service: 'a.B', method: 'Say.Hello' }, 'spec.rules[0].matches[0].method.method'],
    ['a service over 1024 characters', { type: 'RegularExpression', service: 'a'.repeat(1025) }, 'spec.rules[0].matches[0].method.service'],
  ])('%s is SWY_GRPCROUTE_MATCH_INVALID', (_, method, field) => {
    expect(problems(grpcMatch({ method }))).toEqual([{ code: 'SWY_GRPCROUTE_MATCH_INVALID', field }]);
  });

  test('RegularExpression values are not held to the Exact character rules', () => {
    expect(problems(grpcMatch({ method: { type: 'RegularExpression', service: 'pkg\\..*', method: 'Get.*' } }))).toEqual([]);
  });

  test('an Exact service may start with a dot and use upper case (the CRD rule is case-insensitive)', () => {
    expect(problems(grpcMatch({ method: { service: '.Pkg.V1.Greeter' } }))).toEqual([]);
  });

  test('header names are unique within a match, values non-empty', () => {
    expect(problems(grpcMatch({ headers: [{ name: 'v', value: '1' }, { name: 'v', value: '2' }] }))).toEqual([{ code: 'SWY_GRPCROUTE_MATCH_INVALID', field: 'spec.rules[0].matches[0].headers[1]' }]);
    expect(problems(grpcMatch({ headers: [{ name: 'v', value: '' }] }))).toEqual([{ code: 'SWY_GRPCROUTE_MATCH_INVALID', field: 'spec.rules[0].matches[0].headers[0].value' }]);
  });

  test.each([
    ['RequestRedirect', { type: 'RequestRedirect', requestRedirect: { statusCode: 301 } }, 'spec.rules[0].filters[0].type'],
    ['URLRewrite', { type: 'URLRewrite', urlRewrite: { hostname: 'x.example.com' } }, 'spec.rules[0].filters[0].type'],
  ])('filter %s is not a GRPCRoute filter type', (_, filter, field) => {
    const found = problems(grpcRoute({ rules: [{ filters: [filter], backendRefs: [{ name: 'svc', port: 50051 }] }] }));
    expect(found).toContainEqual({ code: 'SWY_GRPCROUTE_FILTER_INVALID', field });
  });

  test('a header modifier cannot be repeated', () => {
    const modifier = { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x', value: '1' }] } };
    expect(problems(grpcRoute({ rules: [{ filters: [modifier, modifier], backendRefs: [{ name: 'svc', port: 50051 }] }] }))).toEqual([{ code: 'SWY_GRPCROUTE_FILTER_INVALID', field: 'spec.rules[0].filters[1]' }]);
  });

  test('a Service backendRef needs a port; weights stay in range', () => {
    expect(problems(grpcRoute({ rules: [{ backendRefs: [{ name: 'svc' }] }] }))).toEqual([{ code: 'SWY_GRPCROUTE_BACKEND_REF_INVALID', field: 'spec.rules[0].backendRefs[0].port' }]);
    expect(problems(grpcRoute({ rules: [{ backendRefs: [{ name: 'svc', port: 1, weight: -1 }] }] }))).toEqual([{ code: 'SWY_GRPCROUTE_BACKEND_REF_INVALID', field: 'spec.rules[0].backendRefs[0].weight' }]);
  });

  test('parentRefs, hostnames and the 128-match limit', () => {
    expect(problems(grpcRoute({ parentRefs: [{ name: 'gw' }, { name: 'gw' }] }))[0]?.code).toBe('SWY_GRPCROUTE_PARENT_REF_INVALID');
    expect(problems(grpcRoute({ hostnames: ['Grpc.example.com'] }))).toEqual([{ code: 'SWY_GRPCROUTE_HOSTNAME_INVALID', field: 'spec.hostnames[0]' }]);
    const rules = Array.from({ length: 3 }, () => ({ matches: Array.from({ length: 64 }, () => ({ method: { service: 'a.B' } })) }));
    expect(problems(grpcRoute({ rules }))).toEqual([{ code: 'SWY_GRPCROUTE_MATCH_INVALID', field: 'spec.rules' }]);
  });

  test('the kind is checked', () => {
    expect(problems({ ...grpcRoute(), kind: 'HTTPRoute' })).toEqual([{ code: 'SWY_GATEWAY_API_VERSION_UNSUPPORTED', field: 'kind' }]);
  });
});

describe('GRPCRoute CRD defaults', () => {
  test('method and header match types Exact, parentRef and backendRef group/kind, weight 1; nothing else added', () => {
    const route = grpcRoute({
      rules: [
        {
          matches: [{ method: { service: 'a.B' }, headers: [{ name: 'v', value: '1' }] }, { headers: [{ name: 'w', value: '2' }] }],
          filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'copy', port: 1 } } }],
          backendRefs: [{ name: 'svc', port: 50051 }],
        },
        {},
      ],
    }) as unknown as GRPCRoute;
    const defaulted = withGRPCRouteDefaults(route);
    expect(defaulted.spec!.parentRefs).toEqual([{ name: 'gw', group: 'gateway.networking.k8s.io', kind: 'Gateway' }]);
    const [first, second] = defaulted.spec!.rules!;
    expect(first!.matches).toEqual([{ method: { service: 'a.B', type: 'Exact' }, headers: [{ name: 'v', value: '1', type: 'Exact' }] }, { headers: [{ name: 'w', value: '2', type: 'Exact' }] }]);
    expect(first!.backendRefs).toEqual([{ name: 'svc', port: 50051, group: '', kind: 'Service', weight: 1 }]);
    expect(first!.filters![0]!.requestMirror!.backendRef).toEqual({ name: 'copy', port: 1, group: '', kind: 'Service' });
    expect(second).toEqual({});
    expect(withGRPCRouteDefaults(defaulted)).toEqual(defaulted);
    expect(route.spec!.rules![0]!.backendRefs![0]).toEqual({ name: 'svc', port: 50051 });
  });
});
