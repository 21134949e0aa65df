import { compile } from '@switchyard/core';
import { referenceGatewayMatch } from '@switchyard/test-utils';
import { describe, expect, test } from 'vitest';
import { gatewayReferenceKey, NO_ROUTE } from '../src/match/answer-key.js';
import { checkGatewayWorkload, checkSubject, describeMismatch } from '../src/match/check.js';
import { loadCore } from '../src/match/core-under-test.js';
import { assertValidGateway, createGatewayOracle } from '../src/match/gateway-oracle.js';
import { gatewayRequestOf, sampleGatewayRequests } from '../src/match/gateway-requests.js';
import { GATEWAY_CLASS, GATEWAY_PORT, GATEWAY_TABLE, generateGatewayWorkload } from '../src/match/gateway-workload.js';
import { PassMaker } from '../src/match/measure.js';
import { assertNormalForm } from '../src/match/requests.js';
import { subjectById, type Subject } from '../src/match/subjects.js';

// The Gateway API half of the match benchmark's correctness checks, for CI: the workload is
// what the issue asks for, the sample is what it claims, and `GatewayPort.find` agrees with
// the Gateway API reference matcher. Nothing here is timed.
const core = await loadCore();
const workload = generateGatewayWorkload();
const oracle = createGatewayOracle(workload);
const sample = sampleGatewayRequests(workload, oracle, 512);
const matches = workload.hosts.flatMap((host) => host.rules.flatMap((rule) => rule.matches));

describe('the Gateway API workload', () => {
  test('one Gateway of class bench: an HTTP listener on port 80, no hostname, routes from every namespace', () => {
    expect(workload.gateway.spec).toEqual({
      gatewayClassName: GATEWAY_CLASS,
      listeners: [{ name: 'http', port: GATEWAY_PORT, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }],
    });
  });

  test('1,000 rules on 100 hostnames, every HTTPRoute valid and attached', () => {
    const rules = workload.httpRoutes.flatMap((route) => route.spec?.rules ?? []);
    expect(rules).toHaveLength(GATEWAY_TABLE.paths);
    expect(new Set(workload.httpRoutes.flatMap((route) => route.spec?.hostnames ?? [])).size).toBe(GATEWAY_TABLE.hosts);
    expect(rules.every((rule) => (rule.matches?.length ?? 0) >= 1 && (rule.matches?.length ?? 0) <= 2)).toBe(true);
    expect(() => assertValidGateway(workload)).not.toThrow();
    const { table, diagnostics } = compile({ ingresses: [], gateways: [workload.gateway], httpRoutes: workload.httpRoutes, gatewayClass: GATEWAY_CLASS });
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(table.gatewayPorts()).toEqual([GATEWAY_PORT]);
  });

  test('a realistic mix of conditions: PathPrefix and Exact, header and method matches, shared paths', () => {
    const share = (pick: (m: (typeof matches)[number]) => boolean) => matches.filter(pick).length / matches.length;
    expect(share((m) => m.pathType === 'PathPrefix')).toBeGreaterThan(0.4);
    expect(share((m) => m.pathType === 'Exact')).toBeGreaterThan(0.2);
    expect(share((m) => m.headers.length > 0)).toBeGreaterThan(0.3);
    expect(share((m) => m.headers.length === 2)).toBeGreaterThan(0.05);
    expect(share((m) => m.method !== undefined)).toBeGreaterThan(0.2);
    expect(workload.sharedPathMatches).toBeGreaterThan(100);
  });

  test('the same seed makes the same workload', () => {
    expect(generateGatewayWorkload().fingerprint).toBe(workload.fingerprint);
    expect(generateGatewayWorkload(workload.seed + 1).fingerprint).not.toBe(workload.fingerprint);
  });
});

describe('the Gateway API sample', () => {
  test('hits are hits and misses are misses, in every category', () => {
    expect(sample.hits).toHaveLength(512);
    expect(sample.misses).toHaveLength(512);
    expect(sample.hits.every((request) => request.expected !== NO_ROUTE)).toBe(true);
    expect(sample.misses.every((request) => request.expected === NO_ROUTE)).toBe(true);
    expect(new Set(sample.hits.map((request) => request.category))).toEqual(new Set(['path-only', 'header', 'method', 'header-and-method']));
    expect(new Set(sample.misses.map((request) => request.category))).toEqual(new Set(['unknown-host', 'unknown-path', 'wrong-header', 'wrong-method']));
    expect(() => assertNormalForm([...sample.hits, ...sample.misses])).not.toThrow();
  });

  test('the host-filtered oracle answers as the reference over every route does', () => {
    const input = { gateways: [workload.gateway], httpRoutes: workload.httpRoutes };
    for (const request of [...sample.hits, ...sample.misses].slice(0, 256)) {
      const plain = gatewayReferenceKey(referenceGatewayMatch(input, { port: GATEWAY_PORT, host: request.host, path: request.path, method: request.method!, headers: request.headers! }));
      expect(request.expected, `${request.method} ${request.host}${request.path}`).toBe(plain);
    }
  });

  test('a pass hands out new request objects with the same method and headers', () => {
    const requests = sample.hits.slice(0, 64);
    const batch = { hosts: requests.map((r) => r.host), paths: requests.map((r) => r.path), requests: requests.map(gatewayRequestOf), hits: requests.length };
    const fresh = new PassMaker(batch, true).next();
    expect(fresh.requests).toEqual(batch.requests);
    expect(fresh.requests![0]).not.toBe(batch.requests[0]);
    expect(fresh.requests![0]!.headers).not.toBe(batch.requests[0]!.headers);
  });
});

describe('gateway-find', () => {
  test('agrees with the reference on every sampled request', () => {
    expect(checkGatewayWorkload(core, workload, sample).map(describeMismatch)).toEqual([]);
  });

  test('the check catches a subject that ignores the headers', () => {
    const real = subjectById('gateway-find');
    const built = real.build(core, { ingresses: [], gateways: [workload.gateway], httpRoutes: workload.httpRoutes });
    const subject: Subject = real;
    const headerless = { ...built, answer: (host: string, path: string) => built.answer(host, path, { method: 'GET', headers: {}, query: '' }) };
    const mismatches = checkSubject(subject, headerless, sample.hits.filter((request) => request.category !== 'path-only'));
    expect(mismatches.length).toBeGreaterThan(0);
  });
});
