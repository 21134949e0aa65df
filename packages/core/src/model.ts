/**
 * The subset of Kubernetes `networking.k8s.io/v1` that routing reads, as plain data.
 * Objects from YAML or the API server are untrusted: `validateIngress` checks every field
 * before the compiler relies on it.
 */

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  /** RFC 3339 string as the API server sends it, or a Date. */
  creationTimestamp?: string | Date;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
}

/** Any Kubernetes object, as `loadManifests` finds it. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface ServiceBackendPort {
  number?: number;
  name?: string;
}

export interface IngressServiceBackend {
  name: string;
  port: ServiceBackendPort;
}

export interface TypedLocalObjectReference {
  apiGroup?: string | null;
  kind: string;
  name: string;
}

export interface IngressBackend {
  service?: IngressServiceBackend;
  resource?: TypedLocalObjectReference;
}

export interface HTTPIngressPath {
  /** Required for Exact and Prefix; ImplementationSpecific may omit it (then `/`). */
  path?: string;
  pathType: PathType;
  backend: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths: HTTPIngressPath[] };
}

export interface IngressTLS {
  hosts?: string[];
  secretName?: string;
}

export interface IngressSpec {
  ingressClassName?: string;
  defaultBackend?: IngressBackend;
  rules?: IngressRule[];
  tls?: IngressTLS[];
}

/** A `networking.k8s.io/v1` Ingress. */
export interface Ingress {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: IngressSpec;
}

/** A `networking.k8s.io/v1` IngressClass; only its name and default annotation matter here. */
export interface IngressClass {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { controller?: string; parameters?: unknown };
}

/** The Ingress a route came from. */
export interface IngressRef {
  readonly namespace: string;
  readonly name: string;
}

/** The well-known annotations and labels the compiler reads. */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
