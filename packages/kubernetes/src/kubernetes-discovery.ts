import { StaticDiscovery, type BackendRef, type Discovery, type EndpointSet, type ExternalNameResolver } from '@switchyard/core';
import { Coalescer } from './coalesce.js';
import type { KubeError } from './errors.js';
import type { KubeConnection } from './kube-client.js';
import { Reflector, type ReflectorOptions, type ReflectorStatus } from './reflector.js';

const SERVICE = { apiVersion: 'v1', kind: 'Service' };
const ENDPOINT_SLICE = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' };

export interface KubernetesDiscoveryOptions {
  readonly connection: KubeConnection;
  /** Namespaces to watch; all when omitted. */
  readonly namespaces?: readonly string[];
  /** Resolves ExternalName Services (`@switchyard/dns`). */
  readonly externalNames?: ExternalNameResolver;
  /** Quiet time before a burst of changes is applied. Default 50 ms. */
  readonly debounceMs?: number;
  /** Passed to every reflector (timeouts, backoff). */
  readonly reflector?: Partial<Pick<ReflectorOptions, 'pageSize' | 'watchTimeoutSeconds' | 'inactivityTimeoutMs' | 'backoff'>>;
  /** Hears every failure the watch loops recover from; by default a line on stderr. */
  readonly onError?: (error: KubeError) => void;
}

/**
 * Live endpoints from the API server: Services and EndpointSlices kept by reflectors (list
 * and watch, never stopping), resolved with the same rules as `StaticDiscovery` (which it
 * feeds: see `resolveServiceBackend`). Bursts of events coalesce into one update; only sets
 * that changed are pushed. While the API server is unreachable the last state keeps serving
 * and `status()` and `onError` say why. A Service or slice that is deleted empties the set.
 */
export class KubernetesDiscovery implements Discovery {
  private readonly resolver: StaticDiscovery;
  private readonly services: Reflector[];
  private readonly slices: Reflector[];
  private readonly coalescer: Coalescer;

  constructor(private readonly options: KubernetesDiscoveryOptions) {
    this.resolver = new StaticDiscovery(options.externalNames ? { externalNames: options.externalNames } : {});
    this.coalescer = new Coalescer(() => this.refresh(), options.debounceMs ?? 50);
    const make = (path: string, objectType: { apiVersion: string; kind: string }, labelSelector?: string) =>
      new Reflector({
        ...options.reflector,
        connection: options.connection,
        path,
        objectType,
        ...(labelSelector ? { labelSelector } : {}),
        onChange: () => this.coalescer.schedule(),
        ...(options.onError ? { onError: options.onError } : {}),
      });
    const namespaces = options.namespaces ?? [undefined];
    this.services = namespaces.map((ns) => make(ns ? `/api/v1/namespaces/${ns}/services` : '/api/v1/services', SERVICE));
    this.slices = namespaces.map((ns) =>
      make(ns ? `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices` : '/apis/discovery.k8s.io/v1/endpointslices', ENDPOINT_SLICE, 'kubernetes.io/service-name'),
    );
    for (const reflector of [...this.services, ...this.slices]) reflector.start();
  }

  watch(backend: BackendRef, onChange: (set: EndpointSet) => void): () => void {
    return this.resolver.watch(backend, onChange);
  }

  /** Resolves once every collection has been listed and applied. */
  async ready(): Promise<void> {
    await Promise.all([...this.services, ...this.slices].map((r) => r.synced()));
    this.coalescer.flush();
  }

  /** The state of each list+watch loop, for logs and the admin endpoint. */
  status(): Record<string, ReflectorStatus> {
    const entries = [...this.services, ...this.slices].map((r, i) => [i < this.services.length ? `services#${i}` : `endpointslices#${i - this.services.length}`, r.status()] as const);
    return Object.fromEntries(entries);
  }

  async close(): Promise<void> {
    this.coalescer.cancel();
    await Promise.all([...this.services, ...this.slices].map((r) => r.stop()));
    await this.resolver.close();
  }

  private refresh(): void {
    const objects = [...this.services, ...this.slices].flatMap((r) => [...r.store.values()]);
    this.resolver.update({ objects, ...(this.options.externalNames ? { externalNames: this.options.externalNames } : {}) });
  }
}
