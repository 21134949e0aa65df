import type { Diagnostic } from '../diagnostics.js';
import type { ErrorCode } from '../errors.js';
import { creationTimeOf } from '../ingress/object-ref.js';
import { manifestSourceOf } from '../manifests/manifest-source.js';
import { TLS_SECRET_TYPE, type Secret } from '../secret.js';
import { condition, type Condition } from './conditions.js';
import { GATEWAY_API_GROUP, type AllowedRoutes, type Gateway, type Listener, type RouteGroupKind } from './model.js';
import { gatewayEnd, type ReferenceGrants } from './reference-grants.js';

/** The route kinds a listener of each protocol we serve can take (GRPCRoute: gRPC over h2c or h2). */
const SUPPORTED_KINDS: Readonly<Record<string, readonly RouteGroupKind[]>> = {
  HTTP: [
    { group: GATEWAY_API_GROUP, kind: 'HTTPRoute' },
    { group: GATEWAY_API_GROUP, kind: 'GRPCRoute' },
  ],
  HTTPS: [
    { group: GATEWAY_API_GROUP, kind: 'HTTPRoute' },
    { group: GATEWAY_API_GROUP, kind: 'GRPCRoute' },
  ],
};

/** A certificate an HTTPS listener serves: a `kubernetes.io/tls` Secret its certificateRefs name. */
export interface ListenerCertificate {
  readonly namespace: string;
  readonly name: string;
  readonly secret: Secret;
}

/** One listener of a served Gateway, with what the compiler decided about it. */
export interface ResolvedListener {
  /** `namespace/name` of its Gateway. */
  readonly gatewayName: string;
  readonly gatewayNamespace: string;
  readonly gateway: Gateway;
  readonly name: string;
  /** Its index in `spec.listeners`. */
  readonly index: number;
  readonly port: number;
  readonly protocol: string;
  readonly hostname: string | undefined;
  readonly allowedRoutes: AllowedRoutes;
  readonly supportedKinds: readonly RouteGroupKind[];
  readonly certificates: readonly ListenerCertificate[];
  /** Accepted, not conflicted, its references resolved: it serves and takes routes. */
  ready: boolean;
  readonly conditions: Condition[];
  attachedRoutes: number;
}

/** A served Gateway: its listeners in spec order, and its own conditions once decided. */
export interface ResolvedGateway {
  readonly name: string;
  readonly namespace: string;
  readonly gateway: Gateway;
  readonly createdAt: number;
  readonly listeners: readonly ResolvedListener[];
}

/** What `resolveListeners` reads. Gateways are validated and carry the CRD defaults. */
export interface ListenerInput {
  readonly gateways: readonly Gateway[];
  /** Serve the Gateways of these classes (by name); every Gateway when undefined. */
  readonly gatewayClasses: ReadonlySet<string> | undefined;
  /** When given, only these Gateways (`namespace/name`) of the class. */
  readonly gatewayNames: readonly string[] | undefined;
  readonly secrets: readonly Secret[];
  readonly grants: ReferenceGrants;
}

export interface ResolvedListeners {
  readonly gateways: readonly ResolvedGateway[];
  /** The ready listeners of every served Gateway, by port, oldest Gateway first, then spec order. */
  readonly byPort: ReadonlyMap<number, readonly ResolvedListener[]>;
}

/**
 * Picks the Gateways this configuration serves and decides each listener: protocol supported
 * (HTTP, HTTPS), route kinds, HTTPS certificates (Secrets of type `kubernetes.io/tls`, across
 * namespaces only with a ReferenceGrant), and conflicts between listeners that share a port,
 * within one Gateway or across Gateways of the class (they share the socket: a second
 * protocol on a port, or a second listener for the same hostname, loses to the older one).
 */
export function resolveListeners(input: ListenerInput, diagnostics: Diagnostic[]): ResolvedListeners {
  const secrets = new Map(input.secrets.map((secret) => [`${secret.metadata.namespace || 'default'}/${secret.metadata.name}`, secret]));
  const wanted = input.gatewayNames === undefined ? undefined : new Set(input.gatewayNames);
  const gateways: ResolvedGateway[] = [];
  for (const gateway of input.gateways) {
    if (input.gatewayClasses !== undefined && !input.gatewayClasses.has(gateway.spec?.gatewayClassName ?? '')) continue;
    const spec = gateway.spec ?? {};
    const namespace = gateway.metadata.namespace || 'default';
    const name = `${namespace}/${gateway.metadata.name}`;
    if (wanted !== undefined && !wanted.has(name)) continue;
    const listeners = (spec.listeners ?? []).map((listener, index) => resolveListener(gateway, name, namespace, listener, index, secrets, input.grants, diagnostics));
    gateways.push({ name, namespace, gateway, createdAt: creationTimeOf(gateway), listeners });
  }
  gateways.sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // Listeners that share a port share a socket: one protocol per port, one listener per hostname.
  const byPort = new Map<number, ResolvedListener[]>();
  for (const { listeners } of gateways) {
    for (const listener of listeners) {
      if (!listener.ready) continue;
      const onPort = byPort.get(listener.port) ?? [];
      const protocolOwner = onPort[0];
      if (protocolOwner !== undefined && protocolOwner.protocol !== listener.protocol) {
        conflict(listener, 'ProtocolConflict', `port ${listener.port} is already served as ${protocolOwner.protocol} by listener ${protocolOwner.name} of ${protocolOwner.gatewayName}`, diagnostics);
        continue;
      }
      const hostOwner = onPort.find((other) => other.hostname === listener.hostname);
      if (hostOwner !== undefined) {
        conflict(listener, 'HostnameConflict', `port ${listener.port} already has a listener for ${listener.hostname ?? 'every hostname'}: ${hostOwner.name} of ${hostOwner.gatewayName}`, diagnostics);
        continue;
      }
      onPort.push(listener);
      byPort.set(listener.port, onPort);
    }
  }
  for (const { listeners } of gateways) {
    for (const listener of listeners) {
      if (!listener.conditions.some((c) => c.type === 'Conflicted')) listener.conditions.push(condition('Conflicted', false, 'NoConflicts', 'no conflict with another listener'));
    }
  }
  return { gateways, byPort };
}

function resolveListener(
  gateway: Gateway,
  gatewayName: string,
  gatewayNamespace: string,
  listener: Listener,
  index: number,
  secrets: ReadonlyMap<string, Secret>,
  grants: ReferenceGrants,
  diagnostics: Diagnostic[],
): ResolvedListener {
  const field = `spec.listeners[${index}]`;
  const report = (code: ErrorCode, at: string, message: string, severity: Diagnostic['severity'] = 'warning'): void => {
    const source = manifestSourceOf(gateway, at);
    diagnostics.push({ code, severity, object: gatewayName, field: at, message: `listener ${listener.name}: ${message}`, ...(source ? { source } : {}) });
  };
  const conditions: Condition[] = [];
  const supported = SUPPORTED_KINDS[listener.protocol];
  const resolved: ResolvedListener = {
    gatewayName,
    gatewayNamespace,
    gateway,
    name: listener.name,
    index,
    port: listener.port,
    protocol: listener.protocol,
    hostname: listener.hostname,
    allowedRoutes: listener.allowedRoutes ?? { namespaces: { from: 'Same' } },
    supportedKinds: [],
    certificates: [],
    ready: false,
    conditions,
    attachedRoutes: 0,
  };
  if (supported === undefined) {
    const message = `protocol ${listener.protocol} is not supported (HTTP and HTTPS are)`;
    report('SWY_GATEWAY_LISTENER_UNSUPPORTED', `${field}.protocol`, message);
    conditions.push(condition('Accepted', false, 'UnsupportedProtocol', message), condition('ResolvedRefs', true, 'ResolvedRefs', 'no references'), condition('Programmed', false, 'Invalid', message));
    return resolved;
  }

  // Route kinds: the listener takes those it names that we support, all we support by default.
  let kinds = supported;
  let refsOk = true;
  let refsReason = 'ResolvedRefs';
  let refsMessage = 'all references resolved';
  const named = listener.allowedRoutes?.kinds;
  if (named !== undefined && named.length > 0) {
    kinds = named.filter((kind) => supported.some((s) => s.kind === kind.kind && s.group === (kind.group ?? GATEWAY_API_GROUP)));
    const unsupported = named.filter((kind) => !kinds.includes(kind));
    if (unsupported.length > 0) {
      refsOk = false;
      refsReason = 'InvalidRouteKinds';
      refsMessage = `route kinds ${unsupported.map((k) => `${k.group ?? GATEWAY_API_GROUP}/${k.kind}`).join(', ')} are not supported`;
      report('SWY_GATEWAY_LISTENER_UNSUPPORTED', `${field}.allowedRoutes.kinds`, refsMessage);
    }
  }

  // HTTPS: its certificates.
  const certificates: ListenerCertificate[] = [];
  if (listener.protocol === 'HTTPS') {
    (listener.tls?.certificateRefs ?? []).forEach((ref, i) => {
      const at = `${field}.tls.certificateRefs[${i}]`;
      const namespace = ref.namespace ?? gatewayNamespace;
      const problem = (reason: string, message: string): void => {
        refsOk = false;
        refsReason = reason;
        refsMessage = message;
        report('SWY_GATEWAY_CERTIFICATE_REF_INVALID', at, message);
      };
      if ((ref.group ?? '') !== '' || (ref.kind ?? 'Secret') !== 'Secret') return problem('InvalidCertificateRef', `certificateRefs[${i}] is a ${ref.group ?? ''}/${ref.kind}, not a core Secret`);
      if (!grants.permits(gatewayEnd(gatewayNamespace), { group: '', kind: 'Secret', namespace }, ref.name)) {
        return problem('RefNotPermitted', `Secret ${namespace}/${ref.name} is in another namespace and no ReferenceGrant there permits Gateways of ${gatewayNamespace} to use it`);
      }
      const secret = secrets.get(`${namespace}/${ref.name}`);
      if (secret === undefined) return problem('InvalidCertificateRef', `Secret ${namespace}/${ref.name} is not found`);
      if (secret.type !== TLS_SECRET_TYPE) return problem('InvalidCertificateRef', `Secret ${namespace}/${ref.name} is of type ${secret.type ?? 'Opaque'}, not ${TLS_SECRET_TYPE}`);
      certificates.push({ namespace, name: ref.name, secret });
    });
    if (certificates.length === 0 && refsOk) {
      refsOk = false;
      refsReason = 'InvalidCertificateRef';
      refsMessage = 'an HTTPS listener needs a certificateRef';
      report('SWY_GATEWAY_CERTIFICATE_REF_INVALID', `${field}.tls`, refsMessage);
    }
  }
  const serves = kinds.length > 0 && (listener.protocol !== 'HTTPS' || certificates.length > 0);
  conditions.push(condition('Accepted', true, 'Accepted', 'the listener is accepted'), condition('ResolvedRefs', refsOk, refsReason, refsMessage));
  conditions.push(serves ? condition('Programmed', true, 'Programmed', 'the listener serves') : condition('Programmed', false, 'Invalid', refsMessage));
  return { ...resolved, supportedKinds: kinds, certificates, ready: serves, conditions };
}

function conflict(listener: ResolvedListener, reason: 'ProtocolConflict' | 'HostnameConflict', message: string, diagnostics: Diagnostic[]): void {
  listener.ready = false;
  listener.conditions.push(condition('Conflicted', true, reason, message));
  const programmed = listener.conditions.findIndex((c) => c.type === 'Programmed');
  listener.conditions[programmed] = condition('Programmed', false, 'Invalid', message);
  const field = `spec.listeners[${listener.index}]`;
  const source = manifestSourceOf(listener.gateway, field);
  diagnostics.push({ code: 'SWY_GATEWAY_PORT_CONFLICT', severity: 'warning', object: listener.gatewayName, field, message: `listener ${listener.name}: ${message}; this listener does not serve`, ...(source ? { source } : {}) });
}
