/** A bundle of CustomResourceDefinitions the fixture can install and uninstall at run time. */
export type CrdBundle = 'gateway-api';

/** One served resource type, with what discovery says about it. */
export interface ResourceType {
  /** `''` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The path segment: `ingresses`. */
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  /** Field selector labels this type supports beyond `metadata.name` and `metadata.namespace`, as dotted paths into the object. */
  readonly fieldLabels?: readonly string[];
  /**
   * Has a `status` subresource: a write to the object keeps the stored `.status`, a write to
   * `<name>/status` changes nothing but `.status`.
   */
  readonly statusSubresource?: boolean;
  /** Defined by a CRD of this bundle, so served only while it is installed; undefined for built-in types. */
  readonly crdBundle?: CrdBundle;
  /** Discovery categories (`kubectl get gateway-api`). */
  readonly categories?: readonly string[];
}

// The orders the real server lists them in: built-in storage sorts its verbs, the CRD handler does not.
const BUILT_IN_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const CRD_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'] as const;
// A Namespace is deleted one at a time (its finalizer empties it first), so no deletecollection.
const NAMESPACE_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] as const;
const STATUS_VERBS = ['get', 'patch', 'update'] as const;

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const gatewayApi = { group: GATEWAY_GROUP, crdBundle: 'gateway-api', categories: ['gateway-api'] } as const;

/** Every type the fixture knows; only the served ones (see `ServedTypes`) are in discovery, so clients never try one we cannot answer. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'], statusSubresource: true },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'], statusSubresource: true },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true, shortNames: [], fieldLabels: ['type'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', singular: 'ingress', namespaced: true, shortNames: ['ing'], statusSubresource: true },
  { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', singular: 'ingressclass', namespaced: false, shortNames: [] },
  { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice', namespaced: true, shortNames: [] },
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', singular: 'lease', namespaced: true, shortNames: [] },
  { ...gatewayApi, version: 'v1', kind: 'GatewayClass', plural: 'gatewayclasses', singular: 'gatewayclass', namespaced: false, shortNames: ['gc'], statusSubresource: true },
  { ...gatewayApi, version: 'v1', kind: 'Gateway', plural: 'gateways', singular: 'gateway', namespaced: true, shortNames: ['gtw'], statusSubresource: true },
  { ...gatewayApi, version: 'v1', kind: 'HTTPRoute', plural: 'httproutes', singular: 'httproute', namespaced: true, shortNames: [], statusSubresource: true },
  { ...gatewayApi, version: 'v1', kind: 'GRPCRoute', plural: 'grpcroutes', singular: 'grpcroute', namespaced: true, shortNames: [], statusSubresource: true },
  // ReferenceGrant has no status, and is still v1beta1 in the standard channel.
  { ...gatewayApi, version: 'v1beta1', kind: 'ReferenceGrant', plural: 'referencegrants', singular: 'referencegrant', namespaced: true, shortNames: ['refgrant'] },
];

/** `v1` or `networking.k8s.io/v1`. */
export function groupVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** `ingresses.networking.k8s.io`, or `services` in the core group: how the API server names a resource in messages. */
export function qualifiedNameOf(type: ResourceType): string {
  return type.group === '' ? type.plural : `${type.plural}.${type.group}`;
}

/** The verbs discovery advertises for the type (deletecollection is advertised but not served). */
export function verbsOf(type: ResourceType): string[] {
  if (type.crdBundle) return [...CRD_VERBS];
  return type.kind === 'Namespace' ? [...NAMESPACE_VERBS] : [...BUILT_IN_VERBS];
}

/** The verbs of a `status` subresource. */
export function statusVerbs(): string[] {
  return [...STATUS_VERBS];
}

/** Finds a type by kind (`Ingress`), plural (`ingresses`) or singular, case-insensitively. */
export function findResourceType(name: string): ResourceType | undefined {
  const lower = name.toLowerCase();
  return RESOURCE_TYPES.find((t) => t.kind.toLowerCase() === lower || t.plural === lower || t.singular === lower);
}

/** Finds the type an object of `apiVersion` and `kind` belongs to. */
export function resourceTypeOf(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => groupVersionOf(t) === apiVersion && t.kind === kind);
}
