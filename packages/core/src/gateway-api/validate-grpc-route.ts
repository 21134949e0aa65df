import { HEADER_NAME, HOSTNAME, SECTION_NAME } from './api-formats.js';
import { withGRPCRouteDefaults } from './crd-defaults.js';
import { isRecord, isSet, type FieldChecks } from './field-checks.js';
import type { GRPCRoute } from './model.js';
import { checkFilters, nameOf } from './validate-http-route-filter.js';
import { checkParentRefs } from './validate-http-route.js';
import { GATEWAY_API_VERSIONS, validateObject, type ObjectKind } from './validate-object.js';
import { checkReference, checkServicePort } from './validate-reference.js';
import type { Validated } from './validated.js';

const GRPC_ROUTE: ObjectKind = {
  kind: 'GRPCRoute',
  apiVersions: GATEWAY_API_VERSIONS,
  namespaced: true,
  name: 'subdomain',
  fieldCode: 'SWY_GRPCROUTE_FIELD_INVALID',
};

const MAX_MATCHES_PER_ROUTE = 128;
/** GRPCRouteFilter's type enum: no redirect, rewrite or CORS for gRPC. */
const GRPC_FILTER_TYPES = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'ExtensionRef'] as const;
// The CRD's CEL rules for Exact values (case-insensitive service, as `(?i)` there says).
const EXACT_SERVICE = /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i;
const EXACT_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

/**
 * Validates a GRPCRoute as the API server does: the CRD's schema and its CEL rules (parentRefs
 * told apart by sectionName; a method match with a type names a service or a method; Exact
 * service and method names made of the characters the CRD allows; header names unique within a
 * match; at most 128 matches per route; filter types from GRPCRoute's enum, each with its own
 * field, header modifiers not repeated; Service backendRefs with a port). A RegularExpression
 * is checked when compiled (the linear-time engine may refuse it). Never throws; see `Validated`.
 */
export function validateGRPCRoute(input: unknown): Validated<GRPCRoute> {
  return validateObject(input, GRPC_ROUTE, validateBody, withGRPCRouteDefaults);
}

function validateBody(object: Record<string, unknown>, checks: FieldChecks): void {
  const spec = checks.record(object.spec, 'spec', { required: true });
  if (spec === undefined) return;
  checkParentRefs(spec.parentRefs, checks.as('SWY_GRPCROUTE_PARENT_REF_INVALID'));
  const hostnames = checks.list(spec.hostnames, 'spec.hostnames', { max: 16 });
  hostnames?.forEach((hostname, i) => checks.as('SWY_GRPCROUTE_HOSTNAME_INVALID').string(hostname, `spec.hostnames[${i}]`, HOSTNAME, { required: true }));
  // Unlike HTTPRoute's, GRPCRoute's rules are optional: a route without rules attaches and routes nothing.
  const rules = checks.list(spec.rules, 'spec.rules', { max: 16 });
  if (rules === undefined) return;
  rules.forEach((rule, i) => checkRule(rule, `spec.rules[${i}]`, checks));
  const total = rules.reduce<number>((sum, rule) => sum + (isRecord(rule) && Array.isArray(rule.matches) ? rule.matches.length : 0), 0);
  if (total > MAX_MATCHES_PER_ROUTE) {
    checks.as('SWY_GRPCROUTE_MATCH_INVALID').problem('spec.rules', `While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than ${MAX_MATCHES_PER_ROUTE} (has ${total})`);
  }
}

function checkRule(value: unknown, field: string, checks: FieldChecks): void {
  const rule = checks.record(value, field, { required: true });
  if (rule === undefined) return;
  checks.string(rule.name, `${field}.name`, SECTION_NAME);
  const matches = checks.list(rule.matches, `${field}.matches`, { max: 64 });
  matches?.forEach((match, i) => checkMatch(match, `${field}.matches[${i}]`, checks.as('SWY_GRPCROUTE_MATCH_INVALID')));
  checkFilters(rule.filters, `${field}.filters`, checks.as('SWY_GRPCROUTE_FILTER_INVALID'), GRPC_FILTER_TYPES);
  const backendRefs = checks.list(rule.backendRefs, `${field}.backendRefs`, { max: 16 });
  backendRefs?.forEach((backendRef, i) => checkBackendRef(backendRef, `${field}.backendRefs[${i}]`, checks));
}

function checkMatch(value: unknown, field: string, checks: FieldChecks): void {
  const match = checks.record(value, field, { required: true });
  if (match === undefined) return;
  const method = checks.record(match.method, `${field}.method`);
  if (method !== undefined) {
    const type = checks.oneOf(method.type, `${field}.method.type`, ['Exact', 'RegularExpression']) ?? (isSet(method.type) ? undefined : 'Exact');
    const service = checks.string(method.service, `${field}.method.service`, { maxLength: 1024 });
    const name = checks.string(method.method, `${field}.method.method`, { maxLength: 1024 });
    if (isSet(method.type) && !isSet(method.service) && !isSet(method.method)) checks.problem(`${field}.method`, "One or both of 'service' or 'method' must be specified");
    if (type === 'Exact' && service !== undefined && !EXACT_SERVICE.test(service)) {
      checks.problem(`${field}.method.service`, `${JSON.stringify(service)}: service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)`);
    }
    if (type === 'Exact' && name !== undefined && !EXACT_METHOD.test(name)) {
      checks.problem(`${field}.method.method`, `${JSON.stringify(name)}: method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)`);
    }
  }
  const headers = checks.list(match.headers, `${field}.headers`, { max: 16 });
  if (headers === undefined) return;
  headers.forEach((entry, i) => {
    const at = `${field}.headers[${i}]`;
    const header = checks.record(entry, at, { required: true });
    if (header === undefined) return;
    checks.string(header.name, `${at}.name`, HEADER_NAME, { required: true });
    checks.oneOf(header.type, `${at}.type`, ['Exact', 'RegularExpression']);
    checks.string(header.value, `${at}.value`, { minLength: 1, maxLength: 4096 }, { required: true });
  });
  checks.unique(headers, `${field}.headers`, nameOf, 'header name');
}

function checkBackendRef(value: unknown, field: string, checks: FieldChecks): void {
  const backendChecks = checks.as('SWY_GRPCROUTE_BACKEND_REF_INVALID');
  const ref = checkReference(value, field, backendChecks, { required: true, namespace: true, port: true });
  if (ref === undefined) return;
  backendChecks.integer(ref.weight, `${field}.weight`, { min: 0, max: 1_000_000 });
  checkServicePort(ref, field, backendChecks);
  checkFilters(ref.filters, `${field}.filters`, checks.as('SWY_GRPCROUTE_FILTER_INVALID'), GRPC_FILTER_TYPES);
}
