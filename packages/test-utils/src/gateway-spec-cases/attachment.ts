import { backendServices } from './backend-services.js';
import type { GatewaySpecCase } from './spec-case.js';

function route(namespace: string, name: string, path: string, backend: string, parentRef = '  - name: shared\n    namespace: infra'): string {
  return `
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  parentRefs:
${parentRef}
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: ${path}
    backendRefs:
    - name: ${backend}
      port: 8080
`;
}

/** gateway_types.go, AllowedRoutes and RouteNamespaces; shared_types.go, ParentReference.Namespace. */
export const crossNamespaceAttachment: GatewaySpecCase = {
  name: 'cross-namespace attachment and allowedRoutes',
  description:
    'Routes in three namespaces name one Gateway in another; each listener admits namespaces by allowedRoutes: Same (the default), All, Selector with matchLabels, with matchExpressions, and on the kubernetes.io/metadata.name label every namespace has. A parentRef without namespace means the route\'s own.',
  manifests: `
apiVersion: v1
kind: Namespace
metadata:
  name: infra
---
apiVersion: v1
kind: Namespace
metadata:
  name: apps
  labels:
    gateway-access: granted
    team: blue
---
apiVersion: v1
kind: Namespace
metadata:
  name: blocked
  labels:
    team: red
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared
  namespace: infra
spec:
  gatewayClassName: switchyard
  listeners:
  - name: same
    port: 80
    protocol: HTTP
    hostname: same.test
  - name: all
    port: 80
    protocol: HTTP
    hostname: all.test
    allowedRoutes:
      namespaces:
        from: All
  - name: selected
    port: 80
    protocol: HTTP
    hostname: selected.test
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchLabels:
            gateway-access: granted
  - name: expression
    port: 80
    protocol: HTTP
    hostname: expression.test
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchExpressions:
          - key: team
            operator: In
            values: [blue, green]
  - name: by-name
    port: 80
    protocol: HTTP
    hostname: by-name.test
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchLabels:
            kubernetes.io/metadata.name: apps
${route('infra', 'local', '/local', 'local-svc')}${route('apps', 'app', '/app', 'app-svc')}${route('blocked', 'blocked', '/blocked', 'blocked-svc')}${route('apps', 'own-namespace', '/own', 'own-svc', '  - name: shared')}${backendServices('infra', 'local-svc')}${backendServices('apps', 'app-svc', 'own-svc')}${backendServices('blocked', 'blocked-svc')}`,
  requests: [
    { port: 80, host: 'same.test', path: '/local', expect: { route: 'infra/local', rule: 0, backend: 'local-svc' } },
    { port: 80, host: 'same.test', path: '/app', expect: { status: 404 }, why: 'allowedRoutes defaults to Same' },
    { port: 80, host: 'all.test', path: '/local', expect: { route: 'infra/local', rule: 0, backend: 'local-svc' } },
    { port: 80, host: 'all.test', path: '/app', expect: { route: 'apps/app', rule: 0, backend: 'app-svc' } },
    { port: 80, host: 'all.test', path: '/blocked', expect: { route: 'blocked/blocked', rule: 0, backend: 'blocked-svc' } },
    { port: 80, host: 'selected.test', path: '/app', expect: { route: 'apps/app', rule: 0, backend: 'app-svc' } },
    { port: 80, host: 'selected.test', path: '/blocked', expect: { status: 404 } },
    { port: 80, host: 'selected.test', path: '/local', expect: { status: 404 }, why: 'the Gateway\'s own namespace is admitted only if the selector selects it' },
    { port: 80, host: 'expression.test', path: '/app', expect: { route: 'apps/app', rule: 0, backend: 'app-svc' } },
    { port: 80, host: 'expression.test', path: '/blocked', expect: { status: 404 }, why: 'team: red is not In [blue, green]' },
    { port: 80, host: 'by-name.test', path: '/app', expect: { route: 'apps/app', rule: 0, backend: 'app-svc' }, why: 'the API server labels every namespace kubernetes.io/metadata.name' },
    { port: 80, host: 'by-name.test', path: '/blocked', expect: { status: 404 } },
    { port: 80, host: 'all.test', path: '/own', expect: { status: 404 }, why: 'a parentRef without namespace names apps/shared, which does not exist' },
  ],
};

/** shared_types.go, ParentReference.SectionName and Port; gateway_types.go, AllowedRoutes.Kinds. */
export const sectionNameAndPort: GatewaySpecCase = {
  name: 'sectionName and port in parentRefs',
  description:
    'A parentRef with sectionName attaches to that listener only, with port to the listeners on that port, with both to a listener that has that name and that port; one without either attaches to every listener that admits it. A listener whose allowedRoutes.kinds leaves out HTTPRoute takes none.',
  manifests: `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: multi
  namespace: shop
spec:
  gatewayClassName: switchyard
  listeners:
  - name: web
    port: 80
    protocol: HTTP
  - name: alt
    port: 8080
    protocol: HTTP
  - name: admin
    port: 8080
    protocol: HTTP
    hostname: admin.test
  - name: grpc-only
    port: 8081
    protocol: HTTP
    allowedRoutes:
      kinds:
      - kind: GRPCRoute
${route('shop', 'to-web', '/web', 'web-svc', '  - name: multi\n    sectionName: web')}${route('shop', 'to-port-8080', '/port', 'port-svc', '  - name: multi\n    port: 8080')}${route('shop', 'to-admin', '/admin', 'admin-svc', '  - name: multi\n    sectionName: admin\n    port: 8080')}${route('shop', 'name-port-mismatch', '/mismatch', 'mismatch-svc', '  - name: multi\n    sectionName: web\n    port: 8080')}${route('shop', 'unknown-section', '/unknown', 'unknown-svc', '  - name: multi\n    sectionName: nope')}${route('shop', 'everywhere', '/everywhere', 'everywhere-svc', '  - name: multi')}${backendServices('shop', 'web-svc', 'port-svc', 'admin-svc', 'mismatch-svc', 'unknown-svc', 'everywhere-svc')}`,
  requests: [
    { port: 80, host: 'any.test', path: '/web', expect: { route: 'shop/to-web', rule: 0, backend: 'web-svc' } },
    { port: 8080, host: 'any.test', path: '/web', expect: { status: 404 } },
    { port: 8080, host: 'any.test', path: '/port', expect: { route: 'shop/to-port-8080', rule: 0, backend: 'port-svc' } },
    { port: 8080, host: 'admin.test', path: '/port', expect: { route: 'shop/to-port-8080', rule: 0, backend: 'port-svc' }, why: 'port 8080 names both listeners on it' },
    { port: 80, host: 'any.test', path: '/port', expect: { status: 404 } },
    { port: 8080, host: 'admin.test', path: '/admin', expect: { route: 'shop/to-admin', rule: 0, backend: 'admin-svc' } },
    { port: 8080, host: 'any.test', path: '/admin', expect: { status: 404 }, why: 'any.test goes to the alt listener' },
    { port: 80, host: 'any.test', path: '/mismatch', expect: { status: 404 }, why: 'listener web is not on port 8080' },
    { port: 8080, host: 'any.test', path: '/mismatch', expect: { status: 404 } },
    { port: 80, host: 'any.test', path: '/unknown', expect: { status: 404 } },
    { port: 80, host: 'any.test', path: '/everywhere', expect: { route: 'shop/everywhere', rule: 0, backend: 'everywhere-svc' } },
    { port: 8080, host: 'admin.test', path: '/everywhere', expect: { route: 'shop/everywhere', rule: 0, backend: 'everywhere-svc' } },
    { port: 8081, host: 'any.test', path: '/everywhere', expect: { status: 404 }, why: 'the listener admits GRPCRoutes only' },
    { port: 9090, host: 'any.test', path: '/everywhere', expect: { status: 404 }, why: 'no listener on the port' },
  ],
};
