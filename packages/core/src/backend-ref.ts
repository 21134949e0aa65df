import type { IngressBackend } from './model.js';

/** A Service backend: the Ingress shape plus the Ingress's namespace. */
export interface ServiceBackendRef {
  readonly namespace: string;
  readonly service: {
    readonly name: string;
    readonly port: { readonly number: number } | { readonly name: string };
  };
}

/** A resource backend (an object of another API group), passed through as written. */
export interface ResourceBackendRef {
  readonly namespace: string;
  readonly resource: { readonly apiGroup?: string; readonly kind: string; readonly name: string };
}

/** What a route points at. Discovery resolves it; the route table never holds addresses. */
export type BackendRef = ServiceBackendRef | ResourceBackendRef;

/**
 * A stable string key for a backend, the same for every route that names it:
 * `namespace/service:port` (port number or name) or `namespace/kind.apiGroup/name` for
 * resource backends. Discovery and the router index endpoint sets by it.
 */
export function backendKey(backend: BackendRef): string {
  if ('service' in backend) {
    const port = 'number' in backend.service.port ? backend.service.port.number : backend.service.port.name;
    return `${backend.namespace}/${backend.service.name}:${port}`;
  }
  const { apiGroup, kind, name } = backend.resource;
  return `${backend.namespace}/${kind}${apiGroup ? `.${apiGroup}` : ''}/${name}`;
}

/**
 * Builds frozen backend refs from validated Ingress backends, one object per distinct
 * backend, so every route to the same backend shares it.
 */
export class BackendInterner {
  private readonly refs = new Map<string, BackendRef>();

  intern(namespace: string, backend: IngressBackend): BackendRef {
    const ref = toBackendRef(namespace, backend);
    const key = backendKey(ref);
    const known = this.refs.get(key);
    if (known) return known;
    this.refs.set(key, ref);
    return ref;
  }
}

function toBackendRef(namespace: string, backend: IngressBackend): BackendRef {
  if (backend.service) {
    const { name, port } = backend.service;
    const portRef = port.name ? { name: port.name } : { number: port.number as number };
    return Object.freeze({ namespace, service: Object.freeze({ name, port: Object.freeze(portRef) }) });
  }
  const { apiGroup, kind, name } = backend.resource!;
  const resource = apiGroup ? { apiGroup, kind, name } : { kind, name };
  return Object.freeze({ namespace, resource: Object.freeze(resource) });
}
