import type { Ingress } from '@switchyard/core';

/** Where the demo services listen. */
export interface ServicePorts {
  readonly web: number;
  readonly api: readonly number[];
  readonly admin: number;
}

/**
 * The routes, written in code: the same model as a Kubernetes Ingress, so everything
 * `switchyard check` and `explain` know applies. Two Ingresses: the public one and the
 * admin one, which the auth hook protects.
 */
export function routes(): Ingress[] {
  const service = (name: string) => ({ service: { name, port: { number: 80 } } });
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'public', namespace: 'demo', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: {
        defaultBackend: service('web'),
        rules: [
          {
            host: 'app.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: service('web') },
                { path: '/api', pathType: 'Prefix', backend: service('api') },
              ],
            },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'admin', namespace: 'demo', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { rules: [{ host: 'app.example.com', http: { paths: [{ path: '/admin', pathType: 'Prefix', backend: service('admin') }] } }] },
    },
  ];
}

/** The endpoints of each backend; the api has one endpoint per zone-tagged port. */
export function endpoints(ports: ServicePorts, zones: readonly string[]) {
  return {
    'demo/web:80': [{ address: '127.0.0.1', port: ports.web }],
    'demo/api:80': ports.api.map((port, i) => ({ address: '127.0.0.1', port, zone: zones[i % zones.length]! })),
    'demo/admin:80': [{ address: '127.0.0.1', port: ports.admin }],
  };
}
