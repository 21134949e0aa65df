import {
  GATEWAY_API_GROUP,
  TLS_SECRET_TYPE,
  type CompileOptions,
  type Gateway,
  type GatewayClass,
  type GRPCRoute,
  type HTTPRoute,
  type Namespace,
  type ReferenceGrant,
  type Secret,
  type Service,
} from '@switchyard/core';
import { ApiGroupPresence, type ApiGroupServed, type ApiGroupState } from './api-group-presence.js';
import { Coalescer } from './coalesce.js';
import { collectionPath } from './collection-path.js';
import { KubeError } from './errors.js';
import { GatewayApiReflectors } from './gateway-api-reflectors.js';
import type { ObservedObject } from './gateway-status/status-documents.js';
import { KubeApiError } from './kube-client.js';
import { logKubeError } from './kube-error-report.js';
import type { Reflector, ReflectorStatus } from './reflector.js';
import { ReflectorGroup, type SharedCollection } from './shared-collection.js';
import type { KubeSourceOptions } from './source-options.js';
import { startReflector } from './start-reflector.js';

const DEFAULT_DEBOUNCE_MS = 100;
/** How often to look for the CRDs again while they are not installed. */
const DEFAULT_CRD_CHECK_INTERVAL_MS = 5_000;

export interface GatewayApiSourceOptions extends KubeSourceOptions {
  /** This router's controller (`example.com/switchyard`): the Gateways served are those of the GatewayClasses naming it. */
  readonly controllerName: string;
  /** Narrows to one of those classes. */
  readonly gatewayClass?: string;
  /** Narrows to these Gateways (`namespace/name`). */
  readonly gateways?: readonly string[];
  /** How often to look again for the Gateway API CRDs while they are not installed. Default 5 s. */
  readonly crdCheckIntervalMs?: number;
  /** Services another source watches already (`KubernetesDiscovery.sharedServices()`), read instead of watching them again. */
  readonly services?: SharedCollection;
  /** TLS Secrets another source watches already (`SecretSource.sharedSecrets()`), read instead of watching them again. */
  readonly secrets?: SharedCollection;
}

/** The Gateway API part of `compile`'s options, from the cluster. Spread it beside the Ingresses. */
export type GatewayApiCompileOptions = Pick<
  CompileOptions,
  'controllerName' | 'gatewayClass' | 'gatewayNames' | 'gatewayClasses' | 'gateways' | 'httpRoutes' | 'grpcRoutes' | 'referenceGrants' | 'namespaces' | 'secrets' | 'services'
>;

/** The objects as the API server holds them, status included: what the status write-back plans from (`planStatusWrites`' `observed`). */
export interface GatewayApiObserved {
  readonly gatewayClasses: readonly ObservedObject[];
  readonly gateways: readonly ObservedObject[];
  readonly httpRoutes: readonly ObservedObject[];
  readonly grpcRoutes: readonly ObservedObject[];
}

export interface GatewayApiSourceStatus {
  /** Whether the API server serves the Gateway API CRDs (`unknown` until it first answers). */
  readonly gatewayApi: ApiGroupServed;
  /** Why not installed (or not known); undefined when installed. */
  readonly gatewayApiReason: string | undefined;
  /** Every reflector running now, by collection (`gateways#0`, `services#1`, ...). */
  readonly reflectors: Readonly<Record<string, ReflectorStatus>>;
}

/**
 * Gateway API objects from a live cluster, for `compile` and the status write-back: reflectors
 * for GatewayClasses, Gateways, HTTPRoutes, GRPCRoutes, ReferenceGrants, Namespaces (for `allowedRoutes`
 * selectors), Services (for `BackendNotFound`) and TLS Secrets (for listeners' certificateRefs).
 * Any change reaches the subscribers debounced and coalesced, as in `IngressSource`; while the
 * API server is away the last state stays.
 *
 * A cluster without the Gateway API CRDs is a state, not a failure: the source is ready with no
 * Gateway API objects, says so once through `onError` and in `status()`, looks again every
 * `crdCheckIntervalMs`, and starts the reflectors when the CRDs appear (and stops them, back to
 * empty, when they go).
 */
export class GatewayApiSource {
  private readonly namespaceObjects: Reflector;
  private readonly services: SharedCollection;
  private readonly secrets: SharedCollection;
  /** The collections this source started itself (not lent), which it stops. */
  private readonly owned: ReflectorGroup[] = [];
  private readonly unsubscribe: Array<() => void> = [];
  private readonly presence: ApiGroupPresence;
  /** Running while the CRDs are installed. */
  private gatewayApi: GatewayApiReflectors | undefined;
  /** A 404 from a Gateway API list, held until discovery says whether the whole group went. */
  private heldNotFound: KubeError | undefined;
  private readonly coalescer: Coalescer;
  private readonly subscribers = new Set<(options: GatewayApiCompileOptions) => void>();
  private last: GatewayApiCompileOptions | undefined;
  private closed = false;
  /** Reflector sets stopping after an uninstall, for `close()` to wait on. */
  private readonly stopping = new Set<Promise<void>>();

  constructor(private readonly options: GatewayApiSourceOptions) {
    this.coalescer = new Coalescer(() => this.publish(), options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    const changed = () => this.coalescer.schedule();
    const namespaces = options.namespaces ?? [undefined];
    // Literal paths, one call per collection: the example's RBAC test reads what the sources list from these calls.
    // Cluster-wide even with `namespaces`: selectors may name any namespace's labels, and GatewayClasses need cluster reads anyway.
    this.namespaceObjects = startReflector(options, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace' }, changed);
    this.services =
      options.services ??
      this.own(new ReflectorGroup('services', (onServices) => namespaces.map((ns) => startReflector(options, collectionPath('/api/v1', 'services', ns), { apiVersion: 'v1', kind: 'Service' }, onServices))));
    this.secrets =
      options.secrets ??
      this.own(
        new ReflectorGroup('secrets', (onSecrets) =>
          namespaces.map((ns) => startReflector(options, collectionPath('/api/v1', 'secrets', ns), { apiVersion: 'v1', kind: 'Secret' }, onSecrets, { fieldSelector: `type=${TLS_SECRET_TYPE}` })),
        ),
      );
    this.unsubscribe.push(this.services.onChange(changed), this.secrets.onChange(changed));
    this.presence = new ApiGroupPresence({
      connection: options.connection,
      group: GATEWAY_API_GROUP,
      version: 'v1',
      intervalMs: options.crdCheckIntervalMs ?? DEFAULT_CRD_CHECK_INTERVAL_MS,
      onAnswer: (state, before) => this.onPresence(state, before),
      onError: (error) => this.report(error),
    }).start();
  }

  /** Calls `onChange` with the current options, once ready, and with every new set. Returns unsubscribe. */
  subscribe(onChange: (options: GatewayApiCompileOptions) => void): () => void {
    this.subscribers.add(onChange);
    if (this.last) onChange(this.last);
    return () => this.subscribers.delete(onChange);
  }

  /** Resolves with the first options, from complete lists (with no Gateway API objects when the CRDs are not installed). */
  async ready(): Promise<GatewayApiCompileOptions> {
    await this.presence.answered();
    await Promise.all([this.namespaceObjects.synced(), this.services.synced(), this.secrets.synced()]);
    // The CRDs may come or go while their reflectors list: wait for the set running at the end.
    for (let running = this.gatewayApi; ; running = this.gatewayApi) {
      await running?.synced();
      if (running === this.gatewayApi) break;
    }
    this.coalescer.flush();
    return (this.last ??= this.compileOptions());
  }

  /** The Gateway API part of `compile`'s options, from what the reflectors hold now. */
  compileOptions(): GatewayApiCompileOptions {
    const { controllerName, gatewayClass, gateways } = this.options;
    const running = this.gatewayApi;
    return {
      controllerName,
      ...(gatewayClass !== undefined ? { gatewayClass } : {}),
      ...(gateways !== undefined ? { gatewayNames: gateways } : {}),
      gatewayClasses: running ? (objects([running.gatewayClasses]) as GatewayClass[]) : [],
      gateways: running ? (objects(running.gateways) as Gateway[]) : [],
      httpRoutes: running ? (objects(running.httpRoutes) as HTTPRoute[]) : [],
      grpcRoutes: running ? (objects(running.grpcRoutes) as GRPCRoute[]) : [],
      referenceGrants: running ? (objects(running.referenceGrants) as ReferenceGrant[]) : [],
      namespaces: objects([this.namespaceObjects]) as Namespace[],
      secrets: this.secrets.objects() as Secret[],
      services: this.services.objects() as Service[],
    };
  }

  /** GatewayClasses, Gateways, HTTPRoutes and GRPCRoutes as the reflectors hold them, status included, for `planStatusWrites`. */
  observed(): GatewayApiObserved {
    const running = this.gatewayApi;
    if (!running) return { gatewayClasses: [], gateways: [], httpRoutes: [], grpcRoutes: [] };
    return { gatewayClasses: objects([running.gatewayClasses]), gateways: objects(running.gateways), httpRoutes: objects(running.httpRoutes), grpcRoutes: objects(running.grpcRoutes) };
  }

  status(): GatewayApiSourceStatus {
    const numbered = (name: string, reflectors: Reflector[]) => reflectors.map((r, i) => [`${name}#${i}`, r] as const);
    const named = [['namespaces', this.namespaceObjects] as const, ...(this.gatewayApi?.named() ?? [])];
    const { served, reason } = this.presence.state();
    // Lent collections are reported by their owner.
    const own = Object.assign({}, ...this.owned.map((group) => group.status())) as Record<string, ReflectorStatus>;
    return { gatewayApi: served, gatewayApiReason: reason, reflectors: { ...Object.fromEntries(named.map(([name, r]) => [name, r.status()])), ...own } };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.coalescer.cancel();
    this.subscribers.clear();
    for (const stop of this.unsubscribe) stop();
    const running = this.gatewayApi;
    this.gatewayApi = undefined;
    await Promise.all([this.presence.stop(), running?.stop(), ...this.stopping, this.namespaceObjects.stop(), ...this.owned.map((group) => group.stop())]);
  }

  private onPresence(state: ApiGroupState, before: ApiGroupServed): void {
    if (this.closed) return;
    const held = this.heldNotFound;
    this.heldNotFound = undefined;
    if (state.served === 'installed') {
      // Still installed after a 404: that list's own problem (a version not served, say), said as it is.
      if (held !== undefined) this.report(held);
      this.gatewayApi ??= new GatewayApiReflectors({ ...this.options, onError: (error) => this.onGatewayApiError(error) }, () => this.coalescer.schedule());
      return;
    }
    if (before === 'not-installed') return;
    this.report(new KubeError('SWY_KUBE_GATEWAY_API_NOT_INSTALLED', `${state.reason}; serving no Gateway API objects, looking again every ${this.options.crdCheckIntervalMs ?? DEFAULT_CRD_CHECK_INTERVAL_MS} ms`));
    const running = this.gatewayApi;
    this.gatewayApi = undefined;
    // The reflectors' objects leave with them; the next options have none.
    if (running !== undefined) {
      const stopped = running.stop().finally(() => this.stopping.delete(stopped));
      this.stopping.add(stopped);
    }
    this.coalescer.schedule();
  }

  /**
   * A 404 on a Gateway API list, or a watch the server ended at once with no event (an empty
   * kind's watch when its CRD is deleted), is how an uninstall shows first: ask discovery before
   * saying anything, so the user hears one line about the CRDs rather than one per reflector and
   * retry. When the group is still there, the error is the reflector's own and is passed on.
   */
  private onGatewayApiError(error: KubeError): void {
    if ((error instanceof KubeApiError && error.status === 404) || error.code === 'SWY_KUBE_WATCH_ENDED_AT_ONCE') {
      this.heldNotFound = error;
      this.presence.recheck();
      return;
    }
    this.report(error);
  }

  private own(group: ReflectorGroup): ReflectorGroup {
    this.owned.push(group);
    return group;
  }

  private report(error: KubeError): void {
    (this.options.onError ?? logKubeError)(error);
  }

  private publish(): void {
    if (this.presence.state().served === 'unknown') return;
    if (!this.namespaceObjects.status().synced || !this.services.isSynced() || !this.secrets.isSynced()) return;
    if (this.gatewayApi !== undefined && !this.gatewayApi.isSynced()) return;
    this.last = this.compileOptions();
    for (const subscriber of this.subscribers) subscriber(this.last);
  }
}

function objects(reflectors: readonly Reflector[]): ObservedObject[] {
  return reflectors.flatMap((r) => [...r.store.values()]) as ObservedObject[];
}
