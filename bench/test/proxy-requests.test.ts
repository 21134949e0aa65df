import { compile } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { generateWorkload } from '../src/match/workload.js';
import { SIZES } from '../src/match/sizes.js';
import { GATEWAY_CLASS, GATEWAY_PORT, generateGatewayWorkload } from '../src/match/gateway-workload.js';
import { checkSample, gatewayRequestList, requestListFor, requestsForConnection, singleRouteList, withGatewayLoad } from '../src/proxy/request-list.js';
import { endpointsAt, ingressesFor, renamedBackends, SINGLE_HOST, type TableSpec } from '../src/proxy/route-tables.js';

const SEED = 20_240_601;

describe('request lists', () => {
  test('a single-route target is asked for bench.test /', () => {
    expect(singleRouteList()).toEqual({ requests: [{ host: SINGLE_HOST, path: '/' }], hosts: 1, fingerprint: undefined });
  });

  test('a generated table gives the asked number of requests, over many hosts, with the workload fingerprint', () => {
    const spec: TableSpec = { kind: 'generated', paths: 1_000, seed: SEED };
    const list = requestListFor(spec, 300);
    expect(list.requests).toHaveLength(300);
    expect(list.hosts).toBeGreaterThan(10);
    expect(list.fingerprint).toBe(generateWorkload(SIZES[1]!, SEED).fingerprint);
    expect(ingressesFor(spec).fingerprint).toBe(list.fingerprint);
    expect(requestListFor(spec, 300)).toEqual(list);
  });

  test.each([1_000, 10_000])('every request of the %i-path list routes, in the table and in its renamed twin, to a backend with an endpoint', (paths) => {
    const spec: TableSpec = { kind: 'generated', paths, seed: SEED };
    const { ingresses } = ingressesFor(spec);
    const table = compile({ ingresses }).table;
    const twin = compile({ ingresses: renamedBackends(ingresses) }).table;
    const endpoints = endpointsAt([table, twin], '127.0.0.1', 9);
    for (const { host, path } of requestListFor(spec, 256).requests) {
      const route = table.match(host, path);
      const twinRoute = twin.match(host, path);
      expect(route, `${host}${path}`).toBeDefined();
      expect(twinRoute?.backendKey).toBe(route!.backendKey.replace(/^([^/]+\/[^:]+)/, '$1-b'));
      expect(endpoints[route!.backendKey]).toEqual([{ address: '127.0.0.1', port: 9 }]);
      expect(endpoints[twinRoute!.backendKey]).toEqual([{ address: '127.0.0.1', port: 9 }]);
    }
  });

  test('the Gateway API list: hits with the method and headers of their rule, and the backend the compiled table picks too', () => {
    const spec: TableSpec = { kind: 'gateway', seed: SEED };
    const list = requestListFor(spec, 256);
    const workload = generateGatewayWorkload(SEED);
    expect(list.fingerprint).toBe(workload.fingerprint);
    expect(list.hosts).toBeGreaterThan(50);
    expect(new Set(list.requests.map((r) => r.method))).toEqual(new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']));
    expect(list.requests.filter((r) => Object.keys(r.headers ?? {}).some((name) => name.startsWith('x-') && name !== 'x-request-id')).length).toBeGreaterThan(50);
    const { table } = compile({ ingresses: [], gateways: [workload.gateway], httpRoutes: workload.httpRoutes, gatewayClass: GATEWAY_CLASS });
    const endpoints = endpointsAt([table], '127.0.0.1', 9);
    for (const request of list.requests) {
      const match = table.gatewayPort(GATEWAY_PORT)!.find(request.host, request.path, { method: request.method, headers: { host: request.host, ...request.headers }, query: '' });
      const backend = match?.rule.backends[0]?.route?.backendKey;
      expect(backend, `${request.method} ${request.host}${request.path}`).toBe(request.backend);
      expect(endpoints[backend!]).toEqual([{ address: '127.0.0.1', port: 9 }]);
    }
  });

  test("the Ingress list with the Gateway API load: each Ingress request keeps its Host and path and takes the method and headers in its place", () => {
    const spec: TableSpec = { kind: 'generated', paths: 1_000, seed: SEED };
    const ingress = requestListFor(spec, 300);
    const gateway = gatewayRequestList(SEED, 300).requests;
    const loaded = withGatewayLoad(ingress, SEED);
    expect(loaded.fingerprint).toBe(ingress.fingerprint);
    expect(loaded.requests.map(({ host, path }) => ({ host, path }))).toEqual(ingress.requests);
    expect(loaded.requests.map(({ method, headers }) => ({ method, headers }))).toEqual(gateway.map(({ method, headers }) => ({ method, headers })));
    // The Ingress table routes every one of them as before: its routing reads neither method nor headers.
    const table = compile({ ingresses: ingressesFor(spec).ingresses }).table;
    for (const { host, path } of loaded.requests) expect(table.match(host, path), `${host}${path}`).toBeDefined();
  });

  test('the single-route table sends bench.test to one backend', () => {
    const table = compile({ ingresses: ingressesFor({ kind: 'single' }).ingresses }).table;
    expect(table.match(SINGLE_HOST, '/any/path')?.backendKey).toBe('bench/upstream:80');
    expect(table.match('other.test', '/')).toBeUndefined();
  });
});

describe('per-connection slices', () => {
  const list = Array.from({ length: 2_048 }, (_, i) => i);

  test('50 connections together ask for every request, each holding about n / 50', () => {
    const slices = Array.from({ length: 50 }, (_, c) => requestsForConnection(list, c, 50));
    expect(new Set(slices.flat()).size).toBe(2_048);
    for (const slice of slices) expect(slice).toHaveLength(41);
    expect(slices[1]![0]).toBe(41);
  });

  test('fewer requests than connections: one each, wrapping around', () => {
    const slices = Array.from({ length: 5 }, (_, c) => requestsForConnection(['a', 'b', 'c'], c, 5));
    expect(slices).toEqual([['a'], ['b'], ['c'], ['a'], ['b']]);
    expect(requestsForConnection(['only'], 3, 50)).toEqual(['only']);
  });
});

describe('check sample', () => {
  test('requests that differ only in method or headers are distinct', () => {
    const base = { host: 'a.test', path: '/x' };
    const requests = [base, { ...base, method: 'POST' }, { ...base, headers: { 'x-canary': 'true' } }, { ...base }];
    expect(checkSample(requests, 10)).toEqual(requests.slice(0, 3));
  });

  test('distinct requests only, at most the maximum, first and last included', () => {
    const requests = Array.from({ length: 1_000 }, (_, i) => ({ host: `h${i % 100}`, path: `/p${i}` }));
    const sample = checkSample([...requests, ...requests], 10);
    expect(sample).toHaveLength(10);
    expect(new Set(sample.map((r) => r.path)).size).toBe(10);
    expect(sample[0]).toEqual(requests[0]);
    expect(sample[9]).toEqual(requests[999]);
    expect(checkSample(requests.slice(0, 3), 10)).toEqual(requests.slice(0, 3));
  });
});
