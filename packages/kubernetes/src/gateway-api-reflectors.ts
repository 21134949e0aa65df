import { GATEWAY_API_GROUP } from '@switchyard/core';
import { collectionPath } from './collection-path.js';
import type { Reflector } from './reflector.js';
import type { KubeSourceOptions } from './source-options.js';
import { startReflector } from './start-reflector.js';

const V1 = `${GATEWAY_API_GROUP}/v1`;
const V1BETA1 = `${GATEWAY_API_GROUP}/v1beta1`;

/**
 * The reflectors of the Gateway API kinds (the CRDs), started together when the group is
 * served and stopped together when it goes: GatewayClasses (cluster-scoped), and Gateways,
 * HTTPRoutes, GRPCRoutes and ReferenceGrants (v1beta1, the version every release serves) per namespace.
 */
export class GatewayApiReflectors {
  readonly gatewayClasses: Reflector;
  readonly gateways: Reflector[];
  readonly httpRoutes: Reflector[];
  readonly grpcRoutes: Reflector[];
  readonly referenceGrants: Reflector[];
  private readonly stopping: Promise<void>;
  private markStopped!: () => void;

  constructor(options: KubeSourceOptions, onChange: () => void) {
    this.stopping = new Promise((resolve) => (this.markStopped = resolve));
    const namespaces = options.namespaces ?? [undefined];
    // Literal paths, one call per collection: the example's RBAC test reads what the sources list from these calls.
    this.gatewayClasses = startReflector(options, '/apis/gateway.networking.k8s.io/v1/gatewayclasses', { apiVersion: V1, kind: 'GatewayClass' }, onChange);
    this.gateways = namespaces.map((ns) => startReflector(options, collectionPath('/apis/gateway.networking.k8s.io/v1', 'gateways', ns), { apiVersion: V1, kind: 'Gateway' }, onChange));
    this.httpRoutes = namespaces.map((ns) => startReflector(options, collectionPath('/apis/gateway.networking.k8s.io/v1', 'httproutes', ns), { apiVersion: V1, kind: 'HTTPRoute' }, onChange));
    this.grpcRoutes = namespaces.map((ns) => startReflector(options, collectionPath('/apis/gateway.networking.k8s.io/v1', 'grpcroutes', ns), { apiVersion: V1, kind: 'GRPCRoute' }, onChange));
    this.referenceGrants = namespaces.map((ns) =>
      startReflector(options, collectionPath('/apis/gateway.networking.k8s.io/v1beta1', 'referencegrants', ns), { apiVersion: V1BETA1, kind: 'ReferenceGrant' }, onChange),
    );
  }

  /** Every reflector, named for `status()`. */
  named(): Array<readonly [string, Reflector]> {
    const numbered = (name: string, reflectors: Reflector[]) => reflectors.map((r, i) => [`${name}#${i}`, r] as const);
    return [['gatewayclasses', this.gatewayClasses], ...numbered('gateways', this.gateways), ...numbered('httproutes', this.httpRoutes), ...numbered('grpcroutes', this.grpcRoutes), ...numbered('referencegrants', this.referenceGrants)];
  }

  /** Resolves once every reflector has listed, or once they are stopped (a group uninstalled before it synced). */
  synced(): Promise<void> {
    return Promise.race([Promise.all(this.named().map(([, r]) => r.synced())).then(() => undefined), this.stopping]);
  }

  isSynced(): boolean {
    return this.named().every(([, r]) => r.status().synced);
  }

  async stop(): Promise<void> {
    this.markStopped();
    await Promise.all(this.named().map(([, r]) => r.stop()));
  }
}
