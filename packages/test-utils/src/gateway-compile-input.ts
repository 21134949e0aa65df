import type { CompileOptions, KubernetesObject } from '@switchyard/core';

/**
 * The Gateway API part of `compile`'s options from loaded manifests (`loadManifests(...).objects`):
 * the Gateways of class `gatewayClass` (default `switchyard`, the spec cases' class), HTTPRoutes, GRPCRoutes,
 * GatewayClasses, ReferenceGrants, Namespaces, Secrets, and the Services (so backendRefs are checked
 * against them) unless `checkServices` is false. Ingresses are left for the caller.
 */
export function gatewayCompileOptions(objects: readonly KubernetesObject[], { gatewayClass = 'switchyard', checkServices = true } = {}): Omit<CompileOptions, 'ingresses'> {
  const of = <T>(kind: string): T[] => objects.filter((object) => object.kind === kind) as unknown as T[];
  return {
    gatewayClass,
    gateways: of('Gateway'),
    httpRoutes: of('HTTPRoute'),
    grpcRoutes: of('GRPCRoute'),
    gatewayClasses: of('GatewayClass'),
    referenceGrants: of('ReferenceGrant'),
    namespaces: of('Namespace'),
    secrets: of('Secret'),
    ...(checkServices ? { services: of('Service') } : {}),
  };
}
