import { StaticDiscovery, type AddressPolicy, type BackendRef, type Discovery, type EndpointSet, type ExternalNameResolver } from '@switchyard/core';
import { Coalescer } from './coalesce.js';
import { collectionPath } from './collection-path.js';
import type { Reflector, ReflectorStatus } from './reflector.js';
import { ReflectorGroup, type SharedCollection } from './shared-collection.js';
import type { KubeSourceOptions } from './source-options.js';
import { startReflector } from './start-reflector.js';

const SERVICE = { apiVersion: 'v1', kind: 'Service' };
const ENDPOINT_SLICE = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' };
const DEFAULT_DEBOUNCE_MS = 50;

export interface KubernetesDiscoveryOptions extends KubeSourceOptions {
  /** Resolves ExternalName Services (`@switchyard/dns`). */
  readonly externalNames?: ExternalNameResolver;
  /** The ExternalName Services resolved, by name: exact, `*.domain` or `*` (core's `StaticDiscoveryOptions.allowExternalNames`). None by default. */
  readonly allowExternalNames?: readonly string[];
  /** The addresses an ExternalName may resolve to (core's `AddressPolicy`); default: all but the link-local ranges. */
  readonly addressPolicy?: AddressPolicy;
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
  private readonly services: ReflectorGroup;
  private readonly slices: Reflector[];
  private readonly coalescer: Coalescer;

  constructor(private readonly options: KubernetesDiscoveryOptions) {
    // The allow list and the address policy are given once; StaticDiscovery keeps them across updates.
    this.resolver = new StaticDiscovery({
      ...(options.externalNames ? { externalNames: options.externalNames } : {}),
      ...(options.allowExternalNames === undefined ? {} : { allowExternalNames: options.allowExternalNames }),
      ...(options.addressPolicy === undefined ? {} : { addressPolicy: options.addressPolicy }),
    });
    this.coalescer = new Coalescer(() => this.refresh(), options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    const changed = () => this.coalescer.schedule();
    const namespaces = options.namespaces ?? [undefined];
    this.services = new ReflectorGroup('services', (onServices) =>
      namespaces.map((ns) => startReflector(options, collectionPath('/api/v1', 'services', ns), SERVICE, onServices)),
    );
    this.services.onChange(changed);
    this.slices = namespaces.map((ns) =>
      startReflector(options, collectionPath('/apis/discovery.k8s.io/v1', 'endpointslices', ns), ENDPOINT_SLICE, changed, { labelSelector: 'kubernetes.io/service-name' }),
    );
  }

  watch(backend: BackendRef, onChange: (set: EndpointSet) => void): () => void {
    return this.resolver.watch(backend, onChange);
  }

  /** The Services watched here, for another source that needs them (a `GatewayApiSource`): one watch, not two. */
  sharedServices(): SharedCollection {
    return this.services;
  }

  /** Resolves once every collection has been listed and applied. */
  async ready(): Promise<void> {
    await Promise.all([this.services.synced(), ...this.slices.map((r) => r.synced())]);
    this.coalescer.flush();
  }

  /** The state of each list+watch loop, for logs and the admin endpoint. */
  status(): Record<string, ReflectorStatus> {
    return Object.fromEntries([
      ...Object.entries(this.services.status()),
      ...this.slices.map((r, i) => [`endpointslices#${i}`, r.status()] as const),
    ]);
  }

  async close(): Promise<void> {
    this.coalescer.cancel();
    await Promise.all([this.services.stop(), ...this.slices.map((r) => r.stop())]);
    await this.resolver.close();
  }

  private refresh(): void {
    const objects = [...this.services.reflectors, ...this.slices].flatMap((r) => [...r.store.values()]);
    this.resolver.update({ objects, ...(this.options.externalNames ? { externalNames: this.options.externalNames } : {}) });
  }
}
