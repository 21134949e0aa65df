import { StaticDiscovery, compile, serviceBackendDiagnostics, upstreamProtocolOf, type EndpointSet } from '@switchyard/core';
import { backendRef, endpointSlice, ingress, service, sliceEndpoint } from '@switchyard/test-utils';
import { describe, expect, test } from 'vitest';
import { resolveServiceBackend } from '../../src/discovery/resolve-service-backend.js';
import { toRoutableEndpoints } from '../../src/discovery/routable-endpoint.js';

describe('upstreamProtocolOf', () => {
  test.each([
    [undefined, 'http1'],
    [null, 'http1'],
    ['', 'http1'],
    ['http', 'http1'],
    ['kubernetes.io/ws', 'http1'],
    ['kubernetes.io/wss', 'http1'],
    ['kubernetes.io/h2c', 'h2c'],
    ['https', undefined],
    ['grpc', undefined],
    ['kubernetes.io/h2', undefined],
    ['example.com/custom', undefined],
    ['Kubernetes.io/h2c', undefined],
  ])('appProtocol %j is %j', (appProtocol, protocol) => {
    expect(upstreamProtocolOf(appProtocol)).toBe(protocol);
  });
});

describe('resolveServiceBackend: the protocol of each endpoint', () => {
  const slice = (ports: Parameters<typeof endpointSlice>[2], name = 'grpc-a') => endpointSlice(name, 'grpc', ports, [sliceEndpoint('10.0.0.1')]);

  test('the Service port appProtocol kubernetes.io/h2c makes the endpoints h2c', () => {
    const svc = service('grpc', [{ name: 'grpc', port: 50051, appProtocol: 'kubernetes.io/h2c' }]);
    const result = resolveServiceBackend(backendRef('grpc', 50051), svc, [slice([{ name: 'grpc', port: 9000 }])]);
    expect(result).toEqual({ kind: 'endpoints', endpoints: [expect.objectContaining({ address: '10.0.0.1', port: 9000, protocol: 'h2c' })] });
  });

  test('no appProtocol: HTTP/1.1, and the endpoint carries no protocol field (equal to sets written without one)', () => {
    const svc = service('grpc', [{ name: 'grpc', port: 80 }]);
    const result = resolveServiceBackend(backendRef('grpc', 80), svc, [slice([{ name: 'grpc', port: 8080 }])]);
    expect(result.kind === 'endpoints' && result.endpoints[0]).not.toHaveProperty('protocol');
    expect(result).not.toHaveProperty('unsupported');
  });

  test("a Service port without appProtocol takes the slice port's (slices written by hand)", () => {
    const svc = service('grpc', [{ name: 'grpc', port: 80 }]);
    const result = resolveServiceBackend(backendRef('grpc', 80), svc, [slice([{ name: 'grpc', port: 8080, appProtocol: 'kubernetes.io/h2c' }])]);
    expect(result.kind === 'endpoints' && result.endpoints[0]?.protocol).toBe('h2c');
  });

  test("the Service port's appProtocol wins over a slice's", () => {
    const svc = service('grpc', [{ name: 'grpc', port: 80, appProtocol: 'http' }]);
    const result = resolveServiceBackend(backendRef('grpc', 80), svc, [slice([{ name: 'grpc', port: 8080, appProtocol: 'kubernetes.io/h2c' }])]);
    expect(result.kind === 'endpoints' && result.endpoints[0]).not.toHaveProperty('protocol');
  });

  test('an unsupported appProtocol: HTTP/1.1, named with its object and field', () => {
    const svc = service('grpc', [{ name: 'web', port: 80 }, { name: 'grpc', port: 443, appProtocol: 'https' }]);
    const result = resolveServiceBackend(backendRef('grpc', 443), svc, [slice([{ name: 'grpc', port: 8443 }])]);
    expect(result).toEqual({
      kind: 'endpoints',
      endpoints: [expect.not.objectContaining({ protocol: expect.anything() })],
      unsupported: { object: 'shop/grpc', kind: 'Service', field: 'spec.ports[1].appProtocol', value: 'https' },
    });
  });

  test("an unsupported slice port appProtocol names the slice's field", () => {
    const svc = service('grpc', [{ name: 'grpc', port: 80 }]);
    const result = resolveServiceBackend(backendRef('grpc', 80), svc, [slice([{ name: 'other', port: 1 }, { name: 'grpc', port: 8080, appProtocol: 'grpc' }])]);
    expect(result.kind === 'endpoints' && result.unsupported).toEqual({ object: 'shop/grpc-a', kind: 'EndpointSlice', field: 'ports[1].appProtocol', value: 'grpc' });
  });

  test('an ExternalName Service carries its port protocol', () => {
    const svc = service('ext', [{ port: 80, appProtocol: 'kubernetes.io/h2c' }], { externalName: 'api.example.com' });
    expect(resolveServiceBackend(backendRef('ext', 80), svc, [])).toEqual({ kind: 'external-name', hostname: 'api.example.com', port: 80, protocol: 'h2c' });
  });

  test('routable endpoints resolve the protocol: h2c, or http1 when absent', () => {
    const routable = toRoutableEndpoints([
      { address: '10.0.0.1', port: 1, ready: true, serving: true, terminating: false, protocol: 'h2c' },
      { address: '10.0.0.2', port: 1, ready: true, serving: true, terminating: false },
    ]);
    expect(routable.map((e) => e.protocol)).toEqual(['h2c', 'http1']);
    expect(routable[0]!.origin).toBe('http://10.0.0.1:1');
  });
});

describe('StaticDiscovery: appProtocol', () => {
  function firstSet(discovery: StaticDiscovery, port: number): EndpointSet {
    let set: EndpointSet | undefined;
    discovery.watch(backendRef('grpc', port), (s) => (set = s))();
    return set!;
  }

  test('a change of appProtocol alone is a new set', () => {
    const slices = [endpointSlice('grpc-a', 'grpc', [{ name: 'grpc', port: 9000 }], [sliceEndpoint('10.0.0.1')])];
    const discovery = new StaticDiscovery({ objects: [service('grpc', [{ name: 'grpc', port: 80 }]), ...slices] });
    const seen: EndpointSet[] = [];
    discovery.watch(backendRef('grpc', 80), (set) => seen.push(set));
    discovery.update({ objects: [service('grpc', [{ name: 'grpc', port: 80, appProtocol: 'kubernetes.io/h2c' }]), ...slices] });
    expect(seen.map((set) => set.endpoints[0]?.protocol)).toEqual([undefined, 'h2c']);
  });

  test('an unsupported appProtocol serves the endpoints and names the problem', () => {
    const discovery = new StaticDiscovery({
      objects: [service('grpc', [{ name: 'grpc', port: 80, appProtocol: 'grpc' }]), endpointSlice('grpc-a', 'grpc', [{ name: 'grpc', port: 9000 }], [sliceEndpoint('10.0.0.1')])],
    });
    const set = firstSet(discovery, 80);
    expect(set.endpoints).toHaveLength(1);
    expect(set.stale).toBe(false);
    expect(set.problem).toMatchObject({ code: 'SWY_DISCOVERY_APP_PROTOCOL_UNSUPPORTED' });
    expect(set.problem!.message).toContain('spec.ports[0].appProtocol');
  });

  test('endpoints written in code take a protocol', () => {
    const discovery = new StaticDiscovery({ endpoints: { 'shop/grpc:80': [{ address: '127.0.0.1', port: 9000, protocol: 'h2c' }] } });
    expect(firstSet(discovery, 80).endpoints[0]?.protocol).toBe('h2c');
  });
});

test('serviceBackendDiagnostics warns about an unsupported appProtocol on the Service port, once', () => {
  const routes = ingress('grpc', { namespace: 'shop', rules: [{ http: { paths: [{ path: '/a', pathType: 'Prefix', backend: { service: { name: 'grpc', port: { number: 80 } } } }, { path: '/b', pathType: 'Prefix', backend: { service: { name: 'grpc', port: { number: 80 } } } }] } }] });
  const { table } = compile({ ingresses: [routes] });
  const diagnostics = serviceBackendDiagnostics(table, [routes, service('grpc', [{ name: 'grpc', port: 80, appProtocol: 'kubernetes.io/h2' }])]);
  expect(diagnostics.map((d) => [d.code, d.severity, d.object, d.field])).toEqual([['SWY_DISCOVERY_APP_PROTOCOL_UNSUPPORTED', 'warning', 'shop/grpc', 'spec.ports[0].appProtocol']]);
});
