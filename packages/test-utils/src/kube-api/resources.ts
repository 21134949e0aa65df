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
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

/** The resource types the fixture serves; only these are in discovery so clients never try one we cannot answer. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  { group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'] },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true, shortNames: [], fieldLabels: ['type'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', singular: 'ingress', namespaced: true, shortNames: ['ing'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', singular: 'ingressclass', namespaced: false, shortNames: [] },
  { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice', namespaced: true, shortNames: [] },
];

/** `v1` or `networking.k8s.io/v1`. */
export function groupVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** The verbs discovery advertises; the fixture itself only serves get, list and watch over HTTP. */
export function verbsOf(_type: ResourceType): string[] {
  return [...VERBS];
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

/** Finds the type served at `/api(s)/<groupVersion>/<plural>`. */
export function resourceTypeAt(groupVersion: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => groupVersionOf(t) === groupVersion && t.plural === plural);
}
