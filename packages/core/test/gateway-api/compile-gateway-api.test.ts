import { describe, expect, test } from 'vitest';
import { backendKey, compile, loadManifests, type Condition } from '@switchyard/core';
import { gatewayCompileOptions } from '@switchyard/test-utils';

/** Compiles multi-document YAML (Gateways of class `switchyard`, HTTPRoutes, ...); backendRefs checked against its Services unless `checkServices` is false. */
function compileYaml(yaml: string, { checkServices = true } = {}) {
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
    - { name: web, port: 80, protocol: HTTP, hostname: "*.example.com" }
    - { name: all, port: 8080, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }
    - { name: team, port: 8081, protocol: HTTP, allowedRoutes: { namespaces: { from: Selector, selector: { matchLabels: { team: blue } } } } }
    - { name: tcp, port: 9000, protocol: TCP }
`;

function httpRoute(name: string, namespace: string, spec: string): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name}, namespace: ${namespace}, creationTimestamp: "2026-01-02T00:00:00Z" }
spec:
${spec}`;
}

function conditionsOf(result: ReturnType<typeof compileYaml>, route: string): Array<Pick<Condition, 'type' | 'status' | 'reason'>> {
  const status = result.table.gatewayStatus.httpRoutes.find((r) => r.route === route);
  return (status?.parents ?? []).flatMap((parent) => parent.conditions.map(({ type, status: s, reason }) => ({ type, status: s, reason })));
}

describe('attachment and its conditions', () => {
  test('Accepted, or NotAllowedByListeners, NoMatchingListenerHostname, NoMatchingParent with the reason', () => {
    const result = compileYaml(
      `${GATEWAY}${httpRoute('same', 'infra', '  parentRefs: [{ name: gw, sectionName: web }]\n  hostnames: [a.example.com]\n  rules: [{ backendRefs: [{ name: svc, port: 80 }] }]\n')}` +
        httpRoute('other-ns', 'apps', '  parentRefs: [{ name: gw, namespace: infra, sectionName: web }]\n  rules: [{ backendRefs: [{ name: svc, port: 80 }] }]\n') +
        httpRoute('wrong-host', 'infra', '  parentRefs: [{ name: gw, sectionName: web }]\n  hostnames: [a.example.org]\n  rules: [{ backendRefs: [{ name: svc, port: 80 }] }]\n') +
        httpRoute('no-section', 'infra', '  parentRefs: [{ name: gw, sectionName: nope }]\n  rules: [{ backendRefs: [{ name: svc, port: 80 }] }]\n'),
    );
    expect(conditionsOf(result, 'infra/same')[0]).toEqual({ type: 'Accepted', status: 'True', reason: 'Accepted' });
    expect(conditionsOf(result, 'apps/other-ns')[0]).toEqual({ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners' });
    expect(conditionsOf(result, 'infra/wrong-host')[0]).toEqual({ type: 'Accepted', status: 'False', reason: 'NoMatchingListenerHostname' });
    expect(conditionsOf(result, 'infra/no-section')[0]).toEqual({ type: 'Accepted', status: 'False', reason: 'NoMatchingParent' });
    expect(result.diagnostics.filter((d) => d.code === 'SWY_HTTPROUTE_NOT_ACCEPTED').map((d) => d.object).sort()).toEqual(['apps/other-ns', 'infra/no-section', 'infra/wrong-host']);
  });

  test('allowedRoutes Selector reads Namespace labels (and every namespace has its kubernetes.io/metadata.name label)', () => {
    const namespaces = `---
apiVersion: v1
kind: Namespace
metadata: { name: blue-team, labels: { team: blue } }
---
apiVersion: v1
kind: Namespace
metadata: { name: red-team, labels: { team: red } }
`;
    const result = compileYaml(
      `${GATEWAY}${namespaces}${httpRoute('b', 'blue-team', '  parentRefs: [{ name: gw, namespace: infra, sectionName: team }]\n  rules: [{ backendRefs: [{ name: svc, port: 80 }] }]\n')}` +
        httpRoute('r', 'red-team', '  parentRefs: [{ name: gw, namespace: infra, sectionName: team }]\n  rules: [{ backendRefs: [{ name: svc, port: 80 }] }]\n'),
    );
    expect(conditionsOf(result, 'blue-team/b')[0]?.status).toBe('True');
    expect(conditionsOf(result, 'red-team/r')[0]?.reason).toBe('NotAllowedByListeners');
    const listener = result.table.gatewayStatus.gateways[0]!.listeners.find((l) => l.name === 'team')!;
    expect(listener.attachedRoutes).toBe(1);
  });

  test('a TCP listener is not served: Accepted False, UnsupportedProtocol; the Gateway lists it as not valid', () => {
    const result = compileYaml(GATEWAY);
    const gateway = result.table.gatewayStatus.gateways[0]!;
    const tcp = gateway.listeners.find((l) => l.name === 'tcp')!;
    expect(tcp.conditions.find((c) => c.type === 'Accepted')).toMatchObject({ status: 'False', reason: 'UnsupportedProtocol' });
    expect(gateway.conditions.find((c) => c.type === 'Accepted')).toMatchObject({ status: 'True', reason: 'ListenersNotValid' });
    expect(result.table.gatewayPorts()).toEqual([80, 8080, 8081]);
  });
});

describe('backendRefs', () => {
  const services = `---
apiVersion: v1
kind: Service
metadata: { name: svc, namespace: infra }
spec: { ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: theirs, namespace: apps }
spec: { ports: [{ port: 80 }] }
`;
  test('BackendNotFound, RefNotPermitted and InvalidKind: ResolvedRefs False, and the entry has no route', () => {
    const result = compileYaml(
      `${GATEWAY}${services}${httpRoute(
        'refs',
        'infra',
        '  parentRefs: [{ name: gw, sectionName: all }]\n  rules:\n    - backendRefs:\n        - { name: svc, port: 80 }\n        - { name: missing, port: 80 }\n        - { name: theirs, namespace: apps, port: 80 }\n        - { group: example.com, kind: Bucket, name: b, port: 80 }\n',
      )}`,
    );
    const resolved = conditionsOf(result, 'infra/refs').find((c) => c.type === 'ResolvedRefs');
    expect(resolved).toEqual({ type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound' });
    const rule = result.table.gatewayPort(8080)!.find('x.test', '/', { method: 'GET', headers: {}, query: '' })!.rule;
    expect(rule.backends.map((b) => b.problem?.reason)).toEqual([undefined, 'BackendNotFound', 'RefNotPermitted', 'InvalidKind']);
    expect(rule.backends[0]!.route?.backendKey).toBe('infra/svc:80');
  });

  test('a ReferenceGrant in the target namespace permits the cross-namespace backendRef', () => {
    const grant = `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: let-infra, namespace: apps }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra }]
  to: [{ group: "", kind: Service }]
`;
    const result = compileYaml(`${GATEWAY}${services}${grant}${httpRoute('refs', 'infra', '  parentRefs: [{ name: gw, sectionName: all }]\n  rules: [{ backendRefs: [{ name: theirs, namespace: apps, port: 80 }] }]\n')}`);
    expect(conditionsOf(result, 'infra/refs').find((c) => c.type === 'ResolvedRefs')?.status).toBe('True');
  });

  test("the table's backends include HTTPRoute backendRefs and mirrors, for discovery", () => {
    const result = compileYaml(
      `${GATEWAY}${httpRoute('m', 'infra', '  parentRefs: [{ name: gw, sectionName: all }]\n  rules:\n    - filters: [{ type: RequestMirror, requestMirror: { backendRef: { name: copy, port: 9090 } } }]\n      backendRefs: [{ name: main, port: 80 }]\n')}`,
      { checkServices: false },
    );
    expect(result.table.backends().map(backendKey).sort()).toEqual(['infra/copy:9090', 'infra/main:80']);
  });
});

describe('RouteRule.direct: the route of a rule that only forwards', () => {
  /** The rule the request `GET x.test/` matches on port 8080, from one HTTPRoute rule written as YAML flow lines. */
  function ruleOf(rule: string) {
    const result = compileYaml(`${GATEWAY}${httpRoute('r', 'infra', `  parentRefs: [{ name: gw, sectionName: all }]\n  rules:\n${rule}`)}`, { checkServices: false });
    return result.table.gatewayPort(8080)!.find('x.test', '/', { method: 'GET', headers: {}, query: '' })!.rule;
  }

  test('one backendRef, no filter, no timeout: direct is its route', () => {
    const rule = ruleOf('    - backendRefs: [{ name: main, port: 80 }]\n');
    expect(rule.direct).toBe(rule.backends[0]!.route);
    expect(rule.direct?.backendKey).toBe('infra/main:80');
  });

  test('the other backendRefs have weight 0: direct is the one that takes traffic', () => {
    const rule = ruleOf('    - backendRefs: [{ name: off, port: 80, weight: 0 }, { name: main, port: 80, weight: 3 }]\n');
    expect(rule.direct?.backendKey).toBe('infra/main:80');
  });

  test.each([
    ['two backendRefs take traffic', '    - backendRefs: [{ name: a, port: 80 }, { name: b, port: 80 }]\n'],
    ['a rule filter', '    - filters: [{ type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: x-a, value: "1" }] } }]\n      backendRefs: [{ name: main, port: 80 }]\n'],
    ['a response filter', '    - filters: [{ type: ResponseHeaderModifier, responseHeaderModifier: { remove: [x-a] } }]\n      backendRefs: [{ name: main, port: 80 }]\n'],
    ['a rewrite', '    - filters: [{ type: URLRewrite, urlRewrite: { hostname: other.test } }]\n      backendRefs: [{ name: main, port: 80 }]\n'],
    ['a mirror', '    - filters: [{ type: RequestMirror, requestMirror: { backendRef: { name: copy, port: 80 } } }]\n      backendRefs: [{ name: main, port: 80 }]\n'],
    ['the backendRef\'s own filter', '    - backendRefs: [{ name: main, port: 80, filters: [{ type: RequestHeaderModifier, requestHeaderModifier: { add: [{ name: x-a, value: "1" }] } }] }]\n'],
    ['a request timeout', '    - timeouts: { request: 5s }\n      backendRefs: [{ name: main, port: 80 }]\n'],
    ['a backendRequest timeout', '    - timeouts: { request: 10s, backendRequest: 5s }\n      backendRefs: [{ name: main, port: 80 }]\n'],
    ['an unresolved backendRef', '    - backendRefs: [{ group: example.com, kind: Bucket, name: b, port: 80 }]\n'],
    ['a redirect', '    - filters: [{ type: RequestRedirect, requestRedirect: { hostname: other.test } }]\n'],
    ['every weight 0', '    - backendRefs: [{ name: main, port: 80, weight: 0 }]\n'],
  ])('%s: no direct route, the proxy reads the rule', (_, rule) => {
    expect(ruleOf(rule).direct).toBeUndefined();
  });
});

test('a host routed by an Ingress and an HTTPRoute is an info diagnostic naming both and the port', () => {
  const ingress = `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: old, namespace: infra }
spec:
  rules:
    - host: a.example.com
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: svc, port: { number: 80 } } } }] }
    - host: b.example.org
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: svc, port: { number: 80 } } } }] }
`;
  const result = compileYaml(`${GATEWAY}${ingress}${httpRoute('new', 'infra', '  parentRefs: [{ name: gw, sectionName: web }]\n  hostnames: ["*.example.com"]\n  rules: [{ backendRefs: [{ name: svc, port: 80 }] }]\n')}`, { checkServices: false });
  const shared = result.diagnostics.filter((d) => d.code === 'SWY_HOST_ROUTED_BY_BOTH');
  expect(shared).toHaveLength(1);
  expect(shared[0]).toMatchObject({ severity: 'info', object: 'infra/old', related: { object: 'infra/new' } });
  expect(shared[0]!.message).toMatch(/host a\.example\.com .* on Gateway port 80/);
});

test('listeners of two Gateways on one port: a second listener for the same hostname conflicts and does not serve', () => {
  const second = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw2, namespace: infra, creationTimestamp: "2026-02-01T00:00:00Z" }
spec:
  gatewayClassName: switchyard
  listeners:
    - { name: dup, port: 80, protocol: HTTP, hostname: "*.example.com" }
    - { name: tls-on-http-port, port: 8080, protocol: HTTPS, tls: { certificateRefs: [{ name: cert }] } }
`;
  const result = compileYaml(`${GATEWAY}${second}`);
  const gw2 = result.table.gatewayStatus.gateways.find((g) => g.gateway === 'infra/gw2')!;
  expect(gw2.listeners.find((l) => l.name === 'dup')!.conditions.find((c) => c.type === 'Conflicted')).toMatchObject({ status: 'True', reason: 'HostnameConflict' });
  // The HTTPS listener has no certificate (no Secret): it does not serve, and so cannot conflict either.
  expect(gw2.listeners.find((l) => l.name === 'tls-on-http-port')!.conditions.find((c) => c.type === 'ResolvedRefs')).toMatchObject({ status: 'False', reason: 'InvalidCertificateRef' });
  expect(result.table.gatewayPort(80)!.select('a.example.com')!.listener.gateway).toBe('infra/gw');
});

test('invalid objects are left out with the validator\'s diagnostics, and compile never throws', () => {
  const result = compileYaml(`${GATEWAY}${httpRoute('bad', 'infra', '  parentRefs: [{ name: gw }]\n  rules: [{ matches: [{ path: { type: PathPrefix, value: no-slash } }] }]\n')}`);
  expect(result.diagnostics.some((d) => d.object === 'infra/bad' && d.severity === 'error')).toBe(true);
  expect(result.table.gatewayStatus.httpRoutes.find((r) => r.route === 'infra/bad')).toBeUndefined();
});

describe('controllerName: the Gateways of our GatewayClasses', () => {
  const gatewayClass = (name: string, controllerName: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: ${name} }
spec: { controllerName: ${controllerName} }
`;
  const gateway = (name: string, className: string, port: number) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: infra }
spec:
  gatewayClassName: ${className}
  listeners: [{ name: web, port: ${port}, protocol: HTTP }]
`;
  const CLUSTER =
    gatewayClass('ours-a', 'example.com/switchyard') +
    gatewayClass('ours-b', 'example.com/switchyard') +
    gatewayClass('theirs', 'example.com/other') +
    gateway('a', 'ours-a', 80) +
    gateway('b', 'ours-b', 81) +
    gateway('other', 'theirs', 82) +
    gateway('orphan', 'no-such-class', 83) +
    httpRoute('to-other', 'infra', '  parentRefs: [{ name: other }]\n  rules: [{ backendRefs: [{ name: svc, port: 80 }] }]\n') +
    httpRoute('to-a', 'infra', '  parentRefs: [{ name: a }]\n  rules: [{ backendRefs: [{ name: svc, port: 80 }] }]\n');

  function compileCluster(options: { controllerName?: string; gatewayClass?: string }) {
    const { objects, ingresses } = loadManifests(CLUSTER);
    const { gatewayClass: _, ...rest } = gatewayCompileOptions(objects, { checkServices: false });
    return compile({ ingresses, ...rest, ...options });
  }
  const summary = (result: ReturnType<typeof compileCluster>) => ({
    ports: result.table.gatewayPorts(),
    classes: result.table.gatewayStatus.gatewayClasses.map((c) => c.name).sort(),
    gateways: result.table.gatewayStatus.gateways.map((g) => g.gateway).sort(),
    routes: result.table.gatewayStatus.httpRoutes.map((r) => r.route).sort(),
  });

  test('serves the Gateways of every class with our controllerName, and gives status to those classes only', () => {
    expect(summary(compileCluster({ controllerName: 'example.com/switchyard' }))).toEqual({
      ports: [80, 81],
      classes: ['ours-a', 'ours-b'],
      gateways: ['infra/a', 'infra/b'],
      routes: ['infra/to-a'],
    });
  });

  test('gatewayClass narrows to one of our classes; naming another controller\'s class serves nothing', () => {
    expect(summary(compileCluster({ controllerName: 'example.com/switchyard', gatewayClass: 'ours-b' }))).toEqual({ ports: [81], classes: ['ours-b'], gateways: ['infra/b'], routes: [] });
    expect(summary(compileCluster({ controllerName: 'example.com/switchyard', gatewayClass: 'theirs' }))).toEqual({ ports: [], classes: [], gateways: [], routes: [] });
  });

  test('a route whose only parent is another controller\'s Gateway gets no status from us', () => {
    const result = compileCluster({ controllerName: 'example.com/switchyard' });
    expect(result.table.gatewayStatus.httpRoutes.find((r) => r.route === 'infra/to-other')).toBeUndefined();
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'SWY_HTTPROUTE_PARENT_UNKNOWN', object: 'infra/to-other' }));
  });

  test('without controllerName nothing changes: gatewayClass whatever its controller, or every Gateway', () => {
    expect(summary(compileCluster({ gatewayClass: 'theirs' }))).toEqual({ ports: [82], classes: ['theirs'], gateways: ['infra/other'], routes: ['infra/to-other'] });
    expect(summary(compileCluster({})).ports).toEqual([80, 81, 82, 83]);
  });

  test('a controllerName that is not a non-empty string is API misuse', () => {
    expect(() => compile({ ingresses: [], controllerName: '' })).toThrow(expect.objectContaining({ code: 'SWY_COMPILE_INVALID_OPTIONS', field: 'controllerName' }));
  });
});
