import { describe, expect, test } from 'vitest';
import type { ErrorCode } from '../../src/errors.js';
import { validateHTTPRoute } from '../../src/gateway-api/validate-http-route.js';
import { httpRoute, routeFilters, routeMatch, routeRule } from './builders.js';

/**
 * HTTPRoute validation as the API server does it: each row one rule of the CRD (schema or CEL),
 * with the code and field it reports. A valid row next to each shows the rule's other side.
 */

const M0 = 'spec.rules[0].matches[0]';
const F0 = 'spec.rules[0].filters[0]';
const BACKEND = { name: 'svc', port: 8080 };
const path = (type: unknown, value: unknown) => routeMatch({ path: { ...(type === undefined ? {} : { type }), ...(value === undefined ? {} : { value }) } });
const header = (entry: unknown) => routeMatch({ headers: [entry] });
const redirect = (settings: unknown) => routeFilters([{ type: 'RequestRedirect', requestRedirect: settings }]);
const rewrite = (settings: unknown) => routeFilters([{ type: 'URLRewrite', urlRewrite: settings }], { backendRefs: [BACKEND] });
const mirror = (settings: unknown) => routeFilters([{ type: 'RequestMirror', requestMirror: settings }], { backendRefs: [BACKEND] });
const backendRef = (ref: unknown) => routeRule({ backendRefs: [ref] });
const timeouts = (value: unknown) => routeRule({ backendRefs: [BACKEND], timeouts: value });
const parentRefs = (...refs: unknown[]) => httpRoute({ parentRefs: refs });
const prefixRewrite = { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' } } };

type Row = readonly [description: string, route: unknown, code: ErrorCode, field: string];

const INVALID: Row[] = [
  // object, apiVersion, metadata
  ['not an object', 'route', 'SWY_HTTPROUTE_FIELD_INVALID', ''],
  ['apiVersion v1alpha2', { ...httpRoute(), apiVersion: 'gateway.networking.k8s.io/v1alpha2' }, 'SWY_GATEWAY_API_VERSION_UNSUPPORTED', 'apiVersion'],
  ['kind of another object', { ...httpRoute(), kind: 'GRPCRoute' }, 'SWY_GATEWAY_API_VERSION_UNSUPPORTED', 'kind'],
  ['no metadata', { ...httpRoute(), metadata: undefined }, 'SWY_GATEWAY_API_METADATA_INVALID', 'metadata'],
  ['uppercase name', { ...httpRoute(), metadata: { name: 'Web' } }, 'SWY_GATEWAY_API_METADATA_INVALID', 'metadata.name'],
  ['namespace not a label', { ...httpRoute(), metadata: { name: 'web', namespace: 'a.b' } }, 'SWY_GATEWAY_API_METADATA_INVALID', 'metadata.namespace'],
  ['label value a number', { ...httpRoute(), metadata: { name: 'web', labels: { tier: 1 } } }, 'SWY_GATEWAY_API_METADATA_INVALID', 'metadata.labels[tier]'],
  ['no spec', { ...httpRoute(), spec: undefined }, 'SWY_HTTPROUTE_FIELD_INVALID', 'spec'],
  // parentRefs
  ['parentRef without name', parentRefs({ sectionName: 'http' }), 'SWY_HTTPROUTE_PARENT_REF_INVALID', 'spec.parentRefs[0].name'],
  ['parentRef port 0', parentRefs({ name: 'gw', port: 0 }), 'SWY_HTTPROUTE_PARENT_REF_INVALID', 'spec.parentRefs[0].port'],
  ['parentRef sectionName uppercase', parentRefs({ name: 'gw', sectionName: 'HTTP' }), 'SWY_HTTPROUTE_PARENT_REF_INVALID', 'spec.parentRefs[0].sectionName'],
  ['parentRef kind with a dot', parentRefs({ name: 'gw', kind: 'Gate.way' }), 'SWY_HTTPROUTE_PARENT_REF_INVALID', 'spec.parentRefs[0].kind'],
  ['same parent, one with sectionName', parentRefs({ name: 'gw' }, { name: 'gw', sectionName: 'http' }), 'SWY_HTTPROUTE_PARENT_REF_INVALID', 'spec.parentRefs[1].sectionName'],
  ['same parent, same sectionName', parentRefs({ name: 'gw', sectionName: 'http' }, { name: 'gw', sectionName: 'http' }), 'SWY_HTTPROUTE_PARENT_REF_INVALID', 'spec.parentRefs[1]'],
  ['same parent twice (defaulted group and kind)', parentRefs({ name: 'gw' }, { name: 'gw', group: 'gateway.networking.k8s.io', kind: 'Gateway' }), 'SWY_HTTPROUTE_PARENT_REF_INVALID', 'spec.parentRefs[1]'],
  ['33 parentRefs', parentRefs(...Array.from({ length: 33 }, (_, i) => ({ name: `gw${i}` }))), 'SWY_HTTPROUTE_PARENT_REF_INVALID', 'spec.parentRefs'],
  // hostnames
  ['hostname uppercase', httpRoute({ hostnames: ['Foo.com'] }), 'SWY_HTTPROUTE_HOSTNAME_INVALID', 'spec.hostnames[0]'],
  ['hostname with a port', httpRoute({ hostnames: ['foo.com:80'] }), 'SWY_HTTPROUTE_HOSTNAME_INVALID', 'spec.hostnames[0]'],
  ['hostname wildcard not first', httpRoute({ hostnames: ['foo.*.com'] }), 'SWY_HTTPROUTE_HOSTNAME_INVALID', 'spec.hostnames[0]'],
  ['hostname partial wildcard label', httpRoute({ hostnames: ['*foo.com'] }), 'SWY_HTTPROUTE_HOSTNAME_INVALID', 'spec.hostnames[0]'],
  ['hostname bare *', httpRoute({ hostnames: ['*'] }), 'SWY_HTTPROUTE_HOSTNAME_INVALID', 'spec.hostnames[0]'],
  ['hostname trailing dot', httpRoute({ hostnames: ['foo.com.'] }), 'SWY_HTTPROUTE_HOSTNAME_INVALID', 'spec.hostnames[0]'],
  ['hostname empty', httpRoute({ hostnames: [''] }), 'SWY_HTTPROUTE_HOSTNAME_INVALID', 'spec.hostnames[0]'],
  ['hostname 254 characters', httpRoute({ hostnames: [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`] }), 'SWY_HTTPROUTE_HOSTNAME_INVALID', 'spec.hostnames[0]'],
  ['17 hostnames', httpRoute({ hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.com`) }), 'SWY_HTTPROUTE_FIELD_INVALID', 'spec.hostnames'],
  // rules
  ['rules empty', httpRoute({ rules: [] }), 'SWY_HTTPROUTE_FIELD_INVALID', 'spec.rules'],
  ['rules not a list', httpRoute({ rules: { matches: [] } }), 'SWY_HTTPROUTE_FIELD_INVALID', 'spec.rules'],
  ['17 rules', httpRoute({ rules: Array.from({ length: 17 }, () => ({})) }), 'SWY_HTTPROUTE_FIELD_INVALID', 'spec.rules'],
  ['rule name uppercase', routeRule({ name: 'Rule' }), 'SWY_HTTPROUTE_FIELD_INVALID', 'spec.rules[0].name'],
  ['65 matches in a rule', routeRule({ matches: Array.from({ length: 65 }, () => ({})) }), 'SWY_HTTPROUTE_FIELD_INVALID', 'spec.rules[0].matches'],
  ['129 matches across rules', httpRoute({ rules: [...Array.from({ length: 2 }, () => ({ matches: Array.from({ length: 64 }, () => ({})) })), {}] }), 'SWY_HTTPROUTE_MATCH_INVALID', 'spec.rules'],
  // path
  ['path type unknown', path('Prefix', '/a'), 'SWY_HTTPROUTE_PATH_INVALID', `${M0}.path.type`],
  ['path type lowercase', path('exact', '/a'), 'SWY_HTTPROUTE_PATH_INVALID', `${M0}.path.type`],
  ...(['Exact', 'PathPrefix', undefined] as const).flatMap((type): Row[] => [
    ...['a', '', '/a//b', '/a/./b', '/a/../b', '/a%2fb', '/a%2Fb', '/a#b', '/a/..', '/a/.', '/a b', '/a?b', '/café', '/a%zz', '/a\\b'].map(
      (value): Row => [`${type ?? 'defaulted PathPrefix'} path ${JSON.stringify(value)}`, path(type, value), 'SWY_HTTPROUTE_PATH_INVALID', `${M0}.path.value`],
    ),
  ]),
  ['path value over 1024 characters', path('RegularExpression', `/${'a'.repeat(1024)}`), 'SWY_HTTPROUTE_PATH_INVALID', `${M0}.path.value`],
  ['path value a number', path('Exact', 42), 'SWY_HTTPROUTE_PATH_INVALID', `${M0}.path.value`],
  // headers, query params, method
  ['header name with a space', header({ name: 'x y', value: 'v' }), 'SWY_HTTPROUTE_MATCH_INVALID', `${M0}.headers[0].name`],
  ['header name with a colon', header({ name: ':authority', value: 'v' }), 'SWY_HTTPROUTE_MATCH_INVALID', `${M0}.headers[0].name`],
  ['header without value', header({ name: 'x' }), 'SWY_HTTPROUTE_MATCH_INVALID', `${M0}.headers[0].value`],
  ['header value empty', header({ name: 'x', value: '' }), 'SWY_HTTPROUTE_MATCH_INVALID', `${M0}.headers[0].value`],
  ['header type unknown', header({ name: 'x', value: 'v', type: 'Prefix' }), 'SWY_HTTPROUTE_MATCH_INVALID', `${M0}.headers[0].type`],
  ['header name twice in a match', routeMatch({ headers: [{ name: 'x', value: '1' }, { name: 'x', value: '2' }] }), 'SWY_HTTPROUTE_MATCH_INVALID', `${M0}.headers[1]`],
  ['17 headers', routeMatch({ headers: Array.from({ length: 17 }, (_, i) => ({ name: `h${i}`, value: 'v' })) }), 'SWY_HTTPROUTE_MATCH_INVALID', `${M0}.headers`],
  ['query param name twice', routeMatch({ queryParams: [{ name: 'q', value: '1' }, { name: 'q', value: '2' }] }), 'SWY_HTTPROUTE_MATCH_INVALID', `${M0}.queryParams[1]`],
  ['query param value over 1024', routeMatch({ queryParams: [{ name: 'q', value: 'v'.repeat(1025) }] }), 'SWY_HTTPROUTE_MATCH_INVALID', `${M0}.queryParams[0].value`],
  ['method lowercase', routeMatch({ method: 'get' }), 'SWY_HTTPROUTE_MATCH_INVALID', `${M0}.method`],
  // filters
  ['filter without type', routeFilters([{ requestHeaderModifier: { set: [{ name: 'x', value: 'v' }] } }]), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.type`],
  ['filter type unknown', routeFilters([{ type: 'Rewrite' }]), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.type`],
  ['filter type without its field', routeFilters([{ type: 'RequestHeaderModifier' }]), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestHeaderModifier`],
  ['filter field of another type', routeFilters([{ type: 'RequestHeaderModifier', requestHeaderModifier: {}, urlRewrite: {} }]), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.urlRewrite`],
  ['RequestRedirect and URLRewrite in one rule', routeFilters([{ type: 'RequestRedirect', requestRedirect: {} }, { type: 'URLRewrite', urlRewrite: {} }]), 'SWY_HTTPROUTE_FILTER_INVALID', 'spec.rules[0].filters[1]'],
  ...(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'CORS'] as const).map((type): Row => {
    const key = type === 'CORS' ? 'cors' : type === 'URLRewrite' ? 'urlRewrite' : `${type.charAt(0).toLowerCase()}${type.slice(1)}`;
    return [`${type} twice`, routeFilters([{ type, [key]: {} }, { type, [key]: {} }]), 'SWY_HTTPROUTE_FILTER_INVALID', 'spec.rules[0].filters[1]'];
  }),
  ['17 filters', routeFilters(Array.from({ length: 17 }, () => ({ type: 'RequestMirror', requestMirror: { backendRef: BACKEND } }))), 'SWY_HTTPROUTE_FILTER_INVALID', 'spec.rules[0].filters'],
  ['RequestRedirect with backendRefs', routeFilters([{ type: 'RequestRedirect', requestRedirect: {} }], { backendRefs: [BACKEND] }), 'SWY_HTTPROUTE_FILTER_INVALID', F0],
  ['header modifier name invalid', routeFilters([{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'a b', value: 'v' }] } }]), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestHeaderModifier.set[0].name`],
  ['header modifier add twice the same name', routeFilters([{ type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'x', value: '1' }, { name: 'x', value: '2' }] } }]), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.responseHeaderModifier.add[1]`],
  ['header modifier remove twice', routeFilters([{ type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['x', 'x'] } }]), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestHeaderModifier.remove[1]`],
  ['redirect statusCode 304', redirect({ statusCode: 304 }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestRedirect.statusCode`],
  ['redirect statusCode a string', redirect({ statusCode: '301' }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestRedirect.statusCode`],
  ['redirect scheme ftp', redirect({ scheme: 'ftp' }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestRedirect.scheme`],
  ['redirect hostname wildcard', redirect({ hostname: '*.example.com' }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestRedirect.hostname`],
  ['redirect port 70000', redirect({ port: 70000 }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestRedirect.port`],
  ['redirect path type unknown', redirect({ path: { type: 'ReplacePath', replaceFullPath: '/x' } }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestRedirect.path.type`],
  ['ReplaceFullPath without replaceFullPath', redirect({ path: { type: 'ReplaceFullPath' } }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestRedirect.path.replaceFullPath`],
  ['replacePrefixMatch with type ReplaceFullPath', redirect({ path: { type: 'ReplaceFullPath', replaceFullPath: '/x', replacePrefixMatch: '/y' } }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestRedirect.path.type`],
  ['rewrite hostname uppercase', rewrite({ hostname: 'Example.com' }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.urlRewrite.hostname`],
  ['rewrite ReplacePrefixMatch without replacePrefixMatch', rewrite({ path: { type: 'ReplacePrefixMatch' } }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.urlRewrite.path.replacePrefixMatch`],
  ['replacePrefixMatch with an Exact match', routeFilters([prefixRewrite], { matches: [{ path: { type: 'Exact', value: '/a' } }] }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.urlRewrite.path.replacePrefixMatch`],
  ['replacePrefixMatch with two matches', routeFilters([prefixRewrite], { matches: [{}, { path: { value: '/b' } }] }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.urlRewrite.path.replacePrefixMatch`],
  ['replacePrefixMatch with no matches (an empty list)', routeFilters([prefixRewrite], { matches: [] }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.urlRewrite.path.replacePrefixMatch`],
  ['redirect replacePrefixMatch with a RegularExpression match', routeFilters([{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }], { matches: [{ path: { type: 'RegularExpression', value: '/a.*' } }] }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestRedirect.path.replacePrefixMatch`],
  ['backendRef replacePrefixMatch with an Exact match', routeRule({ matches: [{ path: { type: 'Exact', value: '/a' } }], backendRefs: [{ ...BACKEND, filters: [prefixRewrite] }] }), 'SWY_HTTPROUTE_FILTER_INVALID', 'spec.rules[0].backendRefs[0].filters[0].urlRewrite.path.replacePrefixMatch'],
  ['mirror without backendRef', mirror({ percent: 10 }), 'SWY_HTTPROUTE_BACKEND_REF_INVALID', `${F0}.requestMirror.backendRef`],
  ['mirror backendRef Service without port', mirror({ backendRef: { name: 'svc' } }), 'SWY_HTTPROUTE_BACKEND_REF_INVALID', `${F0}.requestMirror.backendRef.port`],
  ['mirror percent 101', mirror({ backendRef: BACKEND, percent: 101 }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestMirror.percent`],
  ['mirror percent and fraction', mirror({ backendRef: BACKEND, percent: 10, fraction: { numerator: 1 } }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestMirror`],
  ['mirror fraction over the default denominator', mirror({ backendRef: BACKEND, fraction: { numerator: 101 } }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestMirror.fraction`],
  ['mirror fraction denominator 0', mirror({ backendRef: BACKEND, fraction: { numerator: 0, denominator: 0 } }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestMirror.fraction.denominator`],
  ['mirror fraction without numerator', mirror({ backendRef: BACKEND, fraction: { denominator: 10 } }), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.requestMirror.fraction.numerator`],
  ['extensionRef without group', routeFilters([{ type: 'ExtensionRef', extensionRef: { kind: 'Auth', name: 'a' } }]), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.extensionRef.group`],
  ['CORS origin without scheme', routeFilters([{ type: 'CORS', cors: { allowOrigins: ['example.com'] } }]), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.cors.allowOrigins[0]`],
  ['CORS * alongside other methods', routeFilters([{ type: 'CORS', cors: { allowMethods: ['*', 'GET'] } }]), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.cors.allowMethods`],
  ['CORS maxAge 0', routeFilters([{ type: 'CORS', cors: { maxAge: 0 } }]), 'SWY_HTTPROUTE_FILTER_INVALID', `${F0}.cors.maxAge`],
  ['backendRef filter repeated', routeRule({ backendRefs: [{ ...BACKEND, filters: [{ type: 'URLRewrite', urlRewrite: {} }, { type: 'URLRewrite', urlRewrite: {} }] }] }), 'SWY_HTTPROUTE_FILTER_INVALID', 'spec.rules[0].backendRefs[0].filters[1]'],
  // backendRefs
  ['backendRef without name', backendRef({ port: 80 }), 'SWY_HTTPROUTE_BACKEND_REF_INVALID', 'spec.rules[0].backendRefs[0].name'],
  ['backendRef Service without port', backendRef({ name: 'svc' }), 'SWY_HTTPROUTE_BACKEND_REF_INVALID', 'spec.rules[0].backendRefs[0].port'],
  ['backendRef explicit core Service without port', backendRef({ name: 'svc', group: '', kind: 'Service' }), 'SWY_HTTPROUTE_BACKEND_REF_INVALID', 'spec.rules[0].backendRefs[0].port'],
  ['backendRef weight -1', backendRef({ ...BACKEND, weight: -1 }), 'SWY_HTTPROUTE_BACKEND_REF_INVALID', 'spec.rules[0].backendRefs[0].weight'],
  ['backendRef weight 1000001', backendRef({ ...BACKEND, weight: 1_000_001 }), 'SWY_HTTPROUTE_BACKEND_REF_INVALID', 'spec.rules[0].backendRefs[0].weight'],
  ['backendRef weight 1.5', backendRef({ ...BACKEND, weight: 1.5 }), 'SWY_HTTPROUTE_BACKEND_REF_INVALID', 'spec.rules[0].backendRefs[0].weight'],
  ['backendRef port 65536', backendRef({ name: 'svc', port: 65536 }), 'SWY_HTTPROUTE_BACKEND_REF_INVALID', 'spec.rules[0].backendRefs[0].port'],
  ['backendRef port a string', backendRef({ name: 'svc', port: '80' }), 'SWY_HTTPROUTE_BACKEND_REF_INVALID', 'spec.rules[0].backendRefs[0].port'],
  ['backendRef namespace uppercase', backendRef({ ...BACKEND, namespace: 'Web' }), 'SWY_HTTPROUTE_BACKEND_REF_INVALID', 'spec.rules[0].backendRefs[0].namespace'],
  ['17 backendRefs', routeRule({ backendRefs: Array.from({ length: 17 }, () => BACKEND) }), 'SWY_HTTPROUTE_FIELD_INVALID', 'spec.rules[0].backendRefs'],
  // timeouts
  ...['1.5s', '10', '1us', '10 s', '-1s', '123456s', '1h1m1s1ms1h', 's', ''].map((value): Row => [`timeout ${JSON.stringify(value)}`, timeouts({ request: value }), 'SWY_HTTPROUTE_TIMEOUT_INVALID', 'spec.rules[0].timeouts.request']),
  ['backendRequest longer than request', timeouts({ request: '10s', backendRequest: '1m' }), 'SWY_HTTPROUTE_TIMEOUT_INVALID', 'spec.rules[0].timeouts.backendRequest'],
  ['backendRequest 1h longer than request 59m59s', timeouts({ request: '59m59s', backendRequest: '1h' }), 'SWY_HTTPROUTE_TIMEOUT_INVALID', 'spec.rules[0].timeouts.backendRequest'],
];

const VALID: readonly (readonly [string, unknown])[] = [
  ['the subject', httpRoute()],
  ['no rules (defaulted)', httpRoute({ rules: undefined })],
  ['apiVersion v1beta1', { ...httpRoute(), apiVersion: 'gateway.networking.k8s.io/v1beta1' }],
  ['no apiVersion or kind (written in code)', { metadata: { name: 'a' }, spec: {} }],
  ['null fields', httpRoute({ hostnames: null, rules: [{ matches: null, filters: null, backendRefs: [{ name: 'svc', port: 80, weight: null }] }] })],
  ['parentRefs to two listeners of one Gateway', parentRefs({ name: 'gw', sectionName: 'http' }, { name: 'gw', sectionName: 'https' })],
  ['parentRefs to one name in two namespaces', parentRefs({ name: 'gw', namespace: 'a' }, { name: 'gw', namespace: 'b' })],
  ['parentRefs to a Gateway and a Service of one name', parentRefs({ name: 'gw' }, { name: 'gw', group: '', kind: 'Service' })],
  ['hostnames exact and wildcard', httpRoute({ hostnames: ['foo.com', '*.foo.com', 'a-b.c1.example'] })],
  ['a rule without matches', routeRule({ backendRefs: [BACKEND] })],
  ['Exact /', path('Exact', '/')],
  ['path sub-delims, colon, at and escapes', path('PathPrefix', "/a-b_c.d~e!$&'()*+,;=:@/%C3%A9")],
  ['RegularExpression path with any characters', path('RegularExpression', '/a/(b|c)?.*#')],
  ['a match without path', routeMatch({ method: 'GET' })],
  ['headers differing in case (the API server only refuses exact repeats)', routeMatch({ headers: [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }] })],
  ['header RegularExpression', header({ name: 'x', value: '^a+$', type: 'RegularExpression' })],
  ['128 matches across rules', httpRoute({ rules: [...Array.from({ length: 2 }, () => ({ matches: Array.from({ length: 64 }, () => ({})) }))] })],
  ['redirect 301 with ReplacePrefixMatch and one PathPrefix match', redirect({ statusCode: 301, scheme: 'https', hostname: 'example.com', port: 443, path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' } })],
  ['replacePrefixMatch in a rule without matches (defaulted PathPrefix /)', routeRule({ filters: [prefixRewrite], backendRefs: [BACKEND] })],
  ['replacePrefixMatch in two backendRefs with an Exact match (the CEL rule uses exists_one)', routeRule({ matches: [{ path: { type: 'Exact', value: '/a' } }], backendRefs: [{ ...BACKEND, filters: [prefixRewrite] }, { ...BACKEND, filters: [prefixRewrite] }] })],
  ['ReplaceFullPath with several matches', routeFilters([{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/x' } } }], { matches: [{}, { path: { type: 'Exact', value: '/a' } }] })],
  ['RequestMirror twice', routeFilters([{ type: 'RequestMirror', requestMirror: { backendRef: BACKEND } }, { type: 'RequestMirror', requestMirror: { backendRef: { name: 'other', port: 80 } } }], { backendRefs: [BACKEND] })],
  ['mirror fraction 25/50', mirror({ backendRef: BACKEND, fraction: { numerator: 25, denominator: 50 } })],
  ['mirror to a non-Service without port', mirror({ backendRef: { name: 'bucket', group: 'storage.example.com', kind: 'Bucket' } })],
  ['header modifier set, add and remove', routeFilters([{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Set', value: 'v' }], add: [{ name: 'X-Add', value: 'v' }], remove: ['X-Remove'] } }], { backendRefs: [BACKEND] })],
  ['CORS', routeFilters([{ type: 'CORS', cors: { allowOrigins: ['https://*.example.com', 'http://a.com:8080'], allowMethods: ['GET', 'POST'], allowHeaders: ['*'], allowCredentials: true, maxAge: 60 } }], { backendRefs: [BACKEND] })],
  ['weight 0 and 1000000', routeRule({ backendRefs: [{ ...BACKEND, weight: 0 }, { ...BACKEND, weight: 1_000_000 }] })],
  ['timeouts', timeouts({ request: '1h30m', backendRequest: '500ms' })],
  ['backendRequest longer than a request of 0s (none)', timeouts({ request: '0s', backendRequest: '1m' })],
  ['four-part duration', timeouts({ request: '1h1m1s1ms' })],
];

describe('validateHTTPRoute', () => {
  test.each(INVALID)('refuses %s', (_, route, code, field) => {
    const result = validateHTTPRoute(route);
    expect(result.object).toBeUndefined();
    expect(result.original).toBe(route);
    expect(result.diagnostics.map((d) => [d.code, d.field])).toContainEqual([code, field]);
    for (const d of result.diagnostics) expect(d.severity).toBe('error');
  });

  test.each(VALID)('accepts %s', (_, route) => {
    const result = validateHTTPRoute(route);
    expect(result.diagnostics).toEqual([]);
    expect(result.object).toBeDefined();
  });

  test('names the object as namespace/name, default for none', () => {
    expect(validateHTTPRoute({ ...httpRoute(), metadata: { name: 'x', namespace: 'web' }, spec: { rules: [] } }).diagnostics[0]?.object).toBe('web/x');
    expect(validateHTTPRoute({ ...httpRoute(), metadata: { name: 'x' }, spec: { rules: [] } }).diagnostics[0]?.object).toBe('default/x');
  });

  test('reports each problem of an object', () => {
    const route = httpRoute({ hostnames: ['A.com'], rules: [{ matches: [{ path: { value: 'x' } }], backendRefs: [{ name: 'svc' }] }] });
    expect(validateHTTPRoute(route).diagnostics.map((d) => d.field)).toEqual(['spec.hostnames[0]', `${M0}.path.value`, 'spec.rules[0].backendRefs[0].port']);
  });
});
