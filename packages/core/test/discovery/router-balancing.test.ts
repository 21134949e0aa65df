import { compile, createBackendBalancer, isSwitchyardError, Router, StaticDiscovery, type BalancingOptions } from '@switchyard/core';
import { afterEach, describe, expect, test } from 'vitest';
import { ingress, prefix, rule, thrown } from '@switchyard/test-utils';

const endpoints = {
  'default/a:80': [{ address: '10.0.0.1', port: 8080 }],
  'default/b:80': [{ address: '10.0.0.2', port: 8080 }],
};
const tableOf = (...services: string[]) => compile({ ingresses: [ingress('web', { rules: [rule('foo.com', ...services.map((svc) => prefix(`/${svc}`, svc)))] })] }).table;

let discovery: StaticDiscovery;
let router: Router | undefined;
afterEach(async () => {
  router?.close();
  router = undefined;
  await discovery?.close();
});

function routerWith(balancing?: BalancingOptions, retainDroppedMs = 0): Router {
  discovery = new StaticDiscovery({ endpoints });
  router = new Router({ table: tableOf('a', 'b'), discovery, retainDroppedMs, ...(balancing === undefined ? {} : { balancing }) });
  return router;
}

function expectError(error: unknown, code: string, field: string): void {
  expect(isSwitchyardError(error), String(error)).toBe(true);
  expect({ code: (error as { code: string }).code, field: (error as { field?: string }).field }).toEqual({ code, field });
}

describe('the router owns each backend\'s balancer with its endpoints', () => {
  test('one read gives a backend\'s endpoints and its balancer, with the policy of its key', () => {
    const r = routerWith({ default: { kind: 'least-request' }, backends: { 'default/b:80': { kind: 'consistent-hash', on: { header: 'x-user' } } } });
    const a = r.backend(r.table.match('foo.com', '/a')!.route)!;
    expect(a.key).toBe('default/a:80');
    expect(a.endpoints?.eligible.map((e) => e.key)).toEqual(['10.0.0.1:8080']);
    expect(a.balancer.policy.kind).toBe('least-request');
    expect(r.backendByKey('default/b:80')?.balancer.policy.kind).toBe('consistent-hash');
  });

  test('the balancer (and its outlier state) outlives endpoint pushes', () => {
    const r = routerWith({ outlierDetection: { consecutiveFailures: 1 } });
    const two = [{ address: '10.0.0.1', port: 8080 }, { address: '10.0.0.9', port: 8080 }];
    discovery.update({ endpoints: { ...endpoints, 'default/a:80': two } });
    const backend = r.backendByKey('default/a:80')!;
    const balancer = backend.balancer;
    const first = backend.endpoints!.eligible;
    balancer.pick(first);
    expect(balancer.finished(first.find((e) => e.address === '10.0.0.1')!, 'failure')).toBe(true);
    discovery.update({ endpoints: { ...endpoints, 'default/a:80': [...two, { address: '10.0.0.10', port: 8080 }] } });
    expect(r.backendByKey('default/a:80')).toBe(backend);
    expect(backend.endpoints!.eligible).not.toBe(first);
    expect(backend.balancer).toBe(balancer);
    expect(balancer.ejected().map((e) => e.endpoint)).toEqual(['10.0.0.1:8080']);
  });

  test('a dropped backend takes its balancer with it; added again, it starts fresh', () => {
    const r = routerWith();
    const before = r.backendByKey('default/b:80')!;
    r.update(tableOf('a'));
    expect(r.backendByKey('default/b:80')).toBeUndefined();
    expect(before.endpoints).toBeUndefined();
    r.update(tableOf('a', 'b'));
    expect(r.backendByKey('default/b:80')?.balancer).not.toBe(before.balancer);
  });

  test('endpoints carry their address texts, made once per push', () => {
    discovery = new StaticDiscovery({ endpoints: { 'default/a:80': [{ address: '::1', port: 8080 }], 'default/b:80': [{ address: '127.0.0.1', port: 80 }] } });
    router = new Router({ table: tableOf('a', 'b'), discovery });
    expect(router.endpointsOf('default/a:80')?.eligible[0]).toMatchObject({ key: '::1:8080', authority: '[::1]:8080', origin: 'http://[::1]:8080' });
    expect(router.endpointsOf('default/b:80')?.eligible[0]).toMatchObject({ key: '127.0.0.1:80', authority: '127.0.0.1:80', origin: 'http://127.0.0.1:80' });
    expect(router.endpointsOf('default/a:80')?.eligible).toBe(router.endpointsOf('default/a:80')?.eligible);
  });

  test('balancing.create makes a backend\'s balancer from its key and policy; undefined leaves it to core', () => {
    const asked: string[] = [];
    const r = routerWith({
      default: { kind: 'least-request' },
      create: (key, policy, options) => {
        asked.push(`${key} ${policy.kind}`);
        return key === 'default/a:80' ? createBackendBalancer({ kind: 'round-robin' }, options) : undefined;
      },
    });
    expect(asked.sort()).toEqual(['default/a:80 least-request', 'default/b:80 least-request']);
    expect(r.backendByKey('default/a:80')?.balancer.policy.kind).toBe('round-robin');
    expect(r.backendByKey('default/b:80')?.balancer.policy.kind).toBe('least-request');
  });
});

describe('balancing options are checked when the Router is made', () => {
  test.each<[string, unknown, string, string]>([
    ['balancing: []', [], 'SWY_ROUTER_INVALID_OPTIONS', 'balancing'],
    ['balancing.backends: 1', { backends: 1 }, 'SWY_ROUTER_INVALID_OPTIONS', 'balancing.backends'],
    ['balancing.create: "mine"', { create: 'mine' }, 'SWY_ROUTER_INVALID_OPTIONS', 'balancing.create'],
    ['balancing.outlierDetection: true', { outlierDetection: true }, 'SWY_BALANCER_INVALID_OPTIONS', 'balancing.outlierDetection'],
    ['an unknown kind', { backends: { 'default/svc:80': { kind: 'random' } } }, 'SWY_BALANCER_INVALID_POLICY', 'balancing.backends["default/svc:80"].kind'],
    ['a bad hash header', { backends: { 'default/svc:80': { kind: 'consistent-hash', on: { header: 'not a header' } } } }, 'SWY_BALANCER_INVALID_POLICY', 'balancing.backends["default/svc:80"].on.header'],
    ['a default with an unknown field', { default: { kind: 'round-robin', weight: 2 } }, 'SWY_BALANCER_INVALID_POLICY', 'balancing.default.weight'],
    ['bad outlier detection settings', { outlierDetection: { consecutiveFailures: 0 } }, 'SWY_BALANCER_INVALID_OPTIONS', 'balancing.outlierDetection.consecutiveFailures'],
  ])('%s → %s naming the field', (_label, balancing, code, field) => {
    expectError(
      thrown(() => routerWith(balancing as BalancingOptions)),
      code,
      field,
    );
  });
});
