import { isIP } from '../ip-address.js';
import { ADDRESS_TYPE, GROUP, HOSTNAME, KIND, LABEL_VALUE, OBJECT_NAME, PROTOCOL, SECTION_NAME, qualifiedNameProblem } from './api-formats.js';
import { withGatewayDefaults } from './crd-defaults.js';
import { isSet, type FieldChecks } from './field-checks.js';
import type { Gateway } from './model.js';
import { checkLabelSelector } from './validate-label-selector.js';
import { GATEWAY_API_VERSIONS, validateObject, type ObjectKind } from './validate-object.js';
import { checkReference } from './validate-reference.js';
import type { Validated } from './validated.js';

const GATEWAY: ObjectKind = {
  kind: 'Gateway',
  apiVersions: GATEWAY_API_VERSIONS,
  namespaced: true,
  name: 'subdomain',
  fieldCode: 'SWY_GATEWAY_FIELD_INVALID',
};

/** Protocols that carry no TLS settings of the listener's own. */
const PROTOCOLS_WITHOUT_TLS = ['HTTP', 'TCP', 'UDP'];
/** Protocols whose listeners match no hostname. */
const PROTOCOLS_WITHOUT_HOSTNAME = ['TCP', 'UDP'];
const ADDRESS_HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Validates a Gateway as the API server does: the CRD's schema (gatewayClassName, 1 to 64
 * listeners, name/hostname/port/protocol formats, TLS and allowedRoutes fields, addresses) and
 * its CEL rules (listener names unique; port, protocol and hostname unique together; `tls`
 * forbidden for HTTP/TCP/UDP, Terminate-only for HTTPS, required for TLS, and in Terminate mode
 * holding certificateRefs or options; no hostname on TCP/UDP; unique addresses). Never throws;
 * see `Validated`.
 */
export function validateGateway(input: unknown): Validated<Gateway> {
  return validateObject(input, GATEWAY, validateBody, withGatewayDefaults);
}

function validateBody(object: Record<string, unknown>, checks: FieldChecks): void {
  const spec = checks.record(object.spec, 'spec', { required: true });
  if (spec === undefined) return;
  checks.string(spec.gatewayClassName, 'spec.gatewayClassName', OBJECT_NAME, { required: true });
  const listeners = checks.list(spec.listeners, 'spec.listeners', { required: true, min: 1, max: 64 });
  if (listeners !== undefined) {
    listeners.forEach((listener, i) => checkListener(listener, `spec.listeners[${i}]`, checks));
    checkListenersUnique(listeners, checks.as('SWY_GATEWAY_LISTENER_CONFLICT'));
  }
  checkAddresses(spec.addresses, checks.as('SWY_GATEWAY_ADDRESS_INVALID'));
  checkInfrastructure(spec.infrastructure, checks);
  const allowedListeners = checks.record(spec.allowedListeners, 'spec.allowedListeners');
  if (allowedListeners !== undefined) checkNamespaces(allowedListeners.namespaces, 'spec.allowedListeners.namespaces', ['All', 'Selector', 'Same', 'None'], checks);
  checkGatewayTls(spec.tls, checks);
}

function checkListener(value: unknown, field: string, checks: FieldChecks): void {
  const listener = checks.record(value, field, { required: true });
  if (listener === undefined) return;
  checks.string(listener.name, `${field}.name`, SECTION_NAME, { required: true });
  const hostname = checks.as('SWY_GATEWAY_LISTENER_HOSTNAME_INVALID').string(listener.hostname, `${field}.hostname`, HOSTNAME);
  checks.as('SWY_GATEWAY_LISTENER_PORT_INVALID').integer(listener.port, `${field}.port`, { required: true, min: 1, max: 65535 });
  const protocol = checks.as('SWY_GATEWAY_LISTENER_PROTOCOL_INVALID').string(listener.protocol, `${field}.protocol`, PROTOCOL, { required: true });
  if (protocol !== undefined && PROTOCOLS_WITHOUT_HOSTNAME.includes(protocol) && hostname !== undefined && hostname !== '') {
    checks.as('SWY_GATEWAY_LISTENER_HOSTNAME_INVALID').problem(`${field}.hostname`, `hostname must not be specified for protocols ['TCP', 'UDP']`);
  }
  checkListenerTls(listener.tls, protocol, `${field}.tls`, checks.as('SWY_GATEWAY_LISTENER_TLS_INVALID'));
  checkAllowedRoutes(listener.allowedRoutes, `${field}.allowedRoutes`, checks);
}

function checkListenerTls(value: unknown, protocol: string | undefined, field: string, checks: FieldChecks): void {
  if (!isSet(value)) {
    if (protocol === 'TLS') checks.problem(field, 'tls mode must be set for protocol TLS');
    return;
  }
  if (protocol !== undefined && PROTOCOLS_WITHOUT_TLS.includes(protocol)) {
    checks.problem(field, `tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']`);
  }
  const tls = checks.record(value, field);
  if (tls === undefined) return;
  const mode = checks.oneOf(tls.mode, `${field}.mode`, ['Terminate', 'Passthrough']) ?? (isSet(tls.mode) ? undefined : 'Terminate');
  if (protocol === 'HTTPS' && mode === 'Passthrough') checks.problem(`${field}.mode`, 'tls mode must be Terminate for protocol HTTPS');
  const refs = checks.list(tls.certificateRefs, `${field}.certificateRefs`, { max: 64 });
  refs?.forEach((ref, i) => checkReference(ref, `${field}.certificateRefs[${i}]`, checks, { required: true, namespace: true }));
  const options = checks.stringMap(tls.options, `${field}.options`, { maxProperties: 16, value: { maxLength: 4096 } });
  if (mode === 'Terminate' && (refs === undefined || refs.length === 0) && (options === undefined || Object.keys(options).length === 0)) {
    checks.problem(field, 'certificateRefs or options must be specified when mode is Terminate');
  }
}

function checkAllowedRoutes(value: unknown, field: string, checks: FieldChecks): void {
  const allowedRoutes = checks.record(value, field);
  if (allowedRoutes === undefined) return;
  checkNamespaces(allowedRoutes.namespaces, `${field}.namespaces`, ['All', 'Selector', 'Same'], checks);
  checks.list(allowedRoutes.kinds, `${field}.kinds`, { max: 8 })?.forEach((entry, i) => {
    const kind = checks.record(entry, `${field}.kinds[${i}]`, { required: true });
    if (kind === undefined) return;
    checks.string(kind.group, `${field}.kinds[${i}].group`, GROUP);
    checks.string(kind.kind, `${field}.kinds[${i}].kind`, KIND, { required: true });
  });
}

function checkNamespaces(value: unknown, field: string, from: readonly string[], checks: FieldChecks): void {
  const namespaces = checks.record(value, field);
  if (namespaces === undefined) return;
  checks.oneOf(namespaces.from, `${field}.from`, from);
  checkLabelSelector(namespaces.selector, `${field}.selector`, checks);
}

/** Listener names unique; port, protocol and hostname unique together (a missing hostname is its own value). */
function checkListenersUnique(listeners: readonly unknown[], checks: FieldChecks): void {
  const names = new Map<unknown, number>();
  const endpoints = new Map<string, number>();
  listeners.forEach((value, i) => {
    if (typeof value !== 'object' || value === null) return;
    const { name, port, protocol, hostname } = value as Record<string, unknown>;
    if (typeof name === 'string') {
      const first = names.get(name);
      if (first === undefined) names.set(name, i);
      else checks.problem(`spec.listeners[${i}].name`, `Listener name must be unique within the Gateway: ${JSON.stringify(name)} is also spec.listeners[${first}]`);
    }
    if (typeof port !== 'number' || typeof protocol !== 'string') return;
    const key = JSON.stringify([port, protocol, typeof hostname === 'string' ? hostname : null]);
    const first = endpoints.get(key);
    if (first === undefined) endpoints.set(key, i);
    else checks.problem(`spec.listeners[${i}]`, `Combination of port, protocol and hostname must be unique for each listener: spec.listeners[${first}] has the same`);
  });
}

function checkAddresses(value: unknown, checks: FieldChecks): void {
  const addresses = checks.list(value, 'spec.addresses', { max: 16 });
  if (addresses === undefined) return;
  const seen = new Map<string, number>();
  addresses.forEach((entry, i) => {
    const field = `spec.addresses[${i}]`;
    const address = checks.record(entry, field, { required: true });
    if (address === undefined) return;
    const type = checks.string(address.type, `${field}.type`, ADDRESS_TYPE) ?? (isSet(address.type) ? undefined : 'IPAddress');
    const addressValue = checks.string(address.value, `${field}.value`, { maxLength: 253 });
    if (type === undefined || addressValue === undefined) return;
    if (type === 'IPAddress' && isIP(addressValue) === 0) checks.problem(`${field}.value`, `${JSON.stringify(addressValue)}: must be an IPv4 or IPv6 address for type IPAddress`);
    if (type === 'Hostname' && !ADDRESS_HOSTNAME.test(addressValue)) checks.problem(`${field}.value`, `${JSON.stringify(addressValue)}: Hostname value must be empty or contain only valid characters (a lowercase RFC 1123 hostname, optionally prefixed by '*.')`);
    if (type !== 'IPAddress' && type !== 'Hostname') return;
    const key = `${type} ${addressValue}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else checks.problem(field, `${type} values must be unique: spec.addresses[${first}] has ${JSON.stringify(addressValue)} too`);
  });
}

function checkInfrastructure(value: unknown, checks: FieldChecks): void {
  const infrastructure = checks.record(value, 'spec.infrastructure');
  if (infrastructure === undefined) return;
  checks.stringMap(infrastructure.labels, 'spec.infrastructure.labels', { maxProperties: 8, keyProblem: qualifiedNameProblem, value: LABEL_VALUE });
  checks.stringMap(infrastructure.annotations, 'spec.infrastructure.annotations', { maxProperties: 16, keyProblem: qualifiedNameProblem, value: { maxLength: 4096 } });
  checkReference(infrastructure.parametersRef, 'spec.infrastructure.parametersRef', checks, { groupKindRequired: true });
}

/** `spec.tls`: the client certificate the Gateway shows backends, and how it validates clients' certificates. */
function checkGatewayTls(value: unknown, checks: FieldChecks): void {
  const tls = checks.record(value, 'spec.tls');
  if (tls === undefined) return;
  const backend = checks.record(tls.backend, 'spec.tls.backend');
  if (backend !== undefined) checkReference(backend.clientCertificateRef, 'spec.tls.backend.clientCertificateRef', checks, { namespace: true });
  const frontend = checks.record(tls.frontend, 'spec.tls.frontend');
  if (frontend === undefined) return;
  const defaults = checks.record(frontend.default, 'spec.tls.frontend.default', { required: true });
  if (defaults !== undefined) checkClientValidation(defaults.validation, 'spec.tls.frontend.default.validation', checks);
  const perPort = checks.list(frontend.perPort, 'spec.tls.frontend.perPort', { max: 64 });
  perPort?.forEach((entry, i) => {
    const field = `spec.tls.frontend.perPort[${i}]`;
    const port = checks.record(entry, field, { required: true });
    if (port === undefined) return;
    checks.integer(port.port, `${field}.port`, { required: true, min: 1, max: 65535 });
    const portTls = checks.record(port.tls, `${field}.tls`, { required: true });
    if (portTls !== undefined) checkClientValidation(portTls.validation, `${field}.tls.validation`, checks);
  });
  if (perPort !== undefined) {
    checks.unique(perPort, 'spec.tls.frontend.perPort', (entry) => (typeof (entry as { port?: unknown } | null)?.port === 'number' ? String((entry as { port: number }).port) : undefined), 'port');
  }
}

function checkClientValidation(value: unknown, field: string, checks: FieldChecks): void {
  const validation = checks.record(value, field);
  if (validation === undefined) return;
  checks.list(validation.caCertificateRefs, `${field}.caCertificateRefs`, { required: true, min: 1, max: 16 })?.forEach((ref, i) => {
    checkReference(ref, `${field}.caCertificateRefs[${i}]`, checks, { required: true, groupKindRequired: true, namespace: true });
  });
  checks.oneOf(validation.mode, `${field}.mode`, ['AllowValidOnly', 'AllowInsecureFallback']);
}
