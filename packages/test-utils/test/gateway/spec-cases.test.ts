import { describe, expect, test } from 'vitest';
import { loadManifests } from '@switchyard/core';
import { backendsOf, fillBackendPorts, gatewayInputFromManifests, gatewaySpecCases, referenceGatewayMatch, type GatewaySpecRequest } from '@switchyard/test-utils';

// The reference matcher against the hand-written answers: the oracle is only as good as this.
describe.each(gatewaySpecCases.map((specCase) => [specCase.name, specCase] as const))('%s', (_name, specCase) => {
  const input = gatewayInputFromManifests(specCase.manifests);

  test.each(specCase.requests.map((request) => [describeRequest(request), request] as const))('%s', (_label, request) => {
    const answer = referenceGatewayMatch(input, request);
    const expected = request.expect;
    if ('status' in expected) {
      expect(answer).toEqual({ kind: 'not-found' });
      return;
    }
    expect(answer.kind === 'route' && { route: answer.route, rule: answer.rule }).toEqual({ route: expected.route, rule: expected.rule });
    // The backend is read from the manifests, which checks the case's own data as well.
    const route = input.httpRoutes.find((r) => `${r.metadata.namespace}/${r.metadata.name}` === expected.route);
    expect(route?.spec?.rules?.[expected.rule]?.backendRefs?.map((ref) => ref.name)).toEqual([expected.backend]);
  });
});

test('the spec cases hold at least 40 requests', () => {
  expect(gatewaySpecCases.flatMap((specCase) => specCase.requests).length).toBeGreaterThanOrEqual(40);
});

test.each(gatewaySpecCases.map((specCase) => [specCase.name, specCase] as const))('%s: every backendRef has a Service and an EndpointSlice whose port the runner fills in', (_name, specCase) => {
  const referenced = gatewayInputFromManifests(specCase.manifests).httpRoutes.flatMap((route) =>
    (route.spec?.rules ?? []).flatMap((rule) => (rule.backendRefs ?? []).map((ref) => `${ref.namespace ?? route.metadata.namespace}/${ref.name}`)),
  );
  const backends = backendsOf(specCase.manifests).map(({ namespace, name }) => `${namespace}/${name}`);
  expect(new Set(referenced)).toEqual(new Set(backends));

  let next = 40000;
  const filled = loadManifests(fillBackendPorts(specCase.manifests, () => next++)).objects;
  const slicePorts = filled.filter((object) => object.kind === 'EndpointSlice').map((slice) => (slice.ports as Array<{ port: unknown }>)[0]?.port);
  expect(slicePorts.length).toBe(backends.length);
  expect(slicePorts.every((port) => typeof port === 'number' && port >= 40000)).toBe(true);
});

function describeRequest(request: GatewaySpecRequest): string {
  const query = request.query ? `?${request.query}` : '';
  const headers = request.headers ? ` ${JSON.stringify(request.headers)}` : '';
  return `${request.method ?? 'GET'} ${request.host}:${request.port}${request.path}${query}${headers}`;
}
