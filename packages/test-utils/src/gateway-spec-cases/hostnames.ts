import { backendServices } from './backend-services.js';
import type { GatewaySpecCase } from './spec-case.js';

/** httproute_types.go, HTTPRouteSpec.Hostnames: the intersection with the listener hostname. */
export const hostnameIntersection: GatewaySpecCase = {
  name: 'hostname intersection',
  description:
    'Routes without sectionName attach to every listener whose hostname intersects theirs; only the intersecting hostnames count, and a route whose hostnames intersect none of the listener it names does not attach there (Accepted False, NoMatchingListenerHostname).',
  manifests: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: intersect
  namespace: infra
spec:
  gatewayClassName: switchyard
  listeners:
  - name: specific
    port: 80
    protocol: HTTP
    hostname: app.example.test
    allowedRoutes:
      namespaces:
        from: All
  - name: wildcard
    port: 80
    protocol: HTTP
    hostname: "*.wild.test"
    allowedRoutes:
      namespaces:
        from: All
  - name: open
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: All
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: exact-host
  namespace: shop
spec:
  parentRefs:
  - name: intersect
    namespace: infra
  hostnames:
  - app.example.test
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /a
    backendRefs:
    - name: a-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: wildcard-over-specific
  namespace: shop
spec:
  parentRefs:
  - name: intersect
    namespace: infra
  hostnames:
  - "*.example.test"
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /b
    backendRefs:
    - name: b-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: inside-wildcard
  namespace: shop
spec:
  parentRefs:
  - name: intersect
    namespace: infra
  hostnames:
  - one.wild.test
  - "*.deep.wild.test"
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /c
    backendRefs:
    - name: c-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: no-intersection
  namespace: shop
spec:
  parentRefs:
  - name: intersect
    namespace: infra
    sectionName: specific
  hostnames:
  - other.example.test
  - elsewhere.test
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /d
    backendRefs:
    - name: d-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: partly-intersecting
  namespace: shop
spec:
  parentRefs:
  - name: intersect
    namespace: infra
    sectionName: specific
  hostnames:
  - app.elsewhere.test
  - app.example.test
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /e
    backendRefs:
    - name: e-svc
      port: 8080
${backendServices('shop', 'a-svc', 'b-svc', 'c-svc', 'd-svc', 'e-svc')}`,
  requests: [
    { port: 80, host: 'app.example.test', path: '/a', expect: { route: 'shop/exact-host', rule: 0, backend: 'a-svc' } },
    { port: 80, host: 'App.Example.Test:80', path: '/a', expect: { route: 'shop/exact-host', rule: 0, backend: 'a-svc' } },
    { port: 80, host: 'app.example.test', path: '/b', expect: { route: 'shop/wildcard-over-specific', rule: 0, backend: 'b-svc' }, why: '*.example.test intersects the listener app.example.test as app.example.test' },
    { port: 80, host: 'app.example.test', path: '/c', expect: { status: 404 }, why: 'inside-wildcard has no hostname in common with the specific listener, which is isolated' },
    { port: 80, host: 'app.example.test', path: '/d', expect: { status: 404 }, why: 'no-intersection does not attach: none of its hostnames intersect app.example.test' },
    { port: 80, host: 'app.example.test', path: '/e', expect: { route: 'shop/partly-intersecting', rule: 0, backend: 'e-svc' }, why: 'one intersecting hostname is enough; the other is ignored' },
    { port: 80, host: 'one.wild.test', path: '/c', expect: { route: 'shop/inside-wildcard', rule: 0, backend: 'c-svc' } },
    { port: 80, host: 'x.deep.wild.test', path: '/c', expect: { route: 'shop/inside-wildcard', rule: 0, backend: 'c-svc' } },
    { port: 80, host: 'deep.wild.test', path: '/c', expect: { status: 404 }, why: 'the *.wild.test listener takes it, but *.deep.wild.test does not match its own domain and one.wild.test is another host' },
    { port: 80, host: 'two.wild.test', path: '/c', expect: { status: 404 } },
    { port: 80, host: 'other.example.test', path: '/b', expect: { route: 'shop/wildcard-over-specific', rule: 0, backend: 'b-svc' }, why: 'the open listener takes it and keeps the route hostname *.example.test' },
    { port: 80, host: 'other.example.test', path: '/d', expect: { status: 404 }, why: 'no-intersection names the specific listener only' },
    { port: 80, host: 'example.test', path: '/b', expect: { status: 404 }, why: '*.example.test does not match the bare domain' },
    { port: 80, host: 'app.elsewhere.test', path: '/e', expect: { status: 404 }, why: 'partly-intersecting is attached to the specific listener only, and app.elsewhere.test was dropped from it' },
  ],
};

/** Wildcards match one or more labels, and hostname specificity comes before path specificity. */
export const wildcardHostnames: GatewaySpecCase = {
  name: 'wildcard hostnames and hostname precedence',
  description:
    'On a listener without hostname, *.example.com matches one or more labels but not example.com; among routes whose hostnames match, the one with the longest exact hostname wins, then the longest wildcard, before any path comparison (HTTPRouteSpec.Hostnames).',
  manifests: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: wild
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
  name: wildcard
  namespace: shop
  creationTimestamp: "2023-01-01T00:00:00Z"
spec:
  parentRefs:
  - name: wild
  hostnames:
  - "*.example.com"
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /long/path
    backendRefs:
    - name: wild-long-svc
      port: 8080
  - backendRefs:
    - name: wild-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: deeper-wildcard
  namespace: shop
  creationTimestamp: "2023-01-02T00:00:00Z"
spec:
  parentRefs:
  - name: wild
  hostnames:
  - "*.b.example.com"
  rules:
  - backendRefs:
    - name: deep-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: exact
  namespace: shop
  creationTimestamp: "2023-01-03T00:00:00Z"
spec:
  parentRefs:
  - name: wild
  hostnames:
  - a.b.example.com
  rules:
  - backendRefs:
    - name: exact-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bare
  namespace: shop
  creationTimestamp: "2023-01-04T00:00:00Z"
spec:
  parentRefs:
  - name: wild
  hostnames:
  - example.com
  rules:
  - backendRefs:
    - name: bare-svc
      port: 8080
${backendServices('shop', 'wild-long-svc', 'wild-svc', 'deep-svc', 'exact-svc', 'bare-svc')}`,
  requests: [
    { port: 80, host: 'y.example.com', path: '/', expect: { route: 'shop/wildcard', rule: 1, backend: 'wild-svc' } },
    { port: 80, host: 'y.example.com', path: '/long/path/x', expect: { route: 'shop/wildcard', rule: 0, backend: 'wild-long-svc' } },
    { port: 80, host: 'w.x.y.example.com', path: '/', expect: { route: 'shop/wildcard', rule: 1, backend: 'wild-svc' }, why: 'one or more labels' },
    { port: 80, host: 'example.com', path: '/', expect: { route: 'shop/bare', rule: 0, backend: 'bare-svc' }, why: 'the wildcard does not match the bare domain' },
    { port: 80, host: 'notexample.com', path: '/', expect: { status: 404 }, why: 'a suffix match is on whole labels' },
    { port: 80, host: 'b.example.com', path: '/', expect: { route: 'shop/wildcard', rule: 1, backend: 'wild-svc' }, why: '*.b.example.com does not match b.example.com' },
    { port: 80, host: 'x.b.example.com', path: '/', expect: { route: 'shop/deeper-wildcard', rule: 0, backend: 'deep-svc' }, why: 'the longer matching hostname wins, though the other route is older' },
    { port: 80, host: 'a.b.example.com', path: '/', expect: { route: 'shop/exact', rule: 0, backend: 'exact-svc' }, why: 'a matching non-wildcard hostname beats every wildcard' },
    { port: 80, host: 'a.b.example.com', path: '/long/path', expect: { route: 'shop/exact', rule: 0, backend: 'exact-svc' }, why: 'hostname specificity comes before the longer path prefix' },
  ],
};
