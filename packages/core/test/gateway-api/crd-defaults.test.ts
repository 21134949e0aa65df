import { describe, expect, test } from 'vitest';
import { validateGateway } from '../../src/gateway-api/validate-gateway.js';
import { validateHTTPRoute } from '../../src/gateway-api/validate-http-route.js';
import { withHTTPRouteDefaults } from '../../src/gateway-api/crd-defaults.js';
import type { HTTPRoute } from '../../src/gateway-api/model.js';
import { gatewayListeners, httpRoute, routeRule } from './builders.js';

/** The CRDs' defaults, filled into a copy of a valid object. */

const specOf = (input: unknown) => validateHTTPRoute(input).object?.spec;

describe('HTTPRoute defaults', () => {
  test('parentRef group and kind', () => {
    expect(specOf(httpRoute({ parentRefs: [{ name: 'gw' }, { name: 's', group: '', kind: 'Service', port: 80 }] }))?.parentRefs).toEqual([
      { name: 'gw', group: 'gateway.networking.k8s.io', kind: 'Gateway' },
      { name: 's', group: '', kind: 'Service', port: 80 },
    ]);
  });

  test('a route without rules gets one rule matching PathPrefix /', () => {
    expect(specOf(httpRoute({ rules: undefined }))?.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }]);
  });

  test.each([
    ['no matches', undefined],
    ['an empty matches list', []],
  ])('a rule with %s gets PathPrefix /', (_, matches) => {
    expect(specOf(routeRule({ matches, backendRefs: [{ name: 's', port: 80 }] }))?.rules?.[0]?.matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
  });

  test('path, header and query types', () => {
    const rule = specOf(
      routeRule({
        matches: [{ method: 'GET', headers: [{ name: 'h', value: 'v' }], queryParams: [{ name: 'q', value: 'v', type: 'RegularExpression' }] }, { path: { value: '/a' } }, { path: { type: 'Exact' } }],
      }),
    )?.rules?.[0];
    expect(rule?.matches).toEqual([
      { method: 'GET', path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'h', value: 'v', type: 'Exact' }], queryParams: [{ name: 'q', value: 'v', type: 'RegularExpression' }] },
      { path: { type: 'PathPrefix', value: '/a' } },
      { path: { type: 'Exact', value: '/' } },
    ]);
  });

  test('backendRefs, mirror backendRefs, fraction denominator, redirect status, CORS maxAge', () => {
    const route = httpRoute({
      rules: [
        {
          filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'm', port: 80 }, fraction: { numerator: 1 } } }, { type: 'CORS', cors: {} }],
          backendRefs: [{ name: 'b', port: 80, filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'n', port: 80 } } }] }, { name: 'c', port: 80, weight: 0 }],
        },
        { filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }] },
      ],
    });
    const [first, second] = specOf(route)?.rules ?? [];
    expect(first?.filters).toEqual([
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'm', port: 80, group: '', kind: 'Service' }, fraction: { numerator: 1, denominator: 100 } } },
      { type: 'CORS', cors: { maxAge: 5 } },
    ]);
    expect(first?.backendRefs).toEqual([
      { name: 'b', port: 80, group: '', kind: 'Service', weight: 1, filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'n', port: 80, group: '', kind: 'Service' } } }] },
      { name: 'c', port: 80, group: '', kind: 'Service', weight: 0 },
    ]);
    expect(second?.filters).toEqual([{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 302 } }]);
  });

  test('nulls are pruned, as the API server prunes them', () => {
    expect(specOf(httpRoute({ hostnames: null }))).not.toHaveProperty('hostnames');
  });

  test('the input is never changed, and defaults twice are defaults once', () => {
    const input = httpRoute({ rules: undefined });
    const snapshot = structuredClone(input);
    const once = validateHTTPRoute(input).object as HTTPRoute;
    expect(input).toEqual(snapshot);
    expect(withHTTPRouteDefaults(once)).toEqual(once);
    expect(validateHTTPRoute(once).diagnostics).toEqual([]);
  });
});

describe('Gateway defaults', () => {
  test('allowedRoutes Same, kinds group, tls mode Terminate, certificateRef group and kind, address type', () => {
    const input = gatewayListeners(
      { name: 'a', port: 80, protocol: 'HTTP' },
      { name: 'b', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert' }] }, allowedRoutes: { kinds: [{ kind: 'HTTPRoute' }] } },
      { name: 'c', port: 81, protocol: 'HTTP', allowedRoutes: { namespaces: { selector: { matchLabels: { a: 'b' } } } } },
    );
    (input.spec as Record<string, unknown>).addresses = [{ value: '192.0.2.1' }];
    const spec = validateGateway(input).object?.spec;
    expect(spec?.listeners).toEqual([
      { name: 'a', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'b',
        port: 443,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert', group: '', kind: 'Secret' }] },
        allowedRoutes: { kinds: [{ kind: 'HTTPRoute', group: 'gateway.networking.k8s.io' }], namespaces: { from: 'Same' } },
      },
      { name: 'c', port: 81, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same', selector: { matchLabels: { a: 'b' } } } } },
    ]);
    expect(spec?.addresses).toEqual([{ value: '192.0.2.1', type: 'IPAddress' }]);
  });
});
