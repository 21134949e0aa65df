import { backendServices } from './backend-services.js';
import type { GatewaySpecCase } from './spec-case.js';

/** httproute_types.go, HTTPRouteRule.Matches: path, then method, then header count, then query count. */
export const conditionPrecedence: GatewaySpecCase = {
  name: 'precedence of path, method, headers and query parameters',
  description:
    'Across routes: a longer prefix beats a method match, a method match beats any number of header matches, more header matches beat fewer, and any header match beats more query parameter matches. Route ages are set so that age would pick another route at every step.',
  manifests: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: precedence
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
  name: by-query
  namespace: shop
  creationTimestamp: "2023-01-01T00:00:00Z"
spec:
  parentRefs:
  - name: precedence
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /p
      queryParams:
      - name: q
        value: "1"
      - name: r
        value: "1"
    backendRefs:
    - name: two-query-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: by-one-header
  namespace: shop
  creationTimestamp: "2023-01-02T00:00:00Z"
spec:
  parentRefs:
  - name: precedence
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /p
      headers:
      - name: x-a
        value: "1"
    backendRefs:
    - name: one-header-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: by-two-headers
  namespace: shop
  creationTimestamp: "2023-01-03T00:00:00Z"
spec:
  parentRefs:
  - name: precedence
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /p
      headers:
      - name: x-a
        value: "1"
      - name: x-b
        value: "1"
    backendRefs:
    - name: two-headers-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: by-method
  namespace: shop
  creationTimestamp: "2023-01-04T00:00:00Z"
spec:
  parentRefs:
  - name: precedence
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /p
      method: GET
    backendRefs:
    - name: get-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: by-longer-prefix
  namespace: shop
  creationTimestamp: "2023-01-05T00:00:00Z"
spec:
  parentRefs:
  - name: precedence
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /p/longer
    backendRefs:
    - name: longer-svc
      port: 8080
${backendServices('shop', 'two-query-svc', 'one-header-svc', 'two-headers-svc', 'get-svc', 'longer-svc')}`,
  requests: [
    { port: 80, host: 'p.test', path: '/p', method: 'GET', headers: { 'x-a': '1', 'x-b': '1' }, query: 'q=1&r=1', expect: { route: 'shop/by-method', rule: 0, backend: 'get-svc' }, why: 'a method match beats header and query matches' },
    { port: 80, host: 'p.test', path: '/p', method: 'POST', headers: { 'x-a': '1', 'x-b': '1' }, expect: { route: 'shop/by-two-headers', rule: 0, backend: 'two-headers-svc' }, why: 'two header matches beat one, though that route is older' },
    { port: 80, host: 'p.test', path: '/p', method: 'POST', headers: { 'x-a': '1' }, expect: { route: 'shop/by-one-header', rule: 0, backend: 'one-header-svc' } },
    { port: 80, host: 'p.test', path: '/p', method: 'POST', headers: { 'x-a': '1' }, query: 'q=1&r=1', expect: { route: 'shop/by-one-header', rule: 0, backend: 'one-header-svc' }, why: 'one header match beats two query matches' },
    { port: 80, host: 'p.test', path: '/p', method: 'POST', query: 'q=1&r=1', expect: { route: 'shop/by-query', rule: 0, backend: 'two-query-svc' } },
    { port: 80, host: 'p.test', path: '/p', method: 'POST', expect: { status: 404 }, why: 'every rule on /p has a condition the request misses' },
    { port: 80, host: 'p.test', path: '/p/longer', method: 'GET', headers: { 'x-a': '1', 'x-b': '1' }, expect: { route: 'shop/by-longer-prefix', rule: 0, backend: 'longer-svc' }, why: 'the longer prefix beats method and headers' },
    { port: 80, host: 'p.test', path: '/p/x', method: 'PUT', headers: { 'X-A': '1' }, expect: { route: 'shop/by-one-header', rule: 0, backend: 'one-header-svc' } },
  ],
};

/** httproute_types.go, HTTPRouteRule.Matches: the tie-breaks after the match criteria. */
export const tieBreaks: GatewaySpecCase = {
  name: 'route age, namespace/name and rule order',
  description:
    'Equal matches go to the oldest route by creationTimestamp, then to the first by "{namespace}/{name}", then to the first rule of the route; a more specific match in a later rule still wins.',
  manifests: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ties
  namespace: infra
spec:
  gatewayClassName: switchyard
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: All
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: zeta
  namespace: shop
  creationTimestamp: "2023-01-01T00:00:00Z"
spec:
  parentRefs:
  - name: ties
    namespace: infra
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /same
    backendRefs:
    - name: zeta-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: alpha
  namespace: shop
  creationTimestamp: "2023-06-01T00:00:00Z"
spec:
  parentRefs:
  - name: ties
    namespace: infra
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /same
    backendRefs:
    - name: alpha-same-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /tie
    backendRefs:
    - name: alpha-tie-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: beta
  namespace: shop
  creationTimestamp: "2023-06-01T00:00:00Z"
spec:
  parentRefs:
  - name: ties
    namespace: infra
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /tie
    backendRefs:
    - name: beta-tie-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /tie2
    backendRefs:
    - name: beta-tie2-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: gamma
  namespace: apps
  creationTimestamp: "2023-06-01T00:00:00Z"
spec:
  parentRefs:
  - name: ties
    namespace: infra
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /tie2
    backendRefs:
    - name: gamma-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ordered
  namespace: shop
  creationTimestamp: "2023-07-01T00:00:00Z"
spec:
  parentRefs:
  - name: ties
    namespace: infra
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /order
    backendRefs:
    - name: first-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /order/
    backendRefs:
    - name: second-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /order/deep
    backendRefs:
    - name: deep-svc
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /order/deep
    backendRefs:
    - name: deep-again-svc
      port: 8080
${backendServices('shop', 'zeta-svc', 'alpha-same-svc', 'alpha-tie-svc', 'beta-tie-svc', 'beta-tie2-svc', 'first-svc', 'second-svc', 'deep-svc', 'deep-again-svc')}${backendServices('apps', 'gamma-svc')}`,
  requests: [
    { port: 80, host: 'ties.test', path: '/same', expect: { route: 'shop/zeta', rule: 0, backend: 'zeta-svc' }, why: 'the oldest route wins, whatever its name' },
    { port: 80, host: 'ties.test', path: '/tie', expect: { route: 'shop/alpha', rule: 1, backend: 'alpha-tie-svc' }, why: 'same age: shop/alpha before shop/beta, though beta lists it in an earlier rule' },
    { port: 80, host: 'ties.test', path: '/tie2', expect: { route: 'apps/gamma', rule: 0, backend: 'gamma-svc' }, why: 'same age: apps/gamma before shop/beta (namespace first)' },
    { port: 80, host: 'ties.test', path: '/order/x', expect: { route: 'shop/ordered', rule: 1, backend: 'second-svc' }, why: 'both match the same paths, but the spec counts characters: /order/ has more' },
    { port: 80, host: 'ties.test', path: '/order/deep/x', expect: { route: 'shop/ordered', rule: 2, backend: 'deep-svc' }, why: 'precedence before rule order; of two equal rules, the first' },
    { port: 80, host: 'ties.test', path: '/order', expect: { route: 'shop/ordered', rule: 1, backend: 'second-svc' }, why: 'the trailing slash of /order/ is ignored in matching, not in counting characters' },
  ],
};
