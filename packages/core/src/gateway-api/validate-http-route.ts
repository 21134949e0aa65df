import { DURATION, HEADER_NAME, HOSTNAME, MATCH_PATH_CHARACTERS, SECTION_NAME } from './api-formats.js';
import { withHTTPRouteDefaults } from './crd-defaults.js';
import { isRecord, isSet, type FieldChecks } from './field-checks.js';
import { GATEWAY_API_GROUP, type HTTPRoute } from './model.js';
import { parseDuration } from './duration.js';
import { HTTP_METHODS, checkFilters, nameOf } from './validate-http-route-filter.js';
import { GATEWAY_API_VERSIONS, validateObject, type ObjectKind } from './validate-object.js';
import { checkReference, checkServicePort } from './validate-reference.js';
import type { Validated } from './validated.js';

const HTTP_ROUTE: ObjectKind = {
  kind: 'HTTPRoute',
  apiVersions: GATEWAY_API_VERSIONS,
  namespaced: true,
  name: 'subdomain',
  fieldCode: 'SWY_HTTPROUTE_FIELD_INVALID',
};

const MAX_MATCHES_PER_ROUTE = 128;
// The API server refuses these in Exact and PathPrefix values (directory traversal, fragments).
const PATH_SEQUENCES_REFUSED = ['//', '/./', '/../', '%2f', '%2F', '#'];
const PATH_SUFFIXES_REFUSED = ['/..', '/.'];

/**
 * Validates an HTTPRoute as the API server does: the CRD's schema (formats, enums, lengths,
 * item counts) and its CEL rules (parentRefs to one parent told apart by sectionName; path
 * values absolute and free of `//`, `/./`, `/../`, `%2f`, `#` for Exact and PathPrefix; header
 * and query names unique within a match; at most 128 matches per route; filter type and field
 * agreeing; no RequestRedirect with URLRewrite, nor with backendRefs; `replacePrefixMatch` only
 * beside exactly one PathPrefix match; Service backendRefs with a port; backendRequest timeout
 * not over the request timeout). Never throws; see `Validated`.
 */
export function validateHTTPRoute(input: unknown): Validated<HTTPRoute> {
  return validateObject(input, HTTP_ROUTE, validateBody, withHTTPRouteDefaults);
}

function validateBody(object: Record<string, unknown>, checks: FieldChecks): void {
  const spec = checks.record(object.spec, 'spec', { required: true });
  if (spec === undefined) return;
  checkParentRefs(spec.parentRefs, checks.as('SWY_HTTPROUTE_PARENT_REF_INVALID'));
  const hostnames = checks.list(spec.hostnames, 'spec.hostnames', { max: 16 });
  hostnames?.forEach((hostname, i) => checks.as('SWY_HTTPROUTE_HOSTNAME_INVALID').string(hostname, `spec.hostnames[${i}]`, HOSTNAME, { required: true }));
  const rules = checks.list(spec.rules, 'spec.rules', { min: 1, max: 16 });
  if (rules === undefined) return;
  rules.forEach((rule, i) => checkRule(rule, `spec.rules[${i}]`, checks));
  // Counted as the API server counts them, after defaulting: a rule without matches has one.
  const total = rules.reduce<number>((sum, rule) => sum + (isRecord(rule) && Array.isArray(rule.matches) ? rule.matches.length : 1), 0);
  if (total > MAX_MATCHES_PER_ROUTE) {
    checks.as('SWY_HTTPROUTE_MATCH_INVALID').problem('spec.rules', `While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than ${MAX_MATCHES_PER_ROUTE} (has ${total})`);
  }
}

/** `spec.parentRefs` of a route (HTTPRoute and GRPCRoute share the schema and its CEL rules). */
export function checkParentRefs(value: unknown, checks: FieldChecks): void {
  const parentRefs = checks.list(value, 'spec.parentRefs', { max: 32 });
  if (parentRefs === undefined) return;
  parentRefs.forEach((entry, i) => {
    const field = `spec.parentRefs[${i}]`;
    const ref = checkReference(entry, field, checks, { required: true, namespace: true, port: true });
    if (ref !== undefined) checks.string(ref.sectionName, `${field}.sectionName`, SECTION_NAME);
  });
  // Two references to one parent (group, kind, namespace, name after defaulting) must both name distinct sections.
  const parentOf = (ref: unknown) => {
    if (!isRecord(ref)) return undefined;
    const { group = GATEWAY_API_GROUP, kind = 'Gateway', namespace = '', name } = ref;
    return JSON.stringify([group, kind, namespace, name]);
  };
  const sectionOf = (ref: unknown) => (isRecord(ref) && typeof ref.sectionName === 'string' ? ref.sectionName : '');
  parentRefs.forEach((ref, j) => {
    const parent = parentOf(ref);
    if (parent === undefined) return;
    for (let i = 0; i < j; i += 1) {
      if (parentOf(parentRefs[i]) !== parent) continue;
      const [first, second] = [sectionOf(parentRefs[i]), sectionOf(ref)];
      if ((first === '') !== (second === '')) {
        checks.problem(`spec.parentRefs[${j}].sectionName`, `sectionName must be specified when parentRefs includes 2 or more references to the same parent (spec.parentRefs[${i}])`);
        return;
      }
      if (first === second) {
        checks.problem(`spec.parentRefs[${j}]`, `sectionName must be unique when parentRefs includes 2 or more references to the same parent (spec.parentRefs[${i}])`);
        return;
      }
    }
  });
}

function checkRule(value: unknown, field: string, checks: FieldChecks): void {
  const rule = checks.record(value, field, { required: true });
  if (rule === undefined) return;
  checks.string(rule.name, `${field}.name`, SECTION_NAME);
  const matches = checks.list(rule.matches, `${field}.matches`, { max: 64 });
  matches?.forEach((match, i) => checkMatch(match, `${field}.matches[${i}]`, checks));
  const filterChecks = checks.as('SWY_HTTPROUTE_FILTER_INVALID');
  const filters = checkFilters(rule.filters, `${field}.filters`, filterChecks);
  const backendRefs = checks.list(rule.backendRefs, `${field}.backendRefs`, { max: 16 });
  backendRefs?.forEach((backendRef, i) => checkBackendRef(backendRef, `${field}.backendRefs[${i}]`, checks));
  checkTimeouts(rule.timeouts, `${field}.timeouts`, checks.as('SWY_HTTPROUTE_TIMEOUT_INVALID'));

  if (backendRefs !== undefined && backendRefs.length > 0) {
    filters?.forEach((filter, i) => {
      if (isRecord(filter) && isSet(filter.requestRedirect)) filterChecks.problem(`${field}.filters[${i}]`, 'RequestRedirect filter must not be used together with backendRefs');
    });
  }
  // As the API server counts them: a rule without matches has the default PathPrefix one.
  const onePrefixMatch = matches === undefined ? true : matches.length === 1 && isRecord(matches[0]) && pathTypeOf(matches[0].path) === 'PathPrefix';
  if (onePrefixMatch) return;
  for (const kind of ['requestRedirect', 'urlRewrite'] as const) {
    const inRule = (filters ?? []).flatMap((filter, i) => (replacesPrefix(filter, kind) ? [`${field}.filters[${i}]`] : []));
    // The CEL rules use exists_one: they fire for exactly one such filter in the rule, or one such backendRef.
    if (inRule.length === 1) prefixMatchProblem(filterChecks, `${inRule[0]}.${kind}.path.replacePrefixMatch`, kind, false);
    const inBackends = (backendRefs ?? []).flatMap((backendRef, b) => {
      const backendFilters = isRecord(backendRef) && Array.isArray(backendRef.filters) ? backendRef.filters : [];
      const found = backendFilters.filter((filter) => replacesPrefix(filter, kind)).length;
      return found === 1 ? [`${field}.backendRefs[${b}].filters[${backendFilters.findIndex((filter) => replacesPrefix(filter, kind))}]`] : [];
    });
    if (inBackends.length === 1) prefixMatchProblem(filterChecks, `${inBackends[0]}.${kind}.path.replacePrefixMatch`, kind, true);
  }
}

function prefixMatchProblem(checks: FieldChecks, field: string, kind: 'requestRedirect' | 'urlRewrite', inBackendRefs: boolean): void {
  const filter = kind === 'requestRedirect' ? 'RequestRedirect' : 'URLRewrite';
  checks.problem(field, `${inBackendRefs ? 'Within backendRefs, when' : 'When'} using ${filter} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified`);
}

function replacesPrefix(filter: unknown, kind: 'requestRedirect' | 'urlRewrite'): boolean {
  if (!isRecord(filter)) return false;
  const settings = filter[kind];
  if (!isRecord(settings) || !isRecord(settings.path)) return false;
  return settings.path.type === 'ReplacePrefixMatch' && isSet(settings.path.replacePrefixMatch);
}

/** A match path's type after defaulting (no path, or no type: PathPrefix). */
function pathTypeOf(path: unknown): unknown {
  if (!isSet(path)) return 'PathPrefix';
  return isRecord(path) ? (path.type ?? 'PathPrefix') : undefined;
}

function checkMatch(value: unknown, field: string, checks: FieldChecks): void {
  const match = checks.record(value, field, { required: true });
  if (match === undefined) return;
  checkPathMatch(match.path, `${field}.path`, checks.as('SWY_HTTPROUTE_PATH_INVALID'));
  const matchChecks = checks.as('SWY_HTTPROUTE_MATCH_INVALID');
  for (const [key, valueLength] of [['headers', 4096], ['queryParams', 1024]] as const) {
    const entries = matchChecks.list(match[key], `${field}.${key}`, { max: 16 });
    if (entries === undefined) continue;
    entries.forEach((entry, i) => {
      const entryField = `${field}.${key}[${i}]`;
      const condition = matchChecks.record(entry, entryField, { required: true });
      if (condition === undefined) return;
      matchChecks.string(condition.name, `${entryField}.name`, HEADER_NAME, { required: true });
      matchChecks.oneOf(condition.type, `${entryField}.type`, ['Exact', 'RegularExpression']);
      matchChecks.string(condition.value, `${entryField}.value`, { minLength: 1, maxLength: valueLength }, { required: true });
    });
    matchChecks.unique(entries, `${field}.${key}`, nameOf, key === 'headers' ? 'header name' : 'query parameter name');
  }
  matchChecks.oneOf(match.method, `${field}.method`, HTTP_METHODS);
}

function checkPathMatch(value: unknown, field: string, checks: FieldChecks): void {
  const path = checks.record(value, field);
  if (path === undefined) return;
  const type = checks.oneOf(path.type, `${field}.type`, ['Exact', 'PathPrefix', 'RegularExpression']) ?? (isSet(path.type) ? undefined : 'PathPrefix');
  const pathValue = checks.string(path.value, `${field}.value`, { maxLength: 1024 }) ?? (isSet(path.value) ? undefined : '/');
  if (pathValue === undefined || (type !== 'Exact' && type !== 'PathPrefix')) return;
  const problem = (message: string) => checks.problem(`${field}.value`, `${JSON.stringify(pathValue)}: ${message} when type one of ['Exact', 'PathPrefix']`);
  if (!pathValue.startsWith('/')) problem("value must be an absolute path and start with '/'");
  for (const sequence of PATH_SEQUENCES_REFUSED) if (pathValue.includes(sequence)) problem(`must not contain '${sequence}'`);
  for (const suffix of PATH_SUFFIXES_REFUSED) if (pathValue.endsWith(suffix)) problem(`must not end with '${suffix}'`);
  if (!MATCH_PATH_CHARACTERS.test(pathValue)) problem("must only contain valid characters (RFC 3986 path characters and '%XX' escapes)");
}

function checkBackendRef(value: unknown, field: string, checks: FieldChecks): void {
  const backendChecks = checks.as('SWY_HTTPROUTE_BACKEND_REF_INVALID');
  const ref = checkReference(value, field, backendChecks, { required: true, namespace: true, port: true });
  if (ref === undefined) return;
  backendChecks.integer(ref.weight, `${field}.weight`, { min: 0, max: 1_000_000 });
  checkServicePort(ref, field, backendChecks);
  checkFilters(ref.filters, `${field}.filters`, checks.as('SWY_HTTPROUTE_FILTER_INVALID'));
}

function checkTimeouts(value: unknown, field: string, checks: FieldChecks): void {
  const timeouts = checks.record(value, field);
  if (timeouts === undefined) return;
  const request = checks.string(timeouts.request, `${field}.request`, DURATION);
  const backendRequest = checks.string(timeouts.backendRequest, `${field}.backendRequest`, DURATION);
  if (request === undefined || backendRequest === undefined) return;
  const requestMs = parseDuration(request);
  if (requestMs !== 0 && parseDuration(backendRequest) > requestMs) {
    checks.problem(`${field}.backendRequest`, `backendRequest timeout cannot be longer than request timeout (${backendRequest} > ${request})`);
  }
}
