import type { Diagnostic } from '../diagnostics.js';
import { DEFAULT_NAMESPACE, objectName } from '../ingress/object-ref.js';
import { manifestSourceOf } from '../manifests/manifest-source.js';
import type { KubernetesObject } from '../model.js';
import type { RouteTable } from '../route-table/route-table.js';
import type { Service } from './kubernetes-types.js';
import { createExternalNameAllowList, externalNameDeniedMessage } from './external-name-allow-list.js';
import { resolveServiceBackend } from './resolve-service-backend.js';

/** Options of `serviceBackendDiagnostics`. */
export interface ServiceBackendDiagnosticsOptions {
  /** The ExternalName patterns the gateway will resolve (`StaticDiscoveryOptions.allowExternalNames`); none by default. */
  readonly allowExternalNames?: readonly string[];
}

/**
 * The Service backends of a table that can never resolve against these objects: a Service
 * that is not among them, or a port (number or name) it does not have. Each is a warning on
 * the Ingress's backend field (`spec.rules[i].http.paths[j].backend`, `spec.defaultBackend`),
 * the same code discovery reports at run time (`SWY_DISCOVERY_SERVICE_NOT_FOUND`,
 * `SWY_DISCOVERY_PORT_NOT_FOUND`), decided by the same rules (`resolveServiceBackend`).
 *
 * Only when the objects hold at least one `v1` Service: files without any describe routes
 * whose Services live elsewhere (a cluster, code), and nothing can be said about them.
 * ExternalName Services count as present. Routes that lost a conflict are not looked at.
 * A referenced Service port whose `appProtocol` is not supported is a warning on the Service
 * (`spec.ports[i].appProtocol`, `SWY_DISCOVERY_APP_PROTOCOL_UNSUPPORTED`), once. A referenced
 * ExternalName Service whose name `options.allowExternalNames` does not allow is a warning on
 * the Service (`spec.externalName`, `SWY_DISCOVERY_EXTERNAL_NAME_DENIED`), once: requests to it
 * would get 503.
 *
 * @throws SwitchyardError `SWY_DISCOVERY_INVALID_OPTIONS` for a pattern that is not one.
 */
export function serviceBackendDiagnostics(table: RouteTable, objects: readonly KubernetesObject[], options: ServiceBackendDiagnosticsOptions = {}): Diagnostic[] {
  const allowList = createExternalNameAllowList(options.allowExternalNames ?? []);
  const services = new Map<string, Service>();
  const ingresses = new Map<string, KubernetesObject>();
  for (const object of objects) {
    if (object.kind === 'Service' && object.apiVersion === 'v1' && object.metadata?.name) {
      services.set(objectName(object.metadata), object as unknown as Service);
    } else if (object.kind === 'Ingress' && object.apiVersion === 'networking.k8s.io/v1' && !ingresses.has(objectName(object.metadata))) {
      ingresses.set(objectName(object.metadata), object); // the first of duplicates is the one compiled
    }
  }
  if (services.size === 0) return [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const route of table.routes()) {
    const backend = route.backend;
    if (!('service' in backend)) continue;
    const ingress = `${route.origin.namespace}/${route.origin.name}`;
    const field = route.isDefaultBackend ? route.field : `${route.field}.backend`;
    if (seen.has(`${ingress} ${field}`)) continue;
    seen.add(`${ingress} ${field}`);
    const service = services.get(`${backend.namespace || DEFAULT_NAMESPACE}/${backend.service.name}`);
    const resolution = resolveServiceBackend(backend, service, []);
    if (resolution.kind === 'external-name' && !allowList.allows(resolution.hostname)) {
      const name = `${backend.namespace || DEFAULT_NAMESPACE}/${backend.service.name}`;
      if (!seen.has(`${name} spec.externalName`)) {
        seen.add(`${name} spec.externalName`);
        diagnostics.push(externalNameDenied(name, service!, resolution.hostname, `requests from ${ingress} ${field} would get 503`));
      }
    }
    if (resolution.kind !== 'problem') {
      const unsupported = resolution.unsupported;
      if (unsupported !== undefined && !seen.has(`${unsupported.object} ${unsupported.field}`)) {
        seen.add(`${unsupported.object} ${unsupported.field}`);
        const source = manifestSourceOf(service as unknown as KubernetesObject, unsupported.field);
        diagnostics.push({
          code: 'SWY_DISCOVERY_APP_PROTOCOL_UNSUPPORTED',
          severity: 'warning',
          object: unsupported.object,
          field: unsupported.field,
          message: `Service ${unsupported.object} ${unsupported.field} is ${JSON.stringify(unsupported.value)}, which Switchyard does not speak; requests from ${ingress} ${field} are sent to it as HTTP/1.1`,
          ...(source ? { source } : {}),
        });
      }
      continue;
    }
    const rule = route.isDefaultBackend ? '' : ` (host ${route.host ?? '<any>'}, ${route.pathType} ${route.path})`;
    const object = ingresses.get(ingress);
    const source = object === undefined ? undefined : manifestSourceOf(object, field);
    diagnostics.push({
      code: resolution.code,
      severity: 'warning',
      object: ingress,
      field,
      message: `${ingress} ${field}${rule}: ${resolution.message}; requests to it would get 503`,
      ...(source ? { source } : {}),
    });
  }
  // Gateway API backendRefs and mirrors: their other problems are their routes' conditions; an
  // ExternalName that is not allowed is the Service's, said once whoever refers to it.
  for (const backend of table.backends()) {
    if (!('service' in backend)) continue;
    const name = `${backend.namespace || DEFAULT_NAMESPACE}/${backend.service.name}`;
    const service = services.get(name);
    if (service?.spec?.type !== 'ExternalName' || seen.has(`${name} spec.externalName`)) continue;
    const hostname = service.spec.externalName ?? '';
    if (allowList.allows(hostname)) continue;
    seen.add(`${name} spec.externalName`);
    diagnostics.push(externalNameDenied(name, service, hostname, 'requests to it would get 503'));
  }
  return diagnostics;
}

function externalNameDenied(name: string, service: Service, hostname: string, consequence: string): Diagnostic {
  const source = manifestSourceOf(service as unknown as KubernetesObject, 'spec.externalName');
  return {
    code: 'SWY_DISCOVERY_EXTERNAL_NAME_DENIED',
    severity: 'warning',
    object: name,
    field: 'spec.externalName',
    message: `${externalNameDeniedMessage(name, hostname)}; ${consequence}`,
    ...(source ? { source } : {}),
  };
}
