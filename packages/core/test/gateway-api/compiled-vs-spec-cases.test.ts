import { describe, expect, test } from 'vitest';
import { compile, loadManifests, normalizeHost } from '@switchyard/core';
import { fillBackendPorts, gatewayCompileOptions, gatewaySpecCases, type GatewaySpecRequest } from '@switchyard/test-utils';

/**
 * The compiled table against the hand-written answers of the spec cases (the same ones the
 * reference matcher answers in test-utils): every request goes through the per-port index the
 * proxy reads.
 */
describe.each(gatewaySpecCases.map((specCase) => [specCase.name, specCase] as const))('%s', (_name, specCase) => {
  const { objects } = loadManifests(fillBackendPorts(specCase.manifests, () => 8080));
  const { table, diagnostics } = compile({ ingresses: [], ...gatewayCompileOptions(objects) });

  test('compiles without errors', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  test.each(specCase.requests.map((request) => [describeRequest(request), request] as const))('%s', (_label, request) => {
    const match = table.gatewayPort(request.port)?.find(normalizeHost(request.host), request.path, {
      method: request.method ?? 'GET',
      headers: lowercaseKeys(request.headers ?? {}),
      query: request.query ? `?${request.query}` : '',
    });
    const expected = request.expect;
    if ('status' in expected) {
      expect(match && `${match.rule.origin.namespace}/${match.rule.origin.name} rule ${match.rule.index}`).toBeUndefined();
      return;
    }
    expect(match && { route: `${match.rule.origin.namespace}/${match.rule.origin.name}`, rule: match.rule.index }).toEqual({ route: expected.route, rule: expected.rule });
    const backend = match!.rule.backends[0]?.route?.backend;
    expect(backend && 'service' in backend ? backend.service.name : undefined).toBe(expected.backend);
  });
});

function lowercaseKeys(headers: Readonly<Record<string, string | readonly string[]>>): Record<string, string | readonly string[]> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function describeRequest(request: GatewaySpecRequest): string {
  const query = request.query ? `?${request.query}` : '';
  const headers = request.headers ? ` ${JSON.stringify(request.headers)}` : '';
  return `${request.method ?? 'GET'} ${request.host}:${request.port}${request.path}${query}${headers}`;
}
