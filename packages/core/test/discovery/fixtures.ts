import type { EndpointSlice, EndpointSliceEndpoint, Service, ServiceBackendRef, ServicePort } from '@switchyard/core';

/** A Service in `namespace` (default `shop`) with the given ports. */
export function service(name: string, ports: ServicePort[], extra: Partial<NonNullable<Service['spec']>> = {}, namespace = 'shop'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports, ...extra } };
}

/** An EndpointSlice of Service `serviceName`, labelled as the EndpointSlice controller does. */
export function slice(
  name: string,
  serviceName: string,
  ports: Array<{ name?: string; port: number }>,
  endpoints: EndpointSliceEndpoint[],
  options: { namespace?: string; addressType?: string } = {},
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: options.namespace ?? 'shop', labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: options.addressType ?? 'IPv4',
    ports,
    endpoints,
  };
}

/** One EndpointSlice endpoint; conditions left out stay out (null semantics). */
export function at(address: string, conditions?: EndpointSliceEndpoint['conditions'], zone?: string): EndpointSliceEndpoint {
  return { addresses: [address], ...(conditions ? { conditions } : {}), ...(zone ? { zone } : {}) };
}

export function backend(name: string, port: number | string, namespace = 'shop'): ServiceBackendRef {
  return { namespace, service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } };
}
