import { DEFAULT_ADDRESS_POLICY, type AddressPolicy } from '../address-policy.js';
import { backendKey } from '../backend-ref.js';
import { SwitchyardError } from '../errors.js';
import { sameObjects } from '../same-objects.js';
import { DEFAULT_NAMESPACE } from '../ingress/object-ref.js';
import type { BackendRef } from '../backend-ref.js';
import type { KubernetesObject } from '../model.js';
import type { Discovery } from './discovery.js';
import type { Endpoint, EndpointSet } from './endpoint-set.js';
import { EndpointSetStore } from './endpoint-set-store.js';
import { createExternalNameAllowList, externalNameDeniedMessage, type ExternalNameAllowList } from './external-name-allow-list.js';
import { byAddressAndPort, resolveServiceBackend, type UnsupportedAppProtocol } from './resolve-service-backend.js';
import { SERVICE_NAME_LABEL, type EndpointSlice, type Service } from './kubernetes-types.js';
import type { UpstreamProtocol } from './upstream-protocol.js';

/** An endpoint written in code; conditions default to ready and serving. */
export interface EndpointInput {
  readonly address: string;
  readonly port: number;
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
  readonly zone?: string;
  readonly weight?: number;
  /** The DNS name the address stands for; a proxy sends it as the Host (see `Endpoint.externalName`). */
  readonly externalName?: string;
  /** How to talk to it; HTTP/1.1 when absent (see `Endpoint.protocol`). */
  readonly protocol?: UpstreamProtocol;
}

/** Resolves the hostname of an ExternalName Service; `@switchyard/dns` provides one. */
export interface ExternalNameResolver {
  watchName(hostname: string, port: number, onChange: (set: EndpointSet) => void, options?: { backendKey?: string }): () => void;
}

export interface StaticDiscoveryOptions {
  /** Kubernetes objects, as `loadManifests` returns them: Services and EndpointSlices are read, others ignored. */
  readonly objects?: ReadonlyArray<KubernetesObject | Service | EndpointSlice>;
  /** Endpoints written in code, by backend key (`namespace/service:port`, see `backendKey`). They win over objects. */
  readonly endpoints?: Readonly<Record<string, readonly EndpointInput[]>>;
  /** Resolves ExternalName Services; without it they report `SWY_DISCOVERY_EXTERNAL_NAME_UNSUPPORTED`. */
  readonly externalNames?: ExternalNameResolver;
  /**
   * The ExternalName Services to resolve, by their `spec.externalName`: exact names,
   * `*.example.com` (any name under it, not `example.com` itself) or `*` for all
   * (`createExternalNameAllowList`). None by default: the others get an empty set with
   * `SWY_DISCOVERY_EXTERNAL_NAME_DENIED`. Kept across `update` unless given again.
   */
  readonly allowExternalNames?: readonly string[];
  /**
   * The addresses an ExternalName may resolve to: answers it denies are left out of the set,
   * which then says `SWY_DISCOVERY_ADDRESS_DENIED`. Default `DEFAULT_ADDRESS_POLICY` (the
   * link-local ranges, always denied). Give the proxy the same policy. Kept across `update` unless given again.
   */
  readonly addressPolicy?: AddressPolicy;
}

/**
 * Discovery from a fixed description: Services and EndpointSlices read from manifests (the
 * same rules as the live Kubernetes backend, see `resolveServiceBackend`), or endpoints
 * written in code. `update` swaps the description and pushes what changed to the watchers,
 * so a caller can reload files. A backend it cannot resolve gets an empty set with a
 * `problem` naming why (no Service, no such port), never a guess.
 */
export class StaticDiscovery implements Discovery {
  private readonly store = new EndpointSetStore();
  private readonly refs = new Map<string, BackendRef>();
  private readonly externalWatches = new Map<string, { readonly target: string; readonly stop: () => void }>();
  /** What each watched Service backend was last resolved from: an update whose objects are the same ones skips it. */
  private readonly resolvedFrom = new Map<string, ResolvedFrom>();
  /** The Services and EndpointSlices the maps below were made of (`readObjects`), in order. */
  private read: readonly KubernetesObject[] = [];
  private services = new Map<string, Service>();
  private slices = new Map<string, EndpointSlice[]>();
  /** The watched Service backends by their Service (`namespace/name`): an update resolves those whose objects changed. */
  private readonly watchedByService = new Map<string, Set<string>>();
  private endpoints: Readonly<Record<string, readonly EndpointInput[]>> = NO_ENDPOINTS;
  private externalNames: ExternalNameResolver | undefined;
  private allowList: ExternalNameAllowList = createExternalNameAllowList([]);
  private addressPolicy: AddressPolicy = DEFAULT_ADDRESS_POLICY;
  private closed = false;

  constructor(options: StaticDiscoveryOptions = {}) {
    this.load(options);
  }

  watch(backend: BackendRef, onChange: (set: EndpointSet) => void): () => void {
    if (this.closed) throw new SwitchyardError('SWY_DISCOVERY_CLOSED', 'StaticDiscovery.watch() after close()');
    const key = backendKey(backend);
    const first = !this.store.isWatched(key);
    this.refs.set(key, backend);
    const service = serviceKeyOf(backend);
    if (first && service !== undefined) {
      const keys = this.watchedByService.get(service);
      if (keys === undefined) this.watchedByService.set(service, new Set([key]));
      else keys.add(key);
    }
    const unsubscribe = this.store.subscribe(key, onChange);
    if (first) this.resolve(key, backend);
    return () => {
      unsubscribe();
      if (!this.store.isWatched(key)) {
        this.refs.delete(key);
        this.resolvedFrom.delete(key);
        this.stopExternal(key);
        const keys = service === undefined ? undefined : this.watchedByService.get(service);
        if (keys !== undefined && keys.delete(key) && keys.size === 0) this.watchedByService.delete(service!);
      }
    };
  }

  /**
   * Replaces the description and pushes every watched backend whose set changed. Only the
   * backends of Services whose Service or EndpointSlice objects are not the very ones they were
   * (a reload keeps the objects of unchanged files) are resolved again, unless the endpoints
   * written in code, the resolver, an allow list or an address policy are given anew: then all are.
   */
  update(options: StaticDiscoveryOptions): void {
    if (this.closed) throw new SwitchyardError('SWY_DISCOVERY_CLOSED', 'StaticDiscovery.update() after close()');
    const before = { services: this.services, slices: this.slices, endpoints: this.endpoints, externalNames: this.externalNames };
    this.load(options);
    // A new allow list or address policy may change what an ExternalName resolves to.
    const policies = options.allowExternalNames !== undefined || options.addressPolicy !== undefined;
    if (policies) this.resolvedFrom.clear();
    if (policies || this.endpoints !== before.endpoints || this.externalNames !== before.externalNames) {
      for (const [key, backend] of this.refs) this.resolve(key, backend);
      return;
    }
    // The same objects: every backend resolves to what it has.
    if (this.services === before.services && this.slices === before.slices) return;
    // The others would resolve to what they have (see `resolvedFrom`): not looked at.
    for (const service of changedServices(before, this.services, this.slices)) {
      for (const key of this.watchedByService.get(service) ?? []) this.resolve(key, this.refs.get(key)!);
    }
  }

  /** Static data is complete from the start. */
  ready(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const key of [...this.externalWatches.keys()]) this.stopExternal(key);
    this.refs.clear();
    this.watchedByService.clear();
    this.resolvedFrom.clear();
    this.store.clear();
  }

  private load(options: StaticDiscoveryOptions): void {
    // Checked first: a bad pattern throws before anything is replaced.
    if (options.allowExternalNames !== undefined) this.allowList = createExternalNameAllowList(options.allowExternalNames);
    if (options.addressPolicy !== undefined && options.addressPolicy !== this.addressPolicy) {
      this.addressPolicy = options.addressPolicy;
      // Answers already published were filtered by the old policy: resolve them again.
      for (const key of [...this.externalWatches.keys()]) this.stopExternal(key);
    }
    const read = readObjects(options.objects ?? []);
    // The very objects of the last load (a reload whose changed files hold none): the maps hold.
    if (!sameObjects(read, this.read)) {
      this.read = read;
      this.services = new Map();
      this.slices = new Map();
      for (const object of read) {
        const namespace = object.metadata?.namespace || DEFAULT_NAMESPACE;
        if (object.kind === 'Service') {
          this.services.set(`${namespace}/${object.metadata!.name!}`, object as unknown as Service);
        } else {
          const key = `${namespace}/${object.metadata!.labels![SERVICE_NAME_LABEL]!}`;
          const list = this.slices.get(key);
          if (list === undefined) this.slices.set(key, [object as unknown as EndpointSlice]);
          else list.push(object as unknown as EndpointSlice);
        }
      }
    }
    this.endpoints = options.endpoints ?? NO_ENDPOINTS;
    this.externalNames = options.externalNames;
  }

  private resolve(key: string, backend: BackendRef): void {
    const written = this.endpoints[key];
    if (written !== undefined) {
      this.resolvedFrom.delete(key);
      this.stopExternal(key);
      this.store.publish(key, written.map(toEndpoint).sort(byAddressAndPort));
      return;
    }
    if (!('service' in backend)) {
      this.store.publish(key, [], problem('SWY_DISCOVERY_RESOURCE_BACKEND', `${key} is a resource backend, which has no endpoints to discover`));
      return;
    }
    const serviceKey = serviceKeyOf(backend)!;
    const service = this.services.get(serviceKey);
    const slices = this.slices.get(serviceKey) ?? NO_SLICES;
    const before = this.resolvedFrom.get(key);
    if (before !== undefined && before.service === service && sameObjects(before.slices, slices)) return;
    this.resolvedFrom.set(key, { service, slices });
    const resolution = resolveServiceBackend(backend, service, slices);
    if (resolution.kind === 'endpoints') {
      this.stopExternal(key);
      const unsupported = resolution.unsupported;
      this.store.publish(key, resolution.endpoints, unsupported === undefined ? undefined : appProtocolProblem(unsupported));
    } else if (resolution.kind === 'problem') {
      this.stopExternal(key);
      this.store.publish(key, [], problem(resolution.code, resolution.message));
    } else {
      this.watchExternal(key, serviceKey, resolution.hostname, resolution.port, resolution.protocol);
    }
  }

  private watchExternal(key: string, service: string, hostname: string, port: number, protocol: UpstreamProtocol): void {
    // Before any DNS query: a name nobody allowed is not even looked up.
    if (!this.allowList.allows(hostname)) {
      this.stopExternal(key);
      this.store.publish(key, [], problem('SWY_DISCOVERY_EXTERNAL_NAME_DENIED', externalNameDeniedMessage(service, hostname)));
      return;
    }
    const target = `${hostname}:${port} ${protocol}`;
    if (this.externalWatches.get(key)?.target === target) return;
    this.stopExternal(key);
    if (this.externalNames === undefined) {
      this.store.publish(key, [], problem('SWY_DISCOVERY_EXTERNAL_NAME_UNSUPPORTED', `${key} is an ExternalName Service (${hostname}); give StaticDiscovery an externalNames resolver such as @switchyard/dns`));
      return;
    }
    const stop = this.externalNames.watchName(hostname, port, (set) => this.publishResolved(key, service, hostname, protocol, set), { backendKey: key });
    this.externalWatches.set(key, { target, stop });
  }

  /** A resolver's answer for an ExternalName, without the addresses the policy denies (never made into endpoints). */
  private publishResolved(key: string, service: string, hostname: string, protocol: UpstreamProtocol, set: EndpointSet): void {
    const policy = this.addressPolicy;
    const endpoints: Endpoint[] = [];
    const denied: string[] = [];
    for (const endpoint of set.endpoints) {
      const denial = policy.check(endpoint.address);
      if (denial !== undefined) denied.push(denial.message);
      else endpoints.push(protocol === 'http1' ? endpoint : { ...endpoint, protocol });
    }
    if (denied.length === 0) return this.store.publish(key, endpoints, set.problem, set.stale);
    const message = `ExternalName Service ${service} (spec.externalName ${hostname}) resolved to addresses the gateway never connects to, left out: ${denied.join('; ')}`;
    this.store.publish(key, endpoints, problem('SWY_DISCOVERY_ADDRESS_DENIED', message), set.stale);
  }

  private stopExternal(key: string): void {
    const watch = this.externalWatches.get(key);
    if (watch === undefined) return;
    this.externalWatches.delete(key);
    watch.stop();
  }
}

interface ResolvedFrom {
  readonly service: Service | undefined;
  readonly slices: readonly EndpointSlice[];
}

const NO_SLICES: readonly EndpointSlice[] = Object.freeze([]);
const NO_ENDPOINTS: Readonly<Record<string, readonly EndpointInput[]>> = Object.freeze({});

/** The Service a backend resolves through (`namespace/name`); undefined for a resource backend. */
function serviceKeyOf(backend: BackendRef): string | undefined {
  return 'service' in backend ? `${backend.namespace}/${backend.service.name}` : undefined;
}

/** The objects discovery reads, in order: `v1` Services with a name, `discovery.k8s.io/v1` EndpointSlices with a Service label. */
function readObjects(objects: ReadonlyArray<KubernetesObject | Service | EndpointSlice>): KubernetesObject[] {
  const read: KubernetesObject[] = [];
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i] as KubernetesObject;
    if (isNamedService(object) || isLabelledSlice(object)) read.push(object);
  }
  return read;
}

function isNamedService(object: KubernetesObject): boolean {
  return object.kind === 'Service' && object.apiVersion === 'v1' && !!object.metadata?.name;
}

function isLabelledSlice(object: KubernetesObject): boolean {
  return object.kind === 'EndpointSlice' && object.apiVersion === 'discovery.k8s.io/v1' && !!object.metadata?.labels?.[SERVICE_NAME_LABEL];
}

/** The Services (`namespace/name`) whose Service object or EndpointSlice objects are not the same objects as `before`'s. */
function changedServices(
  before: { readonly services: ReadonlyMap<string, Service>; readonly slices: ReadonlyMap<string, readonly EndpointSlice[]> },
  services: ReadonlyMap<string, Service>,
  slices: ReadonlyMap<string, readonly EndpointSlice[]>,
): Set<string> {
  const changed = new Set<string>();
  for (const [key, service] of services) if (before.services.get(key) !== service) changed.add(key);
  for (const key of before.services.keys()) if (!services.has(key)) changed.add(key);
  for (const [key, list] of slices) {
    const old = before.slices.get(key);
    if (old === undefined || !sameObjects(old, list)) changed.add(key);
  }
  for (const key of before.slices.keys()) if (!slices.has(key)) changed.add(key);
  return changed;
}

/** An endpoint written in code, its conditions defaulted: ready, serving as ready, not terminating. */
export function toEndpoint(input: EndpointInput): Endpoint {
  const ready = input.ready ?? true;
  return {
    address: input.address,
    port: input.port,
    ready,
    serving: input.serving ?? ready,
    terminating: input.terminating ?? false,
    ...(input.zone === undefined ? {} : { zone: input.zone }),
    ...(input.weight === undefined ? {} : { weight: input.weight }),
    ...(input.externalName === undefined ? {} : { externalName: input.externalName }),
    ...(input.protocol === undefined || input.protocol === 'http1' ? {} : { protocol: input.protocol }),
  };
}

/** The set's problem for an appProtocol that is not supported: the endpoints are served, as HTTP/1.1. */
function appProtocolProblem(unsupported: UnsupportedAppProtocol): { code: string; message: string; since: number } {
  return problem('SWY_DISCOVERY_APP_PROTOCOL_UNSUPPORTED', `${unsupported.kind} ${unsupported.object} ${unsupported.field} is ${JSON.stringify(unsupported.value)}, which Switchyard does not speak; its endpoints are sent HTTP/1.1`);
}

function problem(code: string, message: string): { code: string; message: string; since: number } {
  return { code, message, since: Date.now() };
}
