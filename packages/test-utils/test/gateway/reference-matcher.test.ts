import { describe, expect, test } from 'vitest';
import { referenceGatewayMatch, type GatewayReferenceInput, type GatewayReferenceRequest } from '@switchyard/test-utils';

type Input = Parameters<typeof referenceGatewayMatch>[0];
type Route = Input['httpRoutes'][number];
type Gateway = Input['gateways'][number];
type Listener = NonNullable<NonNullable<Gateway['spec']>['listeners']>[number];
type Rule = NonNullable<NonNullable<Route['spec']>['rules']>[number];

function gateway(listeners: Listener[], metadata: Gateway['metadata'] = { name: 'gw', namespace: 'shop' }): Gateway {
  return { metadata, spec: { gatewayClassName: 'switchyard', listeners } };
}

const http = (extra: Partial<Listener> = {}): Listener => ({ name: 'http', port: 80, protocol: 'HTTP', ...extra });

function route(name: string, rules: Rule[] | undefined, extra: { hostnames?: string[]; created?: string | Date; namespace?: string; parentRefs?: NonNullable<Route['spec']>['parentRefs'] } = {}): Route {
  const metadata: Route['metadata'] = { name, namespace: extra.namespace ?? 'shop' };
  if (extra.created !== undefined) metadata.creationTimestamp = extra.created;
  const spec: NonNullable<Route['spec']> = { parentRefs: extra.parentRefs ?? [{ name: 'gw', namespace: 'shop' }] };
  if (extra.hostnames) spec.hostnames = extra.hostnames;
  if (rules) spec.rules = rules;
  return { metadata, spec };
}

const prefix = (value: string, more: Rule['matches'] extends (infer M)[] | undefined ? Omit<M, 'path'> : never = {}) => ({ path: { type: 'PathPrefix', value }, ...more });
const exact = (value: string) => ({ path: { type: 'Exact', value } });
const regex = (value: string) => ({ path: { type: 'RegularExpression', value } });

function match(input: GatewayReferenceInput, request: Partial<GatewayReferenceRequest>) {
  const answer = referenceGatewayMatch(input, { port: 80, host: 'example.com', path: '/', ...request });
  return answer.kind === 'route' ? `${answer.route}#${answer.rule}.${answer.match}` : 'not-found';
}

describe('precedence', () => {
  test('a RegularExpression path comes after every Exact and PathPrefix match (our choice)', () => {
    const input = { gateways: [gateway([http()])], httpRoutes: [route('r', [{ matches: [regex('/a/.*')] }, { matches: [prefix('/')] }, { matches: [exact('/a/b')] }])] };
    expect(match(input, { path: '/a/c' })).toBe('shop/r#1.0');
    expect(match(input, { path: '/a/b' })).toBe('shop/r#2.0');
  });

  test('regular expressions match the whole path and tie among themselves', () => {
    const input = { gateways: [gateway([http()])], httpRoutes: [route('r', [{ matches: [regex('/a')] }, { matches: [regex('/a.*')] }, { matches: [regex('/.*')] }])] };
    expect(match(input, { path: '/a/b' })).toBe('shop/r#1.0');
    expect(match(input, { path: '/b' })).toBe('shop/r#2.0');
  });

  test('Exact beats PathPrefix across routes, whatever their age', () => {
    const input = { gateways: [gateway([http()])], httpRoutes: [route('old', [{ matches: [prefix('/a')] }], { created: '2020-01-01T00:00:00Z' }), route('new', [{ matches: [exact('/a')] }], { created: '2024-01-01T00:00:00Z' })] };
    expect(match(input, { path: '/a' })).toBe('shop/new#0.0');
    expect(match(input, { path: '/a/' })).toBe('shop/old#0.0');
  });

  test('hostname specificity comes before an Exact path', () => {
    const input = { gateways: [gateway([http()])], httpRoutes: [route('exact-path', [{ matches: [exact('/a')] }]), route('exact-host', [{ matches: [prefix('/')] }], { hostnames: ['a.example.com'] }), route('wild-host', [{ matches: [prefix('/')] }], { hostnames: ['*.example.com'] })] };
    expect(match(input, { host: 'a.example.com', path: '/a' })).toBe('shop/exact-host#0.0');
    expect(match(input, { host: 'b.example.com', path: '/a' })).toBe('shop/wild-host#0.0');
    expect(match(input, { host: 'example.com', path: '/a' })).toBe('shop/exact-path#0.0');
  });

  test('a route without hostnames takes the listener hostname: it ties with a route naming it (our choice)', () => {
    const input = {
      gateways: [gateway([http({ hostname: '*.example.com' })])],
      httpRoutes: [route('named', [{ matches: [prefix('/')] }], { hostnames: ['*.example.com'], created: '2020-01-01T00:00:00Z' }), route('unnamed', [{ matches: [prefix('/longer')] }], { created: '2024-01-01T00:00:00Z' })],
    };
    expect(match(input, { host: 'a.example.com', path: '/longer' })).toBe('shop/unnamed#0.0');
  });

  test('a route with both an exact and a wildcard hostname competes with its exact one', () => {
    const input = { gateways: [gateway([http()])], httpRoutes: [route('both', [{ matches: [prefix('/')] }], { hostnames: ['*.example.com', 'a.example.com'] }), route('exact', [{ matches: [prefix('/x')] }], { hostnames: ['a.example.com'] })] };
    expect(match(input, { host: 'a.example.com', path: '/x' })).toBe('shop/exact#0.0');
    expect(match(input, { host: 'a.example.com', path: '/y' })).toBe('shop/both#0.0');
  });

  test('a more specific match later in a rule beats an earlier one; equal matches go to the first', () => {
    const input = { gateways: [gateway([http()])], httpRoutes: [route('r', [{ matches: [prefix('/x'), prefix('/x', { headers: [{ name: 'h', value: '1' }] }), prefix('/x')] }])] };
    expect(match(input, { path: '/x', headers: { h: '1' } })).toBe('shop/r#0.1');
    expect(match(input, { path: '/x' })).toBe('shop/r#0.0');
  });

  test('creationTimestamp as a Date; a route without one is newer than any with one', () => {
    const input = { gateways: [gateway([http()])], httpRoutes: [route('a-undated', [{}]), route('b-dated', [{}], { created: new Date('2030-01-01T00:00:00Z') }), route('c-older', [{}], { created: '2029-12-31T23:59:59Z' })] };
    expect(match(input, {})).toBe('shop/c-older#0.0');
    expect(match({ ...input, httpRoutes: input.httpRoutes.slice(0, 2) }, {})).toBe('shop/b-dated#0.0');
  });
});

describe('conditions', () => {
  test('a header named twice in a match counts once, by its first entry', () => {
    const rules: Rule[] = [{ matches: [prefix('/', { headers: [{ name: 'x', value: '1' }, { name: 'X', value: '2' }] })] }, { matches: [prefix('/', { headers: [{ name: 'x', value: '1' }] })] }];
    const input = { gateways: [gateway([http()])], httpRoutes: [route('r', rules)] };
    expect(match(input, { headers: { x: '1' } })).toBe('shop/r#0.0');
    expect(match(input, { headers: { x: '2' } })).toBe('not-found');
  });

  test('a repeated header is matched as its values joined with ", " (our choice)', () => {
    const rules: Rule[] = [{ matches: [prefix('/', { headers: [{ name: 'x', value: '1' }] })] }, { matches: [prefix('/', { headers: [{ name: 'x', type: 'RegularExpression', value: '1, 2' }] })] }];
    const input = { gateways: [gateway([http()])], httpRoutes: [route('r', rules)] };
    expect(match(input, { headers: { x: ['1', '2'] } })).toBe('shop/r#1.0');
    expect(match(input, { headers: { X: '1', x: '2' } })).toBe('shop/r#1.0');
    expect(match(input, { headers: { X: '1' } })).toBe('shop/r#0.0');
  });

  test('query as decoded pairs or as a raw string; a repeated parameter by its first value', () => {
    const input = { gateways: [gateway([http()])], httpRoutes: [route('r', [{ matches: [prefix('/', { queryParams: [{ name: 'a b', value: 'c&d' }] })] }])] };
    expect(match(input, { query: [['a b', 'c&d'], ['a b', 'x']] })).toBe('shop/r#0.0');
    expect(match(input, { query: 'a+b=c%26d&a%20b=x' })).toBe('shop/r#0.0');
    expect(match(input, { query: 'a+b=x&a+b=c%26d' })).toBe('not-found');
  });

  test('method defaults to GET', () => {
    const input = { gateways: [gateway([http()])], httpRoutes: [route('r', [{ matches: [prefix('/', { method: 'GET' })] }])] };
    expect(match(input, {})).toBe('shop/r#0.0');
    expect(match(input, { method: 'POST' })).toBe('not-found');
  });
});

describe('defaults and invalid rules', () => {
  test('a route without rules matches everything as rule 0, match 0', () => {
    const input = { gateways: [gateway([http()])], httpRoutes: [route('r', undefined)] };
    expect(match(input, { path: '/any/thing' })).toBe('shop/r#0.0');
  });

  test('a rule with an unknown match type or a broken regular expression is dropped, the others kept (our choice)', () => {
    const rules: Rule[] = [{ matches: [{ path: { type: 'Glob', value: '/*' } }] }, { matches: [prefix('/', { headers: [{ name: 'x', type: 'RegularExpression', value: '(' }] })] }, { matches: [prefix('/', { headers: [{ name: 'x', type: 'Prefix', value: 'a' }] })] }, { matches: [prefix('/fallback')] }];
    const input = { gateways: [gateway([http()])], httpRoutes: [route('r', rules)] };
    expect(match(input, { path: '/fallback', headers: { x: '(' } })).toBe('shop/r#3.0');
    expect(match(input, { path: '/', headers: { x: 'a' } })).toBe('not-found');
  });
});

describe('listeners and attachment', () => {
  test('the same hostname on two Gateways on one port: the older Gateway takes it (our choice)', () => {
    const older = gateway([http()], { name: 'older', namespace: 'shop', creationTimestamp: '2020-01-01T00:00:00Z' });
    const newer = gateway([http()], { name: 'newer', namespace: 'shop', creationTimestamp: '2021-01-01T00:00:00Z' });
    const onNewer = route('on-newer', [{}], { parentRefs: [{ name: 'newer' }] });
    expect(match({ gateways: [newer, older], httpRoutes: [onNewer] }, {})).toBe('not-found');
    expect(referenceGatewayMatch({ gateways: [newer, older], httpRoutes: [route('on-older', [{}], { parentRefs: [{ name: 'older' }] })] }, { port: 80, host: 'x', path: '/' })).toEqual({ kind: 'route', gateway: 'shop/older', listener: 'http', route: 'shop/on-older', rule: 0, match: 0 });
  });

  test('HTTPS listeners take requests like HTTP ones; TCP and TLS listeners never do', () => {
    const r = route('r', [{}]);
    expect(match({ gateways: [gateway([http({ protocol: 'HTTPS', port: 443 })])], httpRoutes: [r] }, { port: 443 })).toBe('shop/r#0.0');
    expect(match({ gateways: [gateway([http({ protocol: 'TCP' })])], httpRoutes: [r] }, {})).toBe('not-found');
    expect(match({ gateways: [gateway([http({ protocol: 'TLS' })])], httpRoutes: [r] }, {})).toBe('not-found');
  });

  test('parentRefs: group and kind must be the Gateway API Gateway', () => {
    const gw = gateway([http()]);
    expect(match({ gateways: [gw], httpRoutes: [route('r', [{}], { parentRefs: [{ name: 'gw', group: 'gateway.networking.k8s.io', kind: 'Gateway' }] })] }, {})).toBe('shop/r#0.0');
    expect(match({ gateways: [gw], httpRoutes: [route('r', [{}], { parentRefs: [{ name: 'gw', group: '', kind: 'Service' }] })] }, {})).toBe('not-found');
    expect(match({ gateways: [gw], httpRoutes: [route('r', [{}], { parentRefs: [{ name: 'gw', kind: 'ListenerSet' }] })] }, {})).toBe('not-found');
    expect(match({ gateways: [gw], httpRoutes: [route('r', [{}], { parentRefs: [] })] }, {})).toBe('not-found');
  });

  test.each<[string, object | undefined, Record<string, string> | undefined, boolean]>([
    ['Selector without a selector admits nothing', undefined, {}, false],
    ['an empty selector admits every namespace', {}, undefined, true],
    ['NotIn admits a namespace without the label', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, {}, true],
    ['NotIn refuses a listed value', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, { env: 'prod' }, false],
    ['Exists', { matchExpressions: [{ key: 'env', operator: 'Exists' }] }, { env: '' }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, { env: 'dev' }, false],
    ['matchLabels and matchExpressions are ANDed', { matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'In', values: ['2'] }] }, { a: '1', b: '3' }, false],
    ['a namespace without a Namespace object has only its name label', { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } }, undefined, true],
  ])('%s', (_name, selector, labels, attached) => {
    const listener = http({ allowedRoutes: { namespaces: selector === undefined ? { from: 'Selector' } : { from: 'Selector', selector } } });
    const namespaces = labels === undefined ? [] : [{ metadata: { name: 'apps', labels } }];
    const input = { gateways: [gateway([listener])], httpRoutes: [route('r', [{}], { namespace: 'apps', parentRefs: [{ name: 'gw', namespace: 'shop' }] })], namespaces };
    expect(match(input, {})).toBe(attached ? 'apps/r#0.0' : 'not-found');
  });
});
