import type {
  EndpointSlice,
  EndpointSliceEndpoint,
  EndpointSlicePort,
  HTTPIngressPath,
  Ingress,
  IngressBackend,
  IngressClass,
  IngressRule,
  IngressSpec,
  PathType,
  Secret,
  Service,
  ServiceBackendRef,
  ServicePort,
} from '@switchyard/core';
import type { KubeObject } from './kube-api/types.js';

/**
 * Builders for the Kubernetes objects Switchyard reads, so a test reads as its rules:
 *
 *   ingress('api', { namespace: 'shop', rules: [rule('foo.com', prefix('/api', 'api-svc'))] })
 *
 * Each returns core's type and `KubeObject` at once, so the same object goes to `compile`,
 * to `StaticDiscovery` and to `KubeApiServer.apply`. Fields not asked for are left out, as
 * an API server would leave them out (an absent condition means something else than `false`).
 */

/** The namespace of Services, EndpointSlices, Secrets and backend refs when a test gives none. */
export const TEST_NAMESPACE = 'shop';

export type IngressObject = Ingress & KubeObject;
export type IngressClassObject = IngressClass & KubeObject;
export type ServiceObject = Service & KubeObject;
export type EndpointSliceObject = EndpointSlice & KubeObject;
export type SecretObject = Secret & KubeObject;

/** An Ingress backend: Service `name` at a port number (default 80) or port name. */
export function serviceBackend(name: string, port: number | string = 80): IngressBackend {
  return { service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } };
}

/** One `http.paths[]` entry to Service `serviceName`; `path` undefined leaves it out (allowed for ImplementationSpecific). */
export function httpPath(path: string | undefined, pathType: PathType, serviceName: string, port: number | string = 80): HTTPIngressPath {
  return { ...(path === undefined ? {} : { path }), pathType, backend: serviceBackend(serviceName, port) };
}

export const exact = (path: string, serviceName: string, port?: number | string): HTTPIngressPath => httpPath(path, 'Exact', serviceName, port);
export const prefix = (path: string, serviceName: string, port?: number | string): HTTPIngressPath => httpPath(path, 'Prefix', serviceName, port);
export const implSpecific = (path: string | undefined, serviceName: string, port?: number | string): HTTPIngressPath =>
  httpPath(path, 'ImplementationSpecific', serviceName, port);

/** A rule for `host` (undefined: every host) with the given paths. */
export function rule(host: string | undefined, ...paths: HTTPIngressPath[]): IngressRule {
  return { ...(host === undefined ? {} : { host }), http: { paths } };
}

export interface IngressOptions {
  /** Left out when not given, as in a manifest (compile then reads `default`). */
  readonly namespace?: string;
  /** RFC 3339 `creationTimestamp`: decides which of two conflicting rules wins. */
  readonly created?: string;
  /** `spec.ingressClassName`. */
  readonly className?: string;
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
  readonly rules?: IngressRule[];
  readonly defaultBackend?: IngressBackend;
  readonly tls?: IngressSpec['tls'];
}

/** A `networking.k8s.io/v1` Ingress. */
export function ingress(name: string, options: IngressOptions = {}): IngressObject {
  const { namespace, created, className, annotations, labels, rules, defaultBackend, tls } = options;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      ...(created === undefined ? {} : { creationTimestamp: created }),
      ...(annotations === undefined ? {} : { annotations }),
      ...(labels === undefined ? {} : { labels }),
    },
    spec: {
      ...(className === undefined ? {} : { ingressClassName: className }),
      ...(defaultBackend === undefined ? {} : { defaultBackend }),
      ...(rules === undefined ? {} : { rules }),
      ...(tls === undefined ? {} : { tls }),
    },
  };
}

/** The controller name IngressClasses built here claim. */
export const TEST_CONTROLLER = 'example.com/switchyard';

/** An IngressClass; `isDefault` marks it as the cluster default (the `is-default-class` annotation). */
export function ingressClass(name: string, options: { readonly isDefault?: boolean; readonly controller?: string } = {}): IngressClassObject {
  const { isDefault = false, controller = TEST_CONTROLLER } = options;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name, ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller },
  };
}

export interface ServiceOptions {
  readonly namespace?: string;
  /** `spec.type`; `ExternalName` when `externalName` is given and this is not. */
  readonly type?: string;
  /** The DNS name of an ExternalName Service. */
  readonly externalName?: string;
}

/** A core/v1 Service with the given ports (in `shop` unless told). */
export function service(name: string, ports: ServicePort[] = [], options: ServiceOptions = {}): ServiceObject {
  const { namespace = TEST_NAMESPACE, externalName } = options;
  const type = options.type ?? (externalName === undefined ? undefined : 'ExternalName');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { ...(type === undefined ? {} : { type }), ...(externalName === undefined ? {} : { externalName }), ports },
  };
}

export interface EndpointSliceOptions {
  readonly namespace?: string;
  /** Default `IPv4`. */
  readonly addressType?: string;
}

/** An EndpointSlice of Service `serviceName`, labelled as the EndpointSlice controller does (in `shop` unless told). */
export function endpointSlice(
  name: string,
  serviceName: string,
  ports: EndpointSlicePort[],
  endpoints: EndpointSliceEndpoint[],
  options: EndpointSliceOptions = {},
): EndpointSliceObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: options.namespace ?? TEST_NAMESPACE, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: options.addressType ?? 'IPv4',
    ports,
    endpoints,
  };
}

/** One EndpointSlice endpoint; conditions left out stay out (a `null`/absent `ready` counts as ready). */
export function sliceEndpoint(address: string, conditions?: EndpointSliceEndpoint['conditions'], zone?: string): EndpointSliceEndpoint {
  return { addresses: [address], ...(conditions ? { conditions } : {}), ...(zone ? { zone } : {}) };
}

export interface SecretOptions {
  readonly namespace?: string;
  /** Default `kubernetes.io/tls`; `null` leaves it out (the API server then reads `Opaque`). */
  readonly type?: string | null;
  /** Values already base64-encoded, as the API server serves them. */
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
}

/** A core/v1 Secret (in `shop` unless told). For a real certificate pair use `tlsSecret` from certificates. */
export function secret(name: string, options: SecretOptions = {}): SecretObject {
  const { namespace = TEST_NAMESPACE, type = 'kubernetes.io/tls', data, stringData } = options;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    ...(type === null ? {} : { type }),
    ...(data === undefined ? {} : { data }),
    ...(stringData === undefined ? {} : { stringData }),
  };
}

/** What discovery resolves: Service `name` at a port number or name, in `namespace` (`shop` unless told). */
export function backendRef(name: string, port: number | string, namespace = TEST_NAMESPACE): ServiceBackendRef {
  return { namespace, service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } };
}
