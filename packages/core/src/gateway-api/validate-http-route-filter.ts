import { CORS_ORIGIN, GROUP, HEADER_NAME, KIND, OBJECT_NAME, PRECISE_HOSTNAME } from './api-formats.js';
import { isRecord, isSet, type FieldChecks } from './field-checks.js';
import { checkReference, checkServicePort } from './validate-reference.js';

/** Each filter type and the field that carries its settings. */
const FILTER_FIELDS = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
  CORS: 'cors',
} as const;
const FILTER_TYPES = Object.keys(FILTER_FIELDS) as (keyof typeof FILTER_FIELDS)[];
/** Types a filter list may hold once at most (RequestMirror and ExtensionRef may repeat). */
const SINGLE_FILTER_TYPES = ['CORS', 'RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite'];
/** The methods an HTTPRoute match (and a CORS filter) may name. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const;

/**
 * The filters of a rule or of a backendRef (one schema): at most 16; each with a known `type`
 * and exactly the field of that type; no RequestRedirect beside a URLRewrite; none of the
 * single-use types twice. `types` narrows the known types (GRPCRoute's enum is smaller).
 * Returns the list when it is one.
 */
export function checkFilters(value: unknown, field: string, checks: FieldChecks, types: readonly string[] = FILTER_TYPES): unknown[] | undefined {
  const filters = checks.list(value, field, { max: 16 });
  if (filters === undefined) return undefined;
  filters.forEach((filter, i) => checkFilter(filter, `${field}[${i}]`, checks, types));
  const typeOf = (filter: unknown) => (isRecord(filter) && typeof filter.type === 'string' ? filter.type : undefined);
  const redirect = filters.findIndex((f) => typeOf(f) === 'RequestRedirect');
  const rewrite = filters.findIndex((f) => typeOf(f) === 'URLRewrite');
  if (redirect >= 0 && rewrite >= 0) {
    checks.problem(`${field}[${Math.max(redirect, rewrite)}]`, 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both');
  }
  const seen = new Map<string, number>();
  filters.forEach((filter, i) => {
    const type = typeOf(filter);
    if (type === undefined || !SINGLE_FILTER_TYPES.includes(type)) return;
    const first = seen.get(type);
    if (first === undefined) seen.set(type, i);
    else checks.problem(`${field}[${i}]`, `${type} filter cannot be repeated (also ${field}[${first}])`);
  });
  return filters;
}

function checkFilter(value: unknown, field: string, checks: FieldChecks, types: readonly string[]): void {
  const filter = checks.record(value, field, { required: true });
  if (filter === undefined) return;
  const type = checks.oneOf(filter.type, `${field}.type`, types, { required: true });
  for (const filterType of FILTER_TYPES) {
    const key = FILTER_FIELDS[filterType];
    const present = isSet(filter[key]);
    if (present && type !== undefined && type !== filterType) checks.problem(`${field}.${key}`, `filter.${key} must be nil if the filter.type is not ${filterType}`);
    if (!present && type === filterType) checks.problem(`${field}.${key}`, `filter.${key} must be specified for ${filterType} filter.type`);
  }
  checkHeaderModifier(filter.requestHeaderModifier, `${field}.requestHeaderModifier`, checks);
  checkHeaderModifier(filter.responseHeaderModifier, `${field}.responseHeaderModifier`, checks);
  checkRequestMirror(filter.requestMirror, `${field}.requestMirror`, checks);
  checkRequestRedirect(filter.requestRedirect, `${field}.requestRedirect`, checks);
  checkUrlRewrite(filter.urlRewrite, `${field}.urlRewrite`, checks);
  const extensionRef = checks.record(filter.extensionRef, `${field}.extensionRef`);
  if (extensionRef !== undefined) {
    checks.string(extensionRef.group, `${field}.extensionRef.group`, GROUP, { required: true });
    checks.string(extensionRef.kind, `${field}.extensionRef.kind`, KIND, { required: true });
    checks.string(extensionRef.name, `${field}.extensionRef.name`, OBJECT_NAME, { required: true });
  }
  checkCors(filter.cors, `${field}.cors`, checks);
}

function checkHeaderModifier(value: unknown, field: string, checks: FieldChecks): void {
  const modifier = checks.record(value, field);
  if (modifier === undefined) return;
  for (const list of ['set', 'add'] as const) {
    const headers = checks.list(modifier[list], `${field}.${list}`, { max: 16 });
    if (headers === undefined) continue;
    headers.forEach((entry, i) => {
      const header = checks.record(entry, `${field}.${list}[${i}]`, { required: true });
      if (header === undefined) return;
      checks.string(header.name, `${field}.${list}[${i}].name`, HEADER_NAME, { required: true });
      checks.string(header.value, `${field}.${list}[${i}].value`, { minLength: 1, maxLength: 4096 }, { required: true });
    });
    checks.unique(headers, `${field}.${list}`, nameOf, 'header name');
  }
  const remove = checks.list(modifier.remove, `${field}.remove`, { max: 16 });
  if (remove !== undefined) {
    remove.forEach((name, i) => checks.string(name, `${field}.remove[${i}]`, {}, { required: true }));
    checks.unique(remove, `${field}.remove`, (name) => (typeof name === 'string' ? JSON.stringify(name) : undefined), 'header name');
  }
}

function checkRequestMirror(value: unknown, field: string, checks: FieldChecks): void {
  const mirror = checks.record(value, field);
  if (mirror === undefined) return;
  const backendChecks = checks.as('SWY_HTTPROUTE_BACKEND_REF_INVALID');
  const backendRef = checkReference(mirror.backendRef, `${field}.backendRef`, backendChecks, { required: true, namespace: true, port: true });
  if (backendRef !== undefined) checkServicePort(backendRef, `${field}.backendRef`, backendChecks);
  checks.integer(mirror.percent, `${field}.percent`, { min: 0, max: 100 });
  const fraction = checks.record(mirror.fraction, `${field}.fraction`);
  if (fraction !== undefined) {
    const numerator = checks.integer(fraction.numerator, `${field}.fraction.numerator`, { required: true, min: 0 });
    const denominator = checks.integer(fraction.denominator, `${field}.fraction.denominator`, { min: 1 }) ?? (isSet(fraction.denominator) ? undefined : 100);
    if (numerator !== undefined && denominator !== undefined && numerator > denominator) {
      checks.problem(`${field}.fraction`, `numerator must be less than or equal to denominator (${numerator} > ${denominator})`);
    }
  }
  if (isSet(mirror.percent) && isSet(mirror.fraction)) checks.problem(field, 'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter');
}

function checkRequestRedirect(value: unknown, field: string, checks: FieldChecks): void {
  const redirect = checks.record(value, field);
  if (redirect === undefined) return;
  checks.oneOf(redirect.scheme, `${field}.scheme`, ['http', 'https']);
  checks.string(redirect.hostname, `${field}.hostname`, PRECISE_HOSTNAME);
  checkPathModifier(redirect.path, `${field}.path`, checks);
  checks.integer(redirect.port, `${field}.port`, { min: 1, max: 65535 });
  checks.oneOf(redirect.statusCode, `${field}.statusCode`, [301, 302, 303, 307, 308]);
}

function checkUrlRewrite(value: unknown, field: string, checks: FieldChecks): void {
  const rewrite = checks.record(value, field);
  if (rewrite === undefined) return;
  checks.string(rewrite.hostname, `${field}.hostname`, PRECISE_HOSTNAME);
  checkPathModifier(rewrite.path, `${field}.path`, checks);
}

function checkPathModifier(value: unknown, field: string, checks: FieldChecks): void {
  const path = checks.record(value, field);
  if (path === undefined) return;
  const type = checks.oneOf(path.type, `${field}.type`, ['ReplaceFullPath', 'ReplacePrefixMatch'], { required: true });
  checks.string(path.replaceFullPath, `${field}.replaceFullPath`, { maxLength: 1024 });
  checks.string(path.replacePrefixMatch, `${field}.replacePrefixMatch`, { maxLength: 1024 });
  if (type === undefined) return;
  for (const [pathType, key] of [['ReplaceFullPath', 'replaceFullPath'], ['ReplacePrefixMatch', 'replacePrefixMatch']] as const) {
    if (type === pathType && !isSet(path[key])) checks.problem(`${field}.${key}`, `${key} must be specified when type is set to '${pathType}'`);
    if (type !== pathType && isSet(path[key])) checks.problem(`${field}.type`, `type must be '${pathType}' when ${key} is set`);
  }
}

function checkCors(value: unknown, field: string, checks: FieldChecks): void {
  const cors = checks.record(value, field);
  if (cors === undefined) return;
  const origins = checks.list(cors.allowOrigins, `${field}.allowOrigins`, { max: 64 });
  origins?.forEach((origin, i) => checks.string(origin, `${field}.allowOrigins[${i}]`, CORS_ORIGIN, { required: true }));
  checks.boolean(cors.allowCredentials, `${field}.allowCredentials`);
  const methods = checks.list(cors.allowMethods, `${field}.allowMethods`, { max: 9 });
  methods?.forEach((method, i) => checks.oneOf(method, `${field}.allowMethods[${i}]`, [...HTTP_METHODS, '*'], { required: true }));
  const allowHeaders = checks.list(cors.allowHeaders, `${field}.allowHeaders`, { max: 64 });
  allowHeaders?.forEach((name, i) => checks.string(name, `${field}.allowHeaders[${i}]`, HEADER_NAME, { required: true }));
  const exposeHeaders = checks.list(cors.exposeHeaders, `${field}.exposeHeaders`, { max: 64 });
  exposeHeaders?.forEach((name, i) => checks.string(name, `${field}.exposeHeaders[${i}]`, HEADER_NAME, { required: true }));
  for (const [key, list, what] of [['allowOrigins', origins, 'origins'], ['allowMethods', methods, 'methods'], ['allowHeaders', allowHeaders, 'methods'], ['exposeHeaders', exposeHeaders, undefined]] as const) {
    if (list === undefined) continue;
    checks.unique(list, `${field}.${key}`, (item) => (typeof item === 'string' ? JSON.stringify(item) : undefined), 'value');
    // The CRD's messages say "methods" for allowHeaders too.
    if (what !== undefined && list.includes('*') && list.length > 1) {
      checks.problem(`${field}.${key}`, `${key.charAt(0).toUpperCase()}${key.slice(1)} cannot contain '*' alongside other ${what}`);
    }
  }
  checks.integer(cors.maxAge, `${field}.maxAge`, { min: 1 });
}

/** The `name` of a `listType=map` entry, for duplicate checks. */
export function nameOf(entry: unknown): string | undefined {
  return isRecord(entry) && typeof entry.name === 'string' ? JSON.stringify(entry.name) : undefined;
}
