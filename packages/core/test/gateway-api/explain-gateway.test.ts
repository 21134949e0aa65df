import { describe, expect, test } from 'vitest';
import { compile, explainGatewayRequest, loadManifests, normalizeHost, type RouteTable } from '@switchyard/core';
import { fillBackendPorts, gatewayCompileOptions, gatewaySpecCases, type GatewaySpecRequest } from '@switchyard/test-utils';

function compileCase(manifests: string): RouteTable {
  const { objects } = loadManifests(fillBackendPorts(manifests, () => 8080));
  return compile({ ingresses: [], ...gatewayCompileOptions(objects) }).table;
}

/** The explanation's winner must be `GatewayPort.find`'s answer, for every request of every spec case. */
describe.each(gatewaySpecCases.map((specCase) => [specCase.name, specCase] as const))('%s', (_name, specCase) => {
  const table = compileCase(specCase.manifests);

  test.each(specCase.requests.map((request) => [label(request), request] as const))('%s', (_label, request) => {
    const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    const query = request.query ? `?${request.query}` : '';
    const found = table.gatewayPort(request.port)?.find(normalizeHost(request.host), request.path, { method: request.method ?? 'GET', headers, query });
    const explained = explainGatewayRequest(table, { port: request.port, host: request.host, path: `${request.path}${query}`, method: request.method ?? 'GET', headers: request.headers ?? {} });
    const winner = explained.winner;
    expect(winner && { route: winner.route, rule: winner.rule, match: winner.match }).toEqual(found ? { route: found.routeId, rule: found.rule.index, match: found.index } : null);
    // Exactly one candidate won, the winner; candidates before it did not match.
    const won = explained.candidates.filter((c) => c.outcome === 'won');
    expect(won.length).toBe(winner ? 1 : 0);
    const at = explained.candidates.findIndex((c) => c.outcome === 'won');
    for (const candidate of explained.candidates.slice(0, at)) expect(candidate.outcome).toBe('no-match');
    // Plain data: JSON round-trips it.
    expect(JSON.parse(JSON.stringify(explained))).toEqual(explained);
  });
});

describe('what the explanation says', () => {
  const precedence = gatewaySpecCases.find((c) => c.name.startsWith('precedence'))!;
  const table = compileCase(precedence.manifests);

  test('names the failed field of each candidate that does not match', () => {
    const explained = explainGatewayRequest(table, { port: 80, host: 'p.test', path: '/p?q=1', method: 'POST', headers: { 'X-A': '2' } });
    expect(explained.winner).toBeNull();
    expect(explained.summary).toMatch(/404/);
    const failed = Object.fromEntries(explained.candidates.map((c) => [c.route, c.failed]));
    expect(failed).toEqual({
      'shop/by-method': { field: 'method', name: null },
      'shop/by-two-headers': { field: 'header', name: 'x-a' },
      'shop/by-one-header': { field: 'header', name: 'x-a' },
      'shop/by-query': { field: 'query', name: 'r' },
      'shop/by-longer-prefix': { field: 'path', name: null },
    });
  });

  test('orders matching candidates by precedence and says why the winner came first', () => {
    const explained = explainGatewayRequest(table, { port: 80, host: 'p.test', path: '/p?q=1&r=1', method: 'GET', headers: { 'x-a': '1', 'x-b': '1' } });
    expect(explained.candidates.map((c) => [c.route, c.outcome])).toEqual([
      ['shop/by-method', 'won'],
      ['shop/by-two-headers', 'lost'],
      ['shop/by-one-header', 'lost'],
      ['shop/by-query', 'lost'],
      ['shop/by-longer-prefix', 'no-match'],
    ]);
    expect(explained.candidates[1]!.reason).toMatch(/method/);
    expect(explained.winner).toMatchObject({ route: 'shop/by-method', rule: 0, failure: null, backends: [{ backendKey: 'shop/get-svc:8080', weight: 1, share: 1, problem: null }] });
    expect(explained.listener).toMatchObject({ gateway: 'shop/precedence', name: 'http', hostname: null });
  });

  test('a port no listener serves', () => {
    const explained = explainGatewayRequest(table, { port: 81, host: 'p.test', path: '/' });
    expect(explained).toMatchObject({ listener: null, winner: null, candidates: [], listeners: [] });
    expect(explained.summary).toMatch(/port 81/);
  });

  test('listener isolation: the most specific listener is selected, the others said why not', () => {
    const isolation = gatewaySpecCases.find((c) => c.name.includes('isolation'))!;
    const isolated = compileCase(isolation.manifests);
    const request = isolation.requests[0]!;
    const explained = explainGatewayRequest(isolated, { port: request.port, host: request.host, path: request.path });
    const selected = explained.listeners.filter((l) => l.outcome === 'selected');
    expect(selected).toHaveLength(1);
    expect(explained.listener?.name).toBe(selected[0]!.name);
  });
});

function label(request: GatewaySpecRequest): string {
  return `${request.method ?? 'GET'} ${request.host}:${request.port}${request.path}${request.query ? `?${request.query}` : ''}${request.headers ? ` ${JSON.stringify(request.headers)}` : ''}`;
}
