import type { ServiceBackendRef } from '../backend-ref.js';
import type { Endpoint } from './endpoint-set.js';
import type { EndpointSlice, Service, ServicePort } from './kubernetes-types.js';
import { upstreamProtocolOf, type UpstreamProtocol } from './upstream-protocol.js';

/** An `appProtocol` Switchyard does not speak: the endpoints are served as HTTP/1.1 and this says so. */
export interface UnsupportedAppProtocol {
  /** `namespace/name` of the object that carries it (the Service, or the EndpointSlice when the Service port has none). */
  readonly object: string;
  readonly kind: 'Service' | 'EndpointSlice';
  /** `spec.ports[i].appProtocol` (Service) or `ports[i].appProtocol` (EndpointSlice). */
  readonly field: string;
  readonly value: string;
}

/** What a Service backend resolves to, or why it does not. */
export type ServiceResolution =
  | { readonly kind: 'endpoints'; readonly endpoints: readonly Endpoint[]; readonly unsupported?: UnsupportedAppProtocol }
  | { readonly kind: 'external-name'; readonly hostname: string; readonly port: number; readonly protocol: UpstreamProtocol; readonly unsupported?: UnsupportedAppProtocol }
  | { readonly kind: 'problem'; readonly code: 'SWY_DISCOVERY_SERVICE_NOT_FOUND' | 'SWY_DISCOVERY_PORT_NOT_FOUND'; readonly message: string };

/**
 * Resolves a Service backend the way kube-proxy and the Ingress controllers do:
 * - the backend's port, by number or by name, picks one of the Service's ports;
 * - every EndpointSlice of the Service (labelled `kubernetes.io/service-name`, same namespace)
 *   contributes its endpoints on the slice port whose name is that Service port's name
 *   (each slice carries its own resolved port number, so a named targetPort may differ per slice);
 * - an endpoint's first address is used (the API calls them fungible); `ready: null` counts as
 *   ready, `serving: null` as `ready`, `terminating: null` as false; FQDN slices are skipped
 *   (deprecated, and not addresses);
 * - `address:port` pairs are deduplicated across slices, a ready copy winning;
 * - the protocol to speak comes from the Service port's `appProtocol`, else (a Service whose
 *   slices are written by hand) the slice port's (`upstreamProtocolOf`); a value that is not
 *   supported is spoken as HTTP/1.1 and named in `unsupported`;
 * - an ExternalName Service resolves to its hostname and the Service port's `targetPort`
 *   when it is a number, else its `port` (as ingress-nginx does).
 * The result is sorted by address and port, so equal sets compare equal.
 */
export function resolveServiceBackend(
  backend: ServiceBackendRef,
  service: Service | undefined,
  slices: readonly EndpointSlice[],
): ServiceResolution {
  const name = `${backend.namespace}/${backend.service.name}`;
  if (service === undefined) {
    return { kind: 'problem', code: 'SWY_DISCOVERY_SERVICE_NOT_FOUND', message: `Service ${name} does not exist` };
  }
  const servicePort = findServicePort(service, backend.service.port);
  if (servicePort === undefined) {
    const wanted = 'number' in backend.service.port ? `number ${backend.service.port.number}` : `name ${JSON.stringify(backend.service.port.name)}`;
    return { kind: 'problem', code: 'SWY_DISCOVERY_PORT_NOT_FOUND', message: `Service ${name} has no port with ${wanted}` };
  }
  let unsupported: UnsupportedAppProtocol | undefined;
  let serviceProtocol: UpstreamProtocol | undefined;
  if (servicePort.appProtocol) {
    serviceProtocol = upstreamProtocolOf(servicePort.appProtocol);
    if (serviceProtocol === undefined) {
      serviceProtocol = 'http1';
      const index = (service.spec?.ports ?? []).indexOf(servicePort);
      unsupported = { object: name, kind: 'Service', field: `spec.ports[${index}].appProtocol`, value: servicePort.appProtocol };
    }
  }
  if (service.spec?.type === 'ExternalName') {
    const target = typeof servicePort.targetPort === 'number' ? servicePort.targetPort : servicePort.port;
    const external = { kind: 'external-name', hostname: service.spec.externalName ?? '', port: target, protocol: serviceProtocol ?? 'http1' } as const;
    return unsupported === undefined ? external : { ...external, unsupported };
  }
  const portName = servicePort.name ?? '';
  const byAddress = new Map<string, Endpoint>();
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    const slicePorts = slice.ports ?? [];
    const slicePort = slicePorts.find((p) => (p.name ?? '') === portName);
    if (slicePort?.port == null) continue;
    let protocol = serviceProtocol;
    if (protocol === undefined) {
      protocol = upstreamProtocolOf(slicePort.appProtocol);
      if (protocol === undefined) {
        protocol = 'http1';
        unsupported ??= { object: `${slice.metadata.namespace ?? backend.namespace}/${slice.metadata.name ?? ''}`, kind: 'EndpointSlice', field: `ports[${slicePorts.indexOf(slicePort)}].appProtocol`, value: slicePort.appProtocol! };
      }
    }
    for (const endpoint of slice.endpoints ?? []) {
      const address = endpoint.addresses?.[0];
      if (!address) continue;
      const ready = endpoint.conditions?.ready ?? true;
      const found: Endpoint = {
        address,
        port: slicePort.port,
        ready,
        serving: endpoint.conditions?.serving ?? ready,
        terminating: endpoint.conditions?.terminating ?? false,
        ...(endpoint.zone ? { zone: endpoint.zone } : {}),
        // Only when not the default, so sets written without it compare equal.
        ...(protocol === 'h2c' ? { protocol } : {}),
      };
      const key = `${address}|${found.port}`;
      const known = byAddress.get(key);
      if (known === undefined || (!known.ready && found.ready)) byAddress.set(key, found);
    }
  }
  const endpoints = [...byAddress.values()].sort(byAddressAndPort);
  return unsupported === undefined ? { kind: 'endpoints', endpoints } : { kind: 'endpoints', endpoints, unsupported };
}

function findServicePort(service: Service, port: { readonly number: number } | { readonly name: string }): ServicePort | undefined {
  const ports = service.spec?.ports ?? [];
  return 'number' in port ? ports.find((p) => p.port === port.number) : ports.find((p) => p.name === port.name);
}

export function byAddressAndPort(a: Endpoint, b: Endpoint): number {
  if (a.address !== b.address) return a.address < b.address ? -1 : 1;
  return a.port - b.port;
}
