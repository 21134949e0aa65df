import { describe, expect, test } from 'vitest';
import type { ErrorCode } from '../../src/errors.js';
import { validateGateway } from '../../src/gateway-api/validate-gateway.js';
import { validateGatewayClass } from '../../src/gateway-api/validate-gateway-class.js';
import { validateNamespace } from '../../src/gateway-api/validate-namespace.js';
import { validateReferenceGrant } from '../../src/gateway-api/validate-reference-grant.js';
import type { Validated } from '../../src/gateway-api/validated.js';
import { HTTPS_TLS, gateway, gatewayClass, gatewayListeners, namespace, referenceGrant } from './builders.js';

/** Gateway, GatewayClass, ReferenceGrant and Namespace validation: one row per rule of the CRDs. */

const L0 = 'spec.listeners[0]';
const http = (extra: Record<string, unknown> = {}) => ({ name: 'http', port: 80, protocol: 'HTTP', ...extra });
const https = (extra: Record<string, unknown> = {}) => ({ name: 'https', port: 443, protocol: 'HTTPS', tls: HTTPS_TLS, ...extra });
const listener = (extra: Record<string, unknown>) => gatewayListeners(http(extra));

type Row = readonly [description: string, validate: (input: unknown) => Validated<unknown>, input: unknown, code: ErrorCode, field: string];
const G = validateGateway as (input: unknown) => Validated<unknown>;
const C = validateGatewayClass as (input: unknown) => Validated<unknown>;
const R = validateReferenceGrant as (input: unknown) => Validated<unknown>;
const N = validateNamespace as (input: unknown) => Validated<unknown>;

const INVALID: Row[] = [
  // Gateway: schema
  ['Gateway without spec', G, { ...gateway(), spec: undefined }, 'SWY_GATEWAY_FIELD_INVALID', 'spec'],
  ['Gateway without gatewayClassName', G, gateway({ gatewayClassName: undefined }), 'SWY_GATEWAY_FIELD_INVALID', 'spec.gatewayClassName'],
  ['Gateway without listeners', G, gateway({ listeners: undefined }), 'SWY_GATEWAY_FIELD_INVALID', 'spec.listeners'],
  ['Gateway with no listeners', G, gatewayListeners(), 'SWY_GATEWAY_FIELD_INVALID', 'spec.listeners'],
  ['65 listeners', G, gatewayListeners(...Array.from({ length: 65 }, (_, i) => http({ name: `l${i}`, port: 1000 + i }))), 'SWY_GATEWAY_FIELD_INVALID', 'spec.listeners'],
  ['listener name uppercase', G, listener({ name: 'HTTP' }), 'SWY_GATEWAY_FIELD_INVALID', `${L0}.name`],
  ['listener without name', G, listener({ name: undefined }), 'SWY_GATEWAY_FIELD_INVALID', `${L0}.name`],
  ['listener port 0', G, listener({ port: 0 }), 'SWY_GATEWAY_LISTENER_PORT_INVALID', `${L0}.port`],
  ['listener port 65536', G, listener({ port: 65536 }), 'SWY_GATEWAY_LISTENER_PORT_INVALID', `${L0}.port`],
  ['listener port a string', G, listener({ port: '80' }), 'SWY_GATEWAY_LISTENER_PORT_INVALID', `${L0}.port`],
  ['listener without port', G, listener({ port: undefined }), 'SWY_GATEWAY_LISTENER_PORT_INVALID', `${L0}.port`],
  ['listener without protocol', G, listener({ protocol: undefined }), 'SWY_GATEWAY_LISTENER_PROTOCOL_INVALID', `${L0}.protocol`],
  ['listener protocol with a space', G, listener({ protocol: 'HT TP' }), 'SWY_GATEWAY_LISTENER_PROTOCOL_INVALID', `${L0}.protocol`],
  ['listener hostname uppercase', G, listener({ hostname: 'Foo.com' }), 'SWY_GATEWAY_LISTENER_HOSTNAME_INVALID', `${L0}.hostname`],
  ['listener hostname wildcard not first', G, listener({ hostname: 'a.*.com' }), 'SWY_GATEWAY_LISTENER_HOSTNAME_INVALID', `${L0}.hostname`],
  ['listener hostname with a port', G, listener({ hostname: 'foo.com:80' }), 'SWY_GATEWAY_LISTENER_HOSTNAME_INVALID', `${L0}.hostname`],
  ['allowedRoutes from None (only allowedListeners has it)', G, listener({ allowedRoutes: { namespaces: { from: 'None' } } }), 'SWY_GATEWAY_FIELD_INVALID', `${L0}.allowedRoutes.namespaces.from`],
  ['allowedRoutes kind without kind', G, listener({ allowedRoutes: { kinds: [{ group: 'gateway.networking.k8s.io' }] } }), 'SWY_GATEWAY_FIELD_INVALID', `${L0}.allowedRoutes.kinds[0].kind`],
  ['allowedRoutes 9 kinds', G, listener({ allowedRoutes: { kinds: Array.from({ length: 9 }, () => ({ kind: 'HTTPRoute' })) } }), 'SWY_GATEWAY_FIELD_INVALID', `${L0}.allowedRoutes.kinds`],
  ['selector matchLabels value a number', G, listener({ allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 1 } } } } }), 'SWY_GATEWAY_FIELD_INVALID', `${L0}.allowedRoutes.namespaces.selector.matchLabels[team]`],
  // Gateway: CEL rules
  ['listener names repeated', G, gatewayListeners(http(), http({ port: 8080 })), 'SWY_GATEWAY_LISTENER_CONFLICT', 'spec.listeners[1].name'],
  ['port, protocol and hostname repeated', G, gatewayListeners(http({ hostname: 'a.com' }), http({ name: 'other', hostname: 'a.com' })), 'SWY_GATEWAY_LISTENER_CONFLICT', 'spec.listeners[1]'],
  ['port and protocol repeated, both without hostname', G, gatewayListeners(http(), http({ name: 'other' })), 'SWY_GATEWAY_LISTENER_CONFLICT', 'spec.listeners[1]'],
  ['tls on an HTTP listener', G, listener({ tls: HTTPS_TLS }), 'SWY_GATEWAY_LISTENER_TLS_INVALID', `${L0}.tls`],
  ['tls on a TCP listener', G, gatewayListeners({ name: 'tcp', port: 9000, protocol: 'TCP', tls: HTTPS_TLS }), 'SWY_GATEWAY_LISTENER_TLS_INVALID', `${L0}.tls`],
  ['HTTPS listener in Passthrough mode', G, gatewayListeners(https({ tls: { mode: 'Passthrough' } })), 'SWY_GATEWAY_LISTENER_TLS_INVALID', `${L0}.tls.mode`],
  ['TLS listener without tls', G, gatewayListeners({ name: 'tls', port: 443, protocol: 'TLS' }), 'SWY_GATEWAY_LISTENER_TLS_INVALID', `${L0}.tls`],
  ['Terminate (defaulted) without certificateRefs or options', G, gatewayListeners(https({ tls: {} })), 'SWY_GATEWAY_LISTENER_TLS_INVALID', `${L0}.tls`],
  ['Terminate with an empty certificateRefs list', G, gatewayListeners(https({ tls: { mode: 'Terminate', certificateRefs: [] } })), 'SWY_GATEWAY_LISTENER_TLS_INVALID', `${L0}.tls`],
  ['tls mode unknown', G, gatewayListeners(https({ tls: { mode: 'Mutual', certificateRefs: [{ name: 'c' }] } })), 'SWY_GATEWAY_LISTENER_TLS_INVALID', `${L0}.tls.mode`],
  ['certificateRef without name', G, gatewayListeners(https({ tls: { certificateRefs: [{ kind: 'Secret' }] } })), 'SWY_GATEWAY_LISTENER_TLS_INVALID', `${L0}.tls.certificateRefs[0].name`],
  ['hostname on a TCP listener', G, gatewayListeners({ name: 'tcp', port: 9000, protocol: 'TCP', hostname: 'a.com' }), 'SWY_GATEWAY_LISTENER_HOSTNAME_INVALID', `${L0}.hostname`],
  ['hostname on a UDP listener', G, gatewayListeners({ name: 'udp', port: 53, protocol: 'UDP', hostname: 'a.com' }), 'SWY_GATEWAY_LISTENER_HOSTNAME_INVALID', `${L0}.hostname`],
  // Gateway: addresses
  ['IPAddress not an IP', G, gateway({ addresses: [{ value: 'lb.example.com' }] }), 'SWY_GATEWAY_ADDRESS_INVALID', 'spec.addresses[0].value'],
  ['Hostname address uppercase', G, gateway({ addresses: [{ type: 'Hostname', value: 'LB.example.com' }] }), 'SWY_GATEWAY_ADDRESS_INVALID', 'spec.addresses[0].value'],
  ['IPAddress repeated', G, gateway({ addresses: [{ value: '192.0.2.1' }, { type: 'IPAddress', value: '192.0.2.1' }] }), 'SWY_GATEWAY_ADDRESS_INVALID', 'spec.addresses[1]'],
  ['address type lowercase word', G, gateway({ addresses: [{ type: 'ip', value: '192.0.2.1' }] }), 'SWY_GATEWAY_ADDRESS_INVALID', 'spec.addresses[0].type'],
  ['infrastructure with 9 labels', G, gateway({ infrastructure: { labels: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`l${i}`, 'v'])) } }), 'SWY_GATEWAY_FIELD_INVALID', 'spec.infrastructure.labels'],
  ['frontend validation without caCertificateRefs', G, gateway({ tls: { frontend: { default: { validation: {} } } } }), 'SWY_GATEWAY_FIELD_INVALID', 'spec.tls.frontend.default.validation.caCertificateRefs'],
  // GatewayClass
  ['GatewayClass without controllerName', C, gatewayClass({}), 'SWY_GATEWAYCLASS_FIELD_INVALID', 'spec.controllerName'],
  ['GatewayClass controllerName without a path', C, gatewayClass({ controllerName: 'switchyard' }), 'SWY_GATEWAYCLASS_FIELD_INVALID', 'spec.controllerName'],
  ['GatewayClass description over 64 characters', C, gatewayClass({ controllerName: 'a.dev/x', description: 'd'.repeat(65) }), 'SWY_GATEWAYCLASS_FIELD_INVALID', 'spec.description'],
  ['GatewayClass parametersRef without group', C, gatewayClass({ controllerName: 'a.dev/x', parametersRef: { kind: 'ConfigMap', name: 'p' } }), 'SWY_GATEWAYCLASS_FIELD_INVALID', 'spec.parametersRef.group'],
  // ReferenceGrant
  ['ReferenceGrant without from', R, referenceGrant({ from: undefined }), 'SWY_REFERENCEGRANT_FIELD_INVALID', 'spec.from'],
  ['ReferenceGrant with an empty to', R, referenceGrant({ to: [] }), 'SWY_REFERENCEGRANT_FIELD_INVALID', 'spec.to'],
  ['ReferenceGrant from without namespace', R, referenceGrant({ from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }] }), 'SWY_REFERENCEGRANT_FIELD_INVALID', 'spec.from[0].namespace'],
  ['ReferenceGrant to without group', R, referenceGrant({ to: [{ kind: 'Service' }] }), 'SWY_REFERENCEGRANT_FIELD_INVALID', 'spec.to[0].group'],
  ['ReferenceGrant to group uppercase', R, referenceGrant({ to: [{ group: 'Core', kind: 'Service' }] }), 'SWY_REFERENCEGRANT_FIELD_INVALID', 'spec.to[0].group'],
  ['ReferenceGrant 17 from', R, referenceGrant({ from: Array.from({ length: 17 }, () => ({ group: '', kind: 'Pod', namespace: 'a' })) }), 'SWY_REFERENCEGRANT_FIELD_INVALID', 'spec.from'],
  ['ReferenceGrant v1alpha2', R, { ...referenceGrant(), apiVersion: 'gateway.networking.k8s.io/v1alpha2' }, 'SWY_GATEWAY_API_VERSION_UNSUPPORTED', 'apiVersion'],
  // Namespace
  ['Namespace name a subdomain', N, namespace({ name: 'a.b' }), 'SWY_GATEWAY_API_METADATA_INVALID', 'metadata.name'],
  ['Namespace label key invalid', N, namespace({ name: 'a', labels: { '-x': 'v' } }), 'SWY_GATEWAY_API_METADATA_INVALID', 'metadata.labels[-x]'],
  ['Namespace label value too long', N, namespace({ name: 'a', labels: { x: 'v'.repeat(64) } }), 'SWY_GATEWAY_API_METADATA_INVALID', 'metadata.labels[x]'],
  ['Namespace apiVersion apps/v1', N, { ...namespace(), apiVersion: 'apps/v1' }, 'SWY_GATEWAY_API_VERSION_UNSUPPORTED', 'apiVersion'],
];

const VALID: readonly (readonly [string, (input: unknown) => Validated<unknown>, unknown])[] = [
  ['the Gateway', G, gateway()],
  ['listeners on one port told apart by hostname', G, gatewayListeners(http(), http({ name: 'a', hostname: 'a.com' }), http({ name: 'wild', hostname: '*.a.com' }))],
  ['HTTP and HTTPS listeners on one port', G, gatewayListeners(http({ port: 8443 }), https({ port: 8443 }))],
  ['HTTPS in Terminate mode with options only', G, gatewayListeners(https({ tls: { options: { 'example.com/cert-source': 'vault' } } }))],
  ['HTTPS without tls (the CRD does not require it)', G, gatewayListeners(https({ tls: undefined }))],
  ['TLS Passthrough', G, gatewayListeners({ name: 'tls', port: 443, protocol: 'TLS', hostname: 'a.com', tls: { mode: 'Passthrough' } })],
  ['TCP without hostname', G, gatewayListeners({ name: 'tcp', port: 9000, protocol: 'TCP' })],
  ['a domain-prefixed protocol', G, gatewayListeners({ name: 'x', port: 9000, protocol: 'example.com/proto' })],
  ['allowedRoutes Selector with matchExpressions', G, listener({ allowedRoutes: { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] } }, kinds: [{ kind: 'HTTPRoute' }] } })],
  ['addresses: IP without value, IPv6, hostname', G, gateway({ addresses: [{ type: 'IPAddress' }, { value: '2001:db8::1' }, { type: 'Hostname', value: '*.lb.example.com' }, { type: 'NamedAddress', value: 'pool-a' }] })],
  ['the GatewayClass', C, gatewayClass()],
  ['GatewayClass v1beta1 with a namespace (ignored: cluster-scoped)', C, { ...gatewayClass(), apiVersion: 'gateway.networking.k8s.io/v1beta1', metadata: { name: 'c', namespace: 'x' } }],
  ['the ReferenceGrant (v1beta1)', R, referenceGrant()],
  ['ReferenceGrant v1 to a named Secret', R, { ...referenceGrant({ to: [{ group: '', kind: 'Secret', name: 'cert' }] }), apiVersion: 'gateway.networking.k8s.io/v1' }],
  ['the Namespace', N, namespace()],
  ['Namespace with prefixed label keys', N, namespace({ name: 'web', labels: { 'kubernetes.io/metadata.name': 'web', 'example.com/team': '' } })],
];

describe('Gateway, GatewayClass, ReferenceGrant and Namespace validation', () => {
  test.each(INVALID)('refuses %s', (_, validate, input, code, field) => {
    const result = validate(input);
    expect(result.object).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.field])).toContainEqual([code, field]);
  });

  test.each(VALID)('accepts %s', (_, validate, input) => {
    const result = validate(input);
    expect(result.diagnostics).toEqual([]);
    expect(result.object).toBeDefined();
  });

  test('cluster-scoped objects are named by their name alone', () => {
    expect(validateGatewayClass(gatewayClass({})).diagnostics[0]?.object).toBe('switchyard');
    expect(validateGateway(gateway({ listeners: [] })).diagnostics[0]?.object).toBe('infra/gw');
  });
});
