import { describe, expect, test } from 'vitest';
import { compile, explainGatewayRequest, loadManifests, type Condition, type GatewayRequest } from '@switchyard/core';
import { gatewayCompileOptions } from '@switchyard/test-utils';

function compileYaml(yaml: string, { checkServices = false } = {}) {
  const { objects, ingresses } = loadManifests(yaml);
  return compile({ ingresses, ...gatewayCompileOptions(objects, { checkServices }) });
}

const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: infra, creationTimestamp: "2026-01-01T00:00:00Z" }
spec:
  gatewayClassName: switchyard
  listeners:
    - { name: web, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }
    - { name: http-only, port: 81, protocol: HTTP, allowedRoutes: { kinds: [{ kind: HTTPRoute }] } }
`;

function route(kind: 'GRPCRoute' | 'HTTPRoute', name: string, spec: string, created = '2026-01-02T00:00:00Z', namespace = 'infra'): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: { name: ${name}, namespace: ${namespace}, creationTimestamp: "${created}" }
spec:
${spec}`;
}

const grpc = (path: string, headers: Record<string, string> = {}): GatewayRequest => ({ method: 'POST', headers: { 'content-type': 'application/grpc', ...headers }, query: '' });

/** The `namespace/name spec.rules[i]` a gRPC call to port 80 goes to, or undefined (no route). */
function winner(result: ReturnType<typeof compileYaml>, path: string, headers: Record<string, string> = {}, host = 'grpc.example.com', request = grpc(path, headers)): string | undefined {
  const match = result.table.gatewayPort(80)?.find(host, path, request);
  return match === undefined ? undefined : `${match.routeId} ${match.rule.field}`;
}

function conditionsOf(result: ReturnType<typeof compileYaml>, kind: 'grpcRoutes' | 'httpRoutes', id: string): Array<Pick<Condition, 'type' | 'status' | 'reason'>> {
  const status = result.table.gatewayStatus[kind].find((r) => r.route === id);
  return (status?.parents ?? []).flatMap((parent) => parent.conditions.map(({ type, status: s, reason }) => ({ type, status: s, reason })));
}

describe('GRPCRoute matching (the conformance tests GRPCExactMethodMatching, GRPCRouteHeaderMatching)', () => {
  test('exact service and method pick the rule; another method of the service is no route', () => {
    const result = compileYaml(
      GATEWAY +
        route(
          'GRPCRoute',
          'exact',
          `  parentRefs: [{ name: gw, sectionName: web }]
  rules:
    - { matches: [{ method: { service: echo.GrpcEcho, method: Echo } }], backendRefs: [{ name: v1, port: 8080 }] }
    - { matches: [{ method: { service: echo.GrpcEcho, method: EchoTwo } }], backendRefs: [{ name: v2, port: 8080 }] }
`,
        ),
    );
    expect(winner(result, '/echo.GrpcEcho/Echo')).toBe('infra/exact spec.rules[0]');
    expect(winner(result, '/echo.GrpcEcho/EchoTwo')).toBe('infra/exact spec.rules[1]');
    expect(winner(result, '/echo.GrpcEcho/EchoThree')).toBeUndefined();
    const rule = result.table.gatewayPort(80)!.find('a', '/echo.GrpcEcho/Echo', grpc(''))!.rule;
    expect(rule.grpc).toBe(true);
    expect(rule.origin.kind).toBe('GRPCRoute');
    expect(rule.direct?.backendKey).toBe('infra/v1:8080');
    expect(conditionsOf(result, 'grpcRoutes', 'infra/exact')).toEqual([
      { type: 'Accepted', status: 'True', reason: 'Accepted' },
      { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs' },
    ]);
  });

  test('header matches: more headers win, then rule order; no match is no route', () => {
    const result = compileYaml(
      GATEWAY +
        route(
          'GRPCRoute',
          'headers',
          `  parentRefs: [{ name: gw }]
  rules:
    - { matches: [{ headers: [{ name: version, value: one }] }], backendRefs: [{ name: v1, port: 8080 }] }
    - { matches: [{ headers: [{ name: version, value: two }] }], backendRefs: [{ name: v2, port: 8080 }] }
    - { matches: [{ headers: [{ name: version, value: two }, { name: color, value: orange }] }], backendRefs: [{ name: v1, port: 8080 }] }
    - { matches: [{ headers: [{ name: color, value: blue }] }, { headers: [{ name: color, value: green }] }], backendRefs: [{ name: v1, port: 8080 }] }
`,
        ),
    );
    const call = '/echo.GrpcEcho/Echo';
    expect(winner(result, call, { version: 'one' })).toBe('infra/headers spec.rules[0]');
    expect(winner(result, call, { version: 'two' })).toBe('infra/headers spec.rules[1]');
    expect(winner(result, call, { version: 'two', color: 'orange' })).toBe('infra/headers spec.rules[2]');
    expect(winner(result, call, { version: 'two', color: 'blue' })).toBe('infra/headers spec.rules[1]');
    expect(winner(result, call, { color: 'green' })).toBe('infra/headers spec.rules[3]');
    expect(winner(result, call, { color: 'orange' })).toBeUndefined();
  });

  test('precedence: service and method, then service, then method, then expressions, then any call', () => {
    const result = compileYaml(
      GATEWAY +
        route(
          'GRPCRoute',
          'kinds',
          `  parentRefs: [{ name: gw }]
  rules:
    - { matches: [{}], backendRefs: [{ name: any, port: 1 }] }
    - { matches: [{ method: { type: RegularExpression, service: "pkg\\\\..*", method: "Get.*" } }], backendRefs: [{ name: regex, port: 1 }] }
    - { matches: [{ method: { method: GetUser } }], backendRefs: [{ name: method, port: 1 }] }
    - { matches: [{ method: { service: pkg.Users } }], backendRefs: [{ name: service, port: 1 }] }
    - { matches: [{ method: { service: pkg.Users, method: GetUser } }], backendRefs: [{ name: exact, port: 1 }] }
`,
        ),
    );
    expect(winner(result, '/pkg.Users/GetUser')).toBe('infra/kinds spec.rules[4]');
    expect(winner(result, '/pkg.Users/DeleteUser')).toBe('infra/kinds spec.rules[3]');
    expect(winner(result, '/pkg.Other/GetUser')).toBe('infra/kinds spec.rules[2]');
    expect(winner(result, '/pkg.Other/GetGroup')).toBe('infra/kinds spec.rules[1]');
    expect(winner(result, '/other.Svc/Put')).toBe('infra/kinds spec.rules[0]');
    // Not gRPC calls: not a /service/method path, not POST, not application/grpc.
    expect(winner(result, '/pkg.Users/GetUser/extra')).toBeUndefined();
    expect(winner(result, '/pkg.Users')).toBeUndefined();
    expect(winner(result, '/pkg.Users/GetUser', {}, 'h', { method: 'GET', headers: { 'content-type': 'application/grpc' }, query: '' })).toBeUndefined();
    expect(winner(result, '/pkg.Users/GetUser', {}, 'h', { method: 'POST', headers: { 'content-type': 'application/json' }, query: '' })).toBeUndefined();
    expect(winner(result, '/pkg.Users/GetUser', {}, 'h', { method: 'POST', headers: { 'content-type': 'application/grpc-web' }, query: '' })).toBeUndefined();
    expect(winner(result, '/pkg.Users/GetUser', { 'content-type': 'application/grpc+proto' })).toBe('infra/kinds spec.rules[4]');
  });

  test('across routes: longer service, then longer method, then older route, then namespace/name', () => {
    const result = compileYaml(
      GATEWAY +
        route('GRPCRoute', 'young', '  parentRefs: [{ name: gw }]\n  rules: [{ matches: [{ method: { service: a.B } }], backendRefs: [{ name: s, port: 1 }] }]\n', '2026-03-01T00:00:00Z') +
        route('GRPCRoute', 'old', '  parentRefs: [{ name: gw }]\n  rules: [{ matches: [{ method: { service: a.B } }], backendRefs: [{ name: s, port: 1 }] }]\n', '2026-02-01T00:00:00Z') +
        route('GRPCRoute', 'more-headers', '  parentRefs: [{ name: gw }]\n  rules: [{ matches: [{ method: { service: a.B }, headers: [{ name: x, value: "1" }] }], backendRefs: [{ name: s, port: 1 }] }]\n', '2026-04-01T00:00:00Z') +
        route('GRPCRoute', 'regex-long', '  parentRefs: [{ name: gw }]\n  rules: [{ matches: [{ method: { type: RegularExpression, service: "a\\\\.BB*" } }], backendRefs: [{ name: s, port: 1 }] }]\n') +
        route('GRPCRoute', 'regex', '  parentRefs: [{ name: gw }]\n  rules: [{ matches: [{ method: { type: RegularExpression, service: "a\\\\..*" } }], backendRefs: [{ name: s, port: 1 }] }]\n'),
    );
    expect(winner(result, '/a.B/M')).toBe('infra/old spec.rules[0]');
    expect(winner(result, '/a.B/M', { x: '1' })).toBe('infra/more-headers spec.rules[0]');
    // Expressions: the longer source first (an implementation-specific choice, documented).
    expect(winner(result, '/a.BB/M')).toBe('infra/regex-long spec.rules[0]');
    expect(winner(result, '/a.C/M')).toBe('infra/regex spec.rules[0]');
  });

  test('a refused expression leaves its rule out: Accepted False UnsupportedValue when it was the only rule', () => {
    const result = compileYaml(GATEWAY + route('GRPCRoute', 'backref', '  parentRefs: [{ name: gw }]\n  rules: [{ matches: [{ method: { type: RegularExpression, service: "(a)\\\\1" } }], backendRefs: [{ name: s, port: 1 }] }]\n'));
    expect(conditionsOf(result, 'grpcRoutes', 'infra/backref')[0]).toEqual({ type: 'Accepted', status: 'False', reason: 'UnsupportedValue' });
    expect(result.diagnostics.map((d) => d.code)).toContain('SWY_GRPCROUTE_RULE_UNSUPPORTED');
  });
});

describe('GRPCRoute attachment and status', () => {
  test('listener hostnames (GRPCRouteListenerHostnameMatching): listener isolation, wildcards of several labels', () => {
    const gateway = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: infra }
spec:
  gatewayClassName: switchyard
  listeners:
    - { name: listener-1, port: 80, protocol: HTTP, hostname: bar.com }
    - { name: listener-2, port: 80, protocol: HTTP, hostname: foo.bar.com }
    - { name: listener-3, port: 80, protocol: HTTP, hostname: "*.bar.com" }
    - { name: listener-4, port: 80, protocol: HTTP, hostname: "*.foo.com" }
`;
    const result = compileYaml(
      gateway +
        route('GRPCRoute', 'v1', '  parentRefs: [{ name: gw, sectionName: listener-1 }]\n  rules: [{ backendRefs: [{ name: v1, port: 8080 }] }]\n') +
        route('GRPCRoute', 'v2', '  parentRefs: [{ name: gw, sectionName: listener-2 }]\n  rules: [{ backendRefs: [{ name: v2, port: 8080 }] }]\n') +
        route('GRPCRoute', 'v3', '  parentRefs: [{ name: gw, sectionName: listener-3 }, { name: gw, sectionName: listener-4 }]\n  rules: [{ backendRefs: [{ name: v3, port: 8080 }] }]\n'),
    );
    const call = '/echo.GrpcEcho/Echo';
    expect(winner(result, call, {}, 'bar.com')).toBe('infra/v1 spec.rules[0]');
    expect(winner(result, call, {}, 'foo.bar.com')).toBe('infra/v2 spec.rules[0]');
    for (const host of ['baz.bar.com', 'multiple.prefixes.bar.com', 'multiple.prefixes.foo.com']) expect(winner(result, call, {}, host)).toBe('infra/v3 spec.rules[0]');
    expect(winner(result, call, {}, 'foo.com')).toBeUndefined();
    expect(winner(result, call, {}, 'no.matching.host')).toBeUndefined();
    const listeners = result.table.gatewayStatus.gateways[0]!.listeners;
    expect(listeners.map((l) => l.attachedRoutes)).toEqual([1, 1, 1, 1]);
    expect(listeners[0]!.supportedKinds.map((k) => k.kind)).toEqual(['HTTPRoute', 'GRPCRoute']);
  });

  test('allowedRoutes.kinds without GRPCRoute refuses it: NotAllowedByListeners', () => {
    const result = compileYaml(GATEWAY + route('GRPCRoute', 'g', '  parentRefs: [{ name: gw, sectionName: http-only }]\n  rules: [{ backendRefs: [{ name: s, port: 1 }] }]\n'));
    expect(conditionsOf(result, 'grpcRoutes', 'infra/g')[0]).toEqual({ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners' });
    expect(result.diagnostics.find((d) => d.code === 'SWY_GRPCROUTE_NOT_ACCEPTED')?.field).toBe('spec.parentRefs[0]');
  });

  test('an HTTPRoute and a GRPCRoute with intersecting hostnames on one listener: the older is accepted', () => {
    const result = compileYaml(
      GATEWAY +
        route('HTTPRoute', 'web', '  parentRefs: [{ name: gw, sectionName: web }]\n  hostnames: ["*.example.com"]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n', '2026-02-01T00:00:00Z') +
        route('GRPCRoute', 'newer', '  parentRefs: [{ name: gw, sectionName: web }]\n  hostnames: [grpc.example.com]\n  rules: [{ backendRefs: [{ name: g, port: 1 }] }]\n', '2026-03-01T00:00:00Z') +
        route('GRPCRoute', 'older', '  parentRefs: [{ name: gw, sectionName: web }]\n  hostnames: [api.other.com]\n  rules: [{ backendRefs: [{ name: g, port: 1 }] }]\n', '2026-01-15T00:00:00Z') +
        route('HTTPRoute', 'late', '  parentRefs: [{ name: gw, sectionName: web }]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n', '2026-04-01T00:00:00Z') +
        route('GRPCRoute', 'apart', '  parentRefs: [{ name: gw, sectionName: web }]\n  hostnames: [grpc.example.org]\n  rules: [{ backendRefs: [{ name: g, port: 1 }] }]\n', '2026-05-01T00:00:00Z'),
    );
    expect(conditionsOf(result, 'httpRoutes', 'infra/web')[0]).toEqual({ type: 'Accepted', status: 'True', reason: 'Accepted' });
    expect(conditionsOf(result, 'grpcRoutes', 'infra/newer')[0]).toEqual({ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners' });
    expect(conditionsOf(result, 'grpcRoutes', 'infra/older')[0]).toEqual({ type: 'Accepted', status: 'True', reason: 'Accepted' });
    // `late` has no hostnames (any host): it intersects `older`, which is older.
    expect(conditionsOf(result, 'httpRoutes', 'infra/late')[0]).toEqual({ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners' });
    expect(conditionsOf(result, 'grpcRoutes', 'infra/apart')[0]).toEqual({ type: 'Accepted', status: 'True', reason: 'Accepted' });
    expect(result.diagnostics.filter((d) => d.code === 'SWY_GRPCROUTE_NOT_ACCEPTED').map((d) => d.object)).toEqual(['infra/newer']);
    expect(result.diagnostics.filter((d) => d.code === 'SWY_HTTPROUTE_NOT_ACCEPTED').map((d) => d.object)).toEqual(['infra/late']);
    // The hostname is the HTTPRoute's: a gRPC call there is routed by it, as any request.
    expect(winner(result, '/a.B/C', {}, 'grpc.example.com')).toBe('infra/web spec.rules[0]');
    expect(winner(result, '/a.B/C', {}, 'grpc.example.org')).toBe('infra/apart spec.rules[0]');
  });

  test('backendRefs: weights, BackendNotFound, RefNotPermitted without a ReferenceGrant from GRPCRoute', () => {
    const yaml =
      GATEWAY +
      `---
apiVersion: v1
kind: Service
metadata: { name: ok, namespace: infra }
spec: { ports: [{ port: 50051 }] }
---
apiVersion: v1
kind: Service
metadata: { name: there, namespace: other }
spec: { ports: [{ port: 50051 }] }
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: http-only, namespace: other }
spec: { from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra }], to: [{ group: "", kind: Service }] }
` +
      route('GRPCRoute', 'weighted', '  parentRefs: [{ name: gw }]\n  rules: [{ backendRefs: [{ name: ok, port: 50051, weight: 3 }, { name: missing, port: 50051, weight: 1 }] }]\n') +
      route('GRPCRoute', 'cross', '  parentRefs: [{ name: gw }]\n  hostnames: [x.example.com]\n  rules: [{ backendRefs: [{ name: there, namespace: other, port: 50051 }] }]\n');
    const result = compileYaml(yaml, { checkServices: true });
    expect(conditionsOf(result, 'grpcRoutes', 'infra/weighted')[1]).toEqual({ type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound' });
    expect(conditionsOf(result, 'grpcRoutes', 'infra/cross')[1]).toEqual({ type: 'ResolvedRefs', status: 'False', reason: 'RefNotPermitted' });
    const rule = result.table.gatewayPort(80)!.find('a.example.com', '/a.B/C', grpc(''))!.rule;
    expect(rule.totalWeight).toBe(4);
    expect(rule.backends.map((b) => [b.weight, b.problem?.reason ?? null])).toEqual([
      [3, null],
      [1, 'BackendNotFound'],
    ]);
    expect(result.diagnostics.filter((d) => d.code === 'SWY_GRPCROUTE_BACKEND_UNRESOLVED').map((d) => d.field)).toEqual(['spec.rules[0].backendRefs[1]', 'spec.rules[0].backendRefs[0]']);
  });

  test('header modifier filters compile; an ExtensionRef makes the rule fail rather than skip it (PartiallyInvalid)', () => {
    const result = compileYaml(
      GATEWAY +
        route(
          'GRPCRoute',
          'filters',
          `  parentRefs: [{ name: gw }]
  rules:
    - matches: [{ method: { service: a.B } }]
      filters:
        - { type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: X-Env, value: prod }], remove: [x-debug] } }
        - { type: ResponseHeaderModifier, responseHeaderModifier: { add: [{ name: x-served-by, value: sy }] } }
      backendRefs: [{ name: s, port: 1 }]
    - matches: [{ method: { service: c.D } }]
      filters: [{ type: ExtensionRef, extensionRef: { group: example.com, kind: Auth, name: a } }]
      backendRefs: [{ name: s, port: 1 }]
`,
        ),
    );
    const first = result.table.gatewayPort(80)!.find('h', '/a.B/C', grpc(''))!.rule;
    expect(first.filters.requestHeaders?.set).toEqual([['x-env', 'prod']]);
    expect(first.filters.requestHeaders?.remove).toEqual(['x-debug']);
    expect(first.filters.responseHeaders?.add).toEqual([['x-served-by', 'sy']]);
    const second = result.table.gatewayPort(80)!.find('h', '/c.D/E', grpc(''))!.rule;
    expect(second.failure).toMatch(/ExtensionRef/);
    expect(conditionsOf(result, 'grpcRoutes', 'infra/filters')).toContainEqual({ type: 'PartiallyInvalid', status: 'True', reason: 'UnsupportedValue' });
  });

  test('explain tells a gRPC call: candidates in precedence order, the reason a non-gRPC request misses', () => {
    const result = compileYaml(
      GATEWAY +
        route('GRPCRoute', 'g', '  parentRefs: [{ name: gw }]\n  rules:\n    - { matches: [{ method: { service: a.B } }], backendRefs: [{ name: s, port: 1 }] }\n    - { matches: [{ method: { service: a.B, method: C } }], backendRefs: [{ name: t, port: 1 }] }\n'),
    );
    const explained = explainGatewayRequest(result.table, { port: 80, host: 'h', path: '/a.B/C', method: 'POST', headers: { 'content-type': 'application/grpc' } });
    expect(explained.candidates.map((c) => [c.field, c.outcome, c.kind])).toEqual([
      ['spec.rules[1].matches[0]', 'won', 'GRPCRoute'],
      ['spec.rules[0].matches[0]', 'lost', 'GRPCRoute'],
    ]);
    expect(explained.candidates[0]!.grpc).toEqual({ type: 'Exact', service: 'a.B', method: 'C' });
    expect(explained.winner?.field).toBe('spec.rules[1].matches[0]');
    const plain = explainGatewayRequest(result.table, { port: 80, host: 'h', path: '/a.B/C', method: 'POST' });
    expect(plain.winner).toBeNull();
    expect(plain.candidates[0]!.failed).toEqual({ field: 'header', name: 'content-type' });
  });
});
