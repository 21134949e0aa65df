import { resolveServiceBackend } from '../../src/discovery/resolve-service-backend.js';
import { describe, expect, test } from 'vitest';
import { backendRef, endpointSlice, service, sliceEndpoint } from '@switchyard/test-utils';

const web = service('web', [{ name: 'http', port: 80, targetPort: 'http-alt' }, { name: 'metrics', port: 9090, targetPort: 9090 }]);

function endpointsOf(result: ReturnType<typeof resolveServiceBackend>) {
  expect(result.kind).toBe('endpoints');
  return result.kind === 'endpoints' ? result.endpoints : [];
}

describe('resolveServiceBackend', () => {
  test.each([
    ['ready: null counts as ready; serving follows ready', sliceEndpoint('10.0.0.1', { ready: null }), { ready: true, serving: true, terminating: false }],
    ['no conditions at all: ready', sliceEndpoint('10.0.0.1'), { ready: true, serving: true, terminating: false }],
    ['not ready', sliceEndpoint('10.0.0.1', { ready: false }), { ready: false, serving: false, terminating: false }],
    ['terminating but serving', sliceEndpoint('10.0.0.1', { ready: false, serving: true, terminating: true }), { ready: false, serving: true, terminating: true }],
    ['terminating, not serving', sliceEndpoint('10.0.0.1', { ready: false, serving: false, terminating: true }), { ready: false, serving: false, terminating: true }],
  ])('conditions: %s', (_name, endpoint, conditions) => {
    const result = resolveServiceBackend(backendRef('web', 80), web, [endpointSlice('web-a', 'web', [{ name: 'http', port: 8080 }], [endpoint])]);
    expect(endpointsOf(result)).toEqual([{ address: '10.0.0.1', port: 8080, ...conditions }]);
  });

  test('a named targetPort resolves per slice: each slice carries its own port number', () => {
    const slices = [
      endpointSlice('web-a', 'web', [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }], [sliceEndpoint('10.0.0.1')]),
      endpointSlice('web-b', 'web', [{ name: 'http', port: 8081 }], [sliceEndpoint('10.0.0.2')]),
    ];
    expect(endpointsOf(resolveServiceBackend(backendRef('web', 'http'), web, slices)).map((e) => `${e.address}:${e.port}`)).toEqual(['10.0.0.1:8080', '10.0.0.2:8081']);
    // By number: the Service port 80 is the port named "http".
    expect(endpointsOf(resolveServiceBackend(backendRef('web', 80), web, slices)).map((e) => `${e.address}:${e.port}`)).toEqual(['10.0.0.1:8080', '10.0.0.2:8081']);
    // The metrics port only exists on the first slice.
    expect(endpointsOf(resolveServiceBackend(backendRef('web', 'metrics'), web, slices)).map((e) => `${e.address}:${e.port}`)).toEqual(['10.0.0.1:9090']);
  });

  test('an unnamed single-port Service matches the slice port with no name', () => {
    const single = service('api', [{ port: 80, targetPort: 3000 }]);
    const result = resolveServiceBackend(backendRef('api', 80), single, [endpointSlice('api-a', 'api', [{ port: 3000 }], [sliceEndpoint('10.0.1.1')])]);
    expect(endpointsOf(result)).toEqual([{ address: '10.0.1.1', port: 3000, ready: true, serving: true, terminating: false }]);
  });

  test('address:port is deduplicated across slices, a ready copy winning', () => {
    const slices = [
      endpointSlice('web-a', 'web', [{ name: 'http', port: 8080 }], [sliceEndpoint('10.0.0.1', { ready: false }), sliceEndpoint('10.0.0.2')]),
      endpointSlice('web-b', 'web', [{ name: 'http', port: 8080 }], [sliceEndpoint('10.0.0.1', { ready: true }), sliceEndpoint('10.0.0.2', { ready: false })]),
    ];
    expect(endpointsOf(resolveServiceBackend(backendRef('web', 80), web, slices))).toEqual([
      { address: '10.0.0.1', port: 8080, ready: true, serving: true, terminating: false },
      { address: '10.0.0.2', port: 8080, ready: true, serving: true, terminating: false },
    ]);
  });

  test('the first address of an endpoint is used, FQDN slices are skipped, zones kept, output sorted', () => {
    const slices = [
      endpointSlice('web-a', 'web', [{ name: 'http', port: 8080 }], [{ addresses: ['10.0.0.9', '10.0.0.10'] }, sliceEndpoint('10.0.0.3', undefined, 'zone-a')]),
      endpointSlice('web-fqdn', 'web', [{ name: 'http', port: 8080 }], [sliceEndpoint('host.example.com')], { addressType: 'FQDN' }),
      endpointSlice('web-v6', 'web', [{ name: 'http', port: 8080 }], [sliceEndpoint('fd00::1')], { addressType: 'IPv6' }),
    ];
    expect(endpointsOf(resolveServiceBackend(backendRef('web', 80), web, slices)).map((e) => [e.address, e.zone])).toEqual([
      ['10.0.0.3', 'zone-a'],
      ['10.0.0.9', undefined],
      ['fd00::1', undefined],
    ]);
  });

  test('no slices: an empty set, no problem (a Service scaled to zero)', () => {
    expect(endpointsOf(resolveServiceBackend(backendRef('web', 80), web, []))).toEqual([]);
  });

  test.each([
    ['a missing Service', backendRef('nope', 80), undefined, 'SWY_DISCOVERY_SERVICE_NOT_FOUND'],
    ['a port number the Service lacks (targetPort does not count)', backendRef('web', 8080), web, 'SWY_DISCOVERY_PORT_NOT_FOUND'],
    ['a port name the Service lacks', backendRef('web', 'grpc'), web, 'SWY_DISCOVERY_PORT_NOT_FOUND'],
  ])('%s is a problem', (_name, ref, svc, code) => {
    expect(resolveServiceBackend(ref, svc, [])).toMatchObject({ kind: 'problem', code });
  });

  test.each([
    ['a numeric targetPort', { name: 'https', port: 443, targetPort: 8443 }, 8443],
    ['no targetPort: the port', { name: 'https', port: 443 }, 443],
    ['a named targetPort: the port', { name: 'https', port: 443, targetPort: 'web' }, 443],
  ])('ExternalName with %s', (_name, port, expected) => {
    const external = service('ext', [port], { type: 'ExternalName', externalName: 'api.example.net' });
    expect(resolveServiceBackend(backendRef('ext', 443), external, [])).toEqual({ kind: 'external-name', hostname: 'api.example.net', port: expected, protocol: 'http1' });
  });
});
