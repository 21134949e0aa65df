import { backendServices } from './backend-services.js';
import type { GatewaySpecCase } from './spec-case.js';

/** Listener isolation: gateway_types.go, GatewaySpec.Listeners ("Listener Isolation"). */
export const listenerIsolation: GatewaySpecCase = {
  name: 'listener isolation',
  description:
    'Four HTTP listeners on one port: no hostname, *.example.com, *.foo.example.com, abc.foo.example.com. A request is taken by the most specific listener whose hostname matches (exact, then the wildcard with most labels, then none) and sees only the routes attached to it, so a path served by a less specific listener is a 404 there.',
  manifests: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: isolated
  namespace: infra
spec:
  gatewayClassName: switchyard
  listeners:
  - name: no-hostname
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: All
  - name: wildcard-example
    port: 80
    protocol: HTTP
    hostname: "*.example.com"
    allowedRoutes:
      namespaces:
        from: All
  - name: wildcard-foo
    port: 80
    protocol: HTTP
    hostname: "*.foo.example.com"
    allowedRoutes:
      namespaces:
        from: All
  - name: exact-abc
    port: 80
    protocol: HTTP
    hostname: abc.foo.example.com
    allowedRoutes:
      namespaces:
        from: All
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: on-no-hostname
  namespace: shop
spec:
  parentRefs:
  - name: isolated
    namespace: infra
    sectionName: no-hostname
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /any
    backendRefs:
    - name: any-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: on-wildcard-example
  namespace: shop
spec:
  parentRefs:
  - name: isolated
    namespace: infra
    sectionName: wildcard-example
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /wild
    backendRefs:
    - name: wild-example-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: on-wildcard-foo
  namespace: shop
spec:
  parentRefs:
  - name: isolated
    namespace: infra
    sectionName: wildcard-foo
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /foo
    backendRefs:
    - name: wild-foo-svc
      port: 8080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: on-exact-abc
  namespace: shop
spec:
  parentRefs:
  - name: isolated
    namespace: infra
    sectionName: exact-abc
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /abc
    backendRefs:
    - name: abc-svc
      port: 8080
${backendServices('shop', 'any-svc', 'wild-example-svc', 'wild-foo-svc', 'abc-svc')}`,
  requests: [
    { port: 80, host: 'example.net', path: '/any', expect: { route: 'shop/on-no-hostname', rule: 0, backend: 'any-svc' } },
    { port: 80, host: 'example.net', path: '/wild', expect: { status: 404 }, why: 'only the listener without hostname takes example.net' },
    { port: 80, host: 'bar.example.com', path: '/wild', expect: { route: 'shop/on-wildcard-example', rule: 0, backend: 'wild-example-svc' } },
    { port: 80, host: 'bar.example.com', path: '/any', expect: { status: 404 }, why: 'listener isolation: *.example.com takes the request, the no-hostname listener is never tried' },
    { port: 80, host: 'example.com', path: '/any', expect: { route: 'shop/on-no-hostname', rule: 0, backend: 'any-svc' }, why: '*.example.com does not match the bare domain' },
    { port: 80, host: 'example.com', path: '/wild', expect: { status: 404 } },
    { port: 80, host: 'x.foo.example.com', path: '/foo', expect: { route: 'shop/on-wildcard-foo', rule: 0, backend: 'wild-foo-svc' } },
    { port: 80, host: 'x.foo.example.com', path: '/wild', expect: { status: 404 }, why: 'the wildcard with more labels takes it' },
    { port: 80, host: 'a.b.foo.example.com', path: '/foo', expect: { route: 'shop/on-wildcard-foo', rule: 0, backend: 'wild-foo-svc' }, why: 'a Gateway API wildcard matches one or more labels' },
    { port: 80, host: 'foo.example.com', path: '/wild', expect: { route: 'shop/on-wildcard-example', rule: 0, backend: 'wild-example-svc' }, why: '*.foo.example.com does not match foo.example.com' },
    { port: 80, host: 'abc.foo.example.com', path: '/abc', expect: { route: 'shop/on-exact-abc', rule: 0, backend: 'abc-svc' } },
    { port: 80, host: 'abc.foo.example.com', path: '/foo', expect: { status: 404 }, why: 'the exact listener takes it; the wildcard listeners are isolated from it' },
    { port: 80, host: 'ABC.Foo.Example.com:80', path: '/abc', expect: { route: 'shop/on-exact-abc', rule: 0, backend: 'abc-svc' }, why: 'hosts compare lowercased and without port' },
  ],
};
