import { backendServices } from './backend-services.js';
import type { GatewaySpecCase } from './spec-case.js';

/** httproute_types.go: PathMatchType (Exact, PathPrefix) and the precedence of HTTPRouteRule.Matches. */
export const pathMatching: GatewaySpecCase = {
  name: 'exact, prefix and longest prefix',
  description:
    'Exact matches byte for byte; PathPrefix matches whole path elements and ignores a trailing slash on its value; an Exact match beats every prefix; the prefix with the most characters wins, across routes and whatever their age.',
  manifests: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: paths
  namespace: shop
spec:
  gatewayClassName: switchyard
  listeners:
  - name: http
    port: 80
    protocol: HTTP
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: docs
  namespace: shop
  creationTimestamp: "2024-01-01T00:00:00Z"
spec:
  parentRefs:
  - name: paths
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /
    backendRefs:
    - name: root-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /docs
    backendRefs:
    - name: docs-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /docs/api/
    backendRefs:
    - name: api-svc
      port: 8080
  - matches:
    - path:
        type: Exact
        value: /docs/api/index
    backendRefs:
    - name: index-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /exact
    backendRefs:
    - name: exact-prefix-svc
      port: 8080
  - matches:
    - path:
        type: Exact
        value: /exact
    backendRefs:
    - name: exact-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: api-v1
  namespace: shop
  creationTimestamp: "2025-01-01T00:00:00Z"
spec:
  parentRefs:
  - name: paths
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /docs/api/v1
    backendRefs:
    - name: v1-svc
      port: 8080
${backendServices('shop', 'root-svc', 'docs-svc', 'api-svc', 'index-svc', 'exact-prefix-svc', 'exact-svc', 'v1-svc')}`,
  requests: [
    { port: 80, host: 'paths.test', path: '/', expect: { route: 'shop/docs', rule: 0, backend: 'root-svc' } },
    { port: 80, host: 'paths.test', path: '/docs', expect: { route: 'shop/docs', rule: 1, backend: 'docs-svc' } },
    { port: 80, host: 'paths.test', path: '/docs/', expect: { route: 'shop/docs', rule: 1, backend: 'docs-svc' } },
    { port: 80, host: 'paths.test', path: '/docs/intro', expect: { route: 'shop/docs', rule: 1, backend: 'docs-svc' } },
    { port: 80, host: 'paths.test', path: '/docsx', expect: { route: 'shop/docs', rule: 0, backend: 'root-svc' }, why: 'a prefix matches whole elements: /docs is not a prefix of /docsx' },
    { port: 80, host: 'paths.test', path: '/Docs', expect: { route: 'shop/docs', rule: 0, backend: 'root-svc' }, why: 'paths are case-sensitive' },
    { port: 80, host: 'paths.test', path: '/docs/api', expect: { route: 'shop/docs', rule: 2, backend: 'api-svc' }, why: 'the trailing slash of the value /docs/api/ is ignored' },
    { port: 80, host: 'paths.test', path: '/docs/api/', expect: { route: 'shop/docs', rule: 2, backend: 'api-svc' } },
    { port: 80, host: 'paths.test', path: '/docs/apis', expect: { route: 'shop/docs', rule: 1, backend: 'docs-svc' } },
    { port: 80, host: 'paths.test', path: '/docs/api/index', expect: { route: 'shop/docs', rule: 3, backend: 'index-svc' }, why: 'Exact beats every prefix' },
    { port: 80, host: 'paths.test', path: '/docs/api/index/', expect: { route: 'shop/docs', rule: 2, backend: 'api-svc' }, why: 'Exact /docs/api/index does not match a trailing slash' },
    { port: 80, host: 'paths.test', path: '/exact', expect: { route: 'shop/docs', rule: 5, backend: 'exact-svc' }, why: 'Exact beats a PathPrefix of the same value listed before it' },
    { port: 80, host: 'paths.test', path: '/exact/', expect: { route: 'shop/docs', rule: 4, backend: 'exact-prefix-svc' } },
    { port: 80, host: 'paths.test', path: '/exactly', expect: { route: 'shop/docs', rule: 0, backend: 'root-svc' } },
    { port: 80, host: 'paths.test', path: '/docs/api/v1', expect: { route: 'shop/api-v1', rule: 0, backend: 'v1-svc' }, why: 'the longest prefix wins across routes, before route age' },
    { port: 80, host: 'paths.test', path: '/docs/api/v1/users', expect: { route: 'shop/api-v1', rule: 0, backend: 'v1-svc' } },
    { port: 80, host: 'paths.test', path: '/docs/api/v10', expect: { route: 'shop/docs', rule: 2, backend: 'api-svc' } },
  ],
};

/** The CRD defaults compile applies: rules, matches, path and its type. */
export const crdDefaults: GatewaySpecCase = {
  name: 'CRD defaults',
  description:
    'A rule without matches matches every request (PathPrefix /); a match without path has PathPrefix /; a path without type is a PathPrefix. Defaults count in precedence like written values.',
  manifests: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: defaults
  namespace: shop
spec:
  gatewayClassName: switchyard
  listeners:
  - name: http
    port: 80
    protocol: HTTP
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: defaults
  namespace: shop
spec:
  parentRefs:
  - name: defaults
  rules:
  - matches:
    - path:
        value: /typed-by-default
    backendRefs:
    - name: prefix-default-svc
      port: 8080
  - matches:
    - headers:
      - name: x-only-header
        value: "yes"
    backendRefs:
    - name: header-only-svc
      port: 8080
  - backendRefs:
    - name: catch-all-svc
      port: 8080
${backendServices('shop', 'prefix-default-svc', 'header-only-svc', 'catch-all-svc')}`,
  requests: [
    { port: 80, host: 'defaults.test', path: '/typed-by-default/x', expect: { route: 'shop/defaults', rule: 0, backend: 'prefix-default-svc' }, why: 'a path without type is a PathPrefix' },
    { port: 80, host: 'defaults.test', path: '/other', headers: { 'x-only-header': 'yes' }, expect: { route: 'shop/defaults', rule: 1, backend: 'header-only-svc' }, why: 'a match without path matches every path' },
    { port: 80, host: 'defaults.test', path: '/other', expect: { route: 'shop/defaults', rule: 2, backend: 'catch-all-svc' }, why: 'a rule without matches matches every request' },
    { port: 80, host: 'defaults.test', path: '/typed-by-default', headers: { 'x-only-header': 'yes' }, expect: { route: 'shop/defaults', rule: 0, backend: 'prefix-default-svc' }, why: 'the longer prefix beats the header match' },
  ],
};
