import { compile, validateIngress, type Diagnostic, type ErrorCode, type Ingress } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { compileIngresses, expectClean, origin, untyped, withCode } from './helpers/ingress-builders.js';
import { ingress, prefix, rule } from '@switchyard/test-utils';

/**
 * Validation as the Kubernetes API server does it (networking/v1 `ValidateIngressSpec` and
 * friends): every rule below is a row with the code and the field it reports. An invalid
 * Ingress is left out whole; the others still compile.
 */

const P0 = 'spec.rules[0].http.paths[0]';
const VALID_BACKEND = { service: { name: 'svc', port: { number: 80 } } };

/**
 * The subject of every row: `spec.rules[0].http.paths[0]` is the entry a row changes, and
 * rules[1] is a valid sibling that must not route when the Ingress is invalid.
 */
function subject(changes: { metadata?: unknown; spec?: unknown; rule0?: unknown; path0?: unknown } = {}): Ingress {
  const path0 = 'path0' in changes ? changes.path0 : { path: '/ok', pathType: 'Prefix', backend: VALID_BACKEND };
  const rule0 = 'rule0' in changes ? changes.rule0 : { host: 'foo.com', http: { paths: [path0] } };
  const spec = 'spec' in changes ? changes.spec : { rules: [rule0, { host: 'foo.com', http: { paths: [{ path: '/sibling', pathType: 'Prefix', backend: VALID_BACKEND }] } }] };
  const metadata = 'metadata' in changes ? changes.metadata : { name: 'subject' };
  return untyped({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...(metadata === undefined ? {} : { metadata }), ...(spec === undefined ? {} : { spec }) });
}

const path = (value: unknown, pathType: unknown) => subject({ path0: { ...(value === undefined ? {} : { path: value }), ...(pathType === undefined ? {} : { pathType }), backend: VALID_BACKEND } });
const host = (value: unknown) => subject({ rule0: { host: value, http: { paths: [{ path: '/ok', pathType: 'Prefix', backend: VALID_BACKEND }] } } });
const backend = (value: unknown) => subject({ path0: { path: '/ok', pathType: 'Prefix', ...(value === undefined ? {} : { backend: value }) } });
const servicePort = (port: unknown) => backend({ service: { name: 'svc', ...(port === undefined ? {} : { port }) } });
const serviceName = (name: unknown) => backend({ service: { ...(name === undefined ? {} : { name }), port: { number: 80 } } });
const tls = (entry: unknown) => {
  const ingress = subject() as unknown as { spec: Record<string, unknown> };
  ingress.spec.tls = [entry];
  return ingress as unknown as Ingress;
};

type InvalidRow = readonly [description: string, ingress: Ingress, code: ErrorCode, field: string];

const PATH_SEQUENCES_REFUSED = ['/foo//bar', '//', '/foo/./bar', '/foo/../bar', '/foo%2fbar', '/foo%2Fbar', '/foo/..', '/..', '/foo/.', '/.'];

const INVALID: InvalidRow[] = [
  // path
  ...(['Exact', 'Prefix'] as const).flatMap((type): InvalidRow[] => [
    [`${type} path not starting with /`, path('foo', type), 'SWY_INGRESS_PATH_INVALID', `${P0}.path`],
    [`${type} path empty`, path('', type), 'SWY_INGRESS_PATH_INVALID', `${P0}.path`],
    [`${type} path omitted`, path(undefined, type), 'SWY_INGRESS_PATH_INVALID', `${P0}.path`],
    ...PATH_SEQUENCES_REFUSED.map((value): InvalidRow => [`${type} path ${value}`, path(value, type), 'SWY_INGRESS_PATH_INVALID', `${P0}.path`]),
  ]),
  ['ImplementationSpecific path not starting with /', path('foo', 'ImplementationSpecific'), 'SWY_INGRESS_PATH_INVALID', `${P0}.path`],
  // pathType
  ['pathType missing', path('/ok', undefined), 'SWY_INGRESS_PATH_TYPE_INVALID', `${P0}.pathType`],
  ['pathType unknown', path('/ok', 'Regex'), 'SWY_INGRESS_PATH_TYPE_INVALID', `${P0}.pathType`],
  ['pathType in the wrong case', path('/ok', 'prefix'), 'SWY_INGRESS_PATH_TYPE_INVALID', `${P0}.pathType`],
  // host
  ['host uppercase', host('Foo.com'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['host with a port', host('foo.com:8080'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['host an IPv4 address', host('10.0.0.1'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['host an IPv4 address with leading zeros (ParseIPSloppy takes it)', host('010.000.000.001'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['host an IPv6 address', host('::1'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['host an IPv6 address in brackets', host('[2001:db8::1]'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['host with a trailing dot', host('foo.com.'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['host with an underscore', host('foo_bar.com'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['host starting with a hyphen', host('-foo.com'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['wildcard without a dot', host('*foo.com'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['wildcard not leftmost', host('a.*.com'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['wildcard with nothing after it', host('*.'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['wildcard alone', host('*'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['wildcard twice', host('*.*.foo.com'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  ['wildcard uppercase', host('*.Foo.com'), 'SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
  // backend
  ['backend with both service and resource', backend({ ...VALID_BACKEND, resource: { kind: 'Bucket', name: 'b' } }), 'SWY_INGRESS_BACKEND_INVALID', `${P0}.backend`],
  ['backend with neither service nor resource', backend({}), 'SWY_INGRESS_BACKEND_INVALID', `${P0}.backend`],
  ['backend missing', backend(undefined), 'SWY_INGRESS_BACKEND_INVALID', `${P0}.backend`],
  ['service name starting with a digit (not DNS-1035)', serviceName('1abc'), 'SWY_INGRESS_SERVICE_NAME_INVALID', `${P0}.backend.service.name`],
  ['service name uppercase', serviceName('Abc'), 'SWY_INGRESS_SERVICE_NAME_INVALID', `${P0}.backend.service.name`],
  ['service name with a dot', serviceName('a.b'), 'SWY_INGRESS_SERVICE_NAME_INVALID', `${P0}.backend.service.name`],
  ['service name ending with a hyphen', serviceName('abc-'), 'SWY_INGRESS_SERVICE_NAME_INVALID', `${P0}.backend.service.name`],
  ['service name of 64 characters', serviceName('a'.repeat(64)), 'SWY_INGRESS_SERVICE_NAME_INVALID', `${P0}.backend.service.name`],
  ['service name empty', serviceName(''), 'SWY_INGRESS_SERVICE_NAME_INVALID', `${P0}.backend.service.name`],
  ['service name missing', serviceName(undefined), 'SWY_INGRESS_SERVICE_NAME_INVALID', `${P0}.backend.service.name`],
  ['service port with both number and name', servicePort({ number: 80, name: 'http' }), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port`],
  ['service port with neither number nor name', servicePort({}), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port`],
  ['service port missing', servicePort(undefined), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port`],
  // The API server reads number 0 as unset: "port name or number is required".
  ['service port number 0', servicePort({ number: 0 }), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port`],
  ['service port number 65536', servicePort({ number: 65536 }), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port.number`],
  ['service port number negative', servicePort({ number: -1 }), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port.number`],
  ['service port number not an integer', servicePort({ number: 80.5 }), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port.number`],
  ['service port name with consecutive hyphens', servicePort({ name: 'http--x' }), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port.name`],
  ['service port name starting with a hyphen', servicePort({ name: '-http' }), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port.name`],
  ['service port name ending with a hyphen', servicePort({ name: 'http-' }), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port.name`],
  ['service port name of 16 characters', servicePort({ name: 'abcdefghijklmnop' }), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port.name`],
  ['service port name without a letter', servicePort({ name: '123' }), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port.name`],
  ['service port name uppercase', servicePort({ name: 'HTTP' }), 'SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port.name`],
  ['resource without kind', backend({ resource: { name: 'bucket' } }), 'SWY_INGRESS_RESOURCE_INVALID', `${P0}.backend.resource.kind`],
  ['resource without name', backend({ resource: { kind: 'StorageBucket' } }), 'SWY_INGRESS_RESOURCE_INVALID', `${P0}.backend.resource.name`],
  ['resource with an invalid apiGroup', backend({ resource: { apiGroup: 'Not_A_Group', kind: 'StorageBucket', name: 'b' } }), 'SWY_INGRESS_RESOURCE_INVALID', `${P0}.backend.resource.apiGroup`],
  ['resource name with a slash', backend({ resource: { kind: 'StorageBucket', name: 'a/b' } }), 'SWY_INGRESS_RESOURCE_INVALID', `${P0}.backend.resource.name`],
  ['default backend invalid', subject({ spec: { defaultBackend: { service: { name: 'Bad', port: { number: 80 } } } } }), 'SWY_INGRESS_SERVICE_NAME_INVALID', 'spec.defaultBackend.service.name'],
  // spec
  ['neither rules nor defaultBackend', subject({ spec: {} }), 'SWY_INGRESS_SPEC_EMPTY', 'spec'],
  ['empty rules and no defaultBackend', subject({ spec: { rules: [] } }), 'SWY_INGRESS_SPEC_EMPTY', 'spec'],
  ['no spec at all', subject({ spec: undefined }), 'SWY_INGRESS_SPEC_EMPTY', 'spec'],
  ['http with an empty paths list', subject({ rule0: { host: 'foo.com', http: { paths: [] } } }), 'SWY_INGRESS_PATHS_EMPTY', 'spec.rules[0].http.paths'],
  ['http without paths', subject({ rule0: { host: 'foo.com', http: {} } }), 'SWY_INGRESS_PATHS_EMPTY', 'spec.rules[0].http.paths'],
  // metadata
  ['metadata.name missing', subject({ metadata: {} }), 'SWY_INGRESS_METADATA_INVALID', 'metadata.name'],
  ['metadata missing', subject({ metadata: undefined }), 'SWY_INGRESS_METADATA_INVALID', 'metadata'],
  ['metadata.name not a DNS subdomain', subject({ metadata: { name: 'Not_A_Name' } }), 'SWY_INGRESS_METADATA_INVALID', 'metadata.name'],
  ['metadata.namespace not a DNS label', subject({ metadata: { name: 'subject', namespace: 'a.b' } }), 'SWY_INGRESS_METADATA_INVALID', 'metadata.namespace'],
  ['metadata.creationTimestamp not a time', subject({ metadata: { name: 'subject', creationTimestamp: 'yesterday' } }), 'SWY_INGRESS_METADATA_INVALID', 'metadata.creationTimestamp'],
  // wrong types, as parsed YAML can have them
  ['spec not an object', subject({ spec: 'rules' }), 'SWY_INGRESS_FIELD_INVALID', 'spec'],
  ['rules not a list', subject({ spec: { rules: { host: 'foo.com' } } }), 'SWY_INGRESS_FIELD_INVALID', 'spec.rules'],
  ['a rule not an object', subject({ rule0: 'foo.com' }), 'SWY_INGRESS_FIELD_INVALID', 'spec.rules[0]'],
  ['host not a string', host(42), 'SWY_INGRESS_FIELD_INVALID', 'spec.rules[0].host'],
  ['paths not a list', subject({ rule0: { host: 'foo.com', http: { paths: { path: '/' } } } }), 'SWY_INGRESS_FIELD_INVALID', 'spec.rules[0].http.paths'],
  ['a path entry not an object', subject({ path0: '/ok' }), 'SWY_INGRESS_FIELD_INVALID', P0],
  ['path a number', path(42, 'Prefix'), 'SWY_INGRESS_FIELD_INVALID', `${P0}.path`],
  ['tls not a list', subject({ spec: { rules: [{ host: 'foo.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: VALID_BACKEND }] } }], tls: { hosts: [] } } }), 'SWY_INGRESS_FIELD_INVALID', 'spec.tls'],
  // tls
  ['tls host uppercase', tls({ hosts: ['Foo.com'], secretName: 'foo-tls' }), 'SWY_INGRESS_TLS_INVALID', 'spec.tls[0].hosts[0]'],
  ['tls host a bad wildcard', tls({ hosts: ['foo.com', '*foo.com'] }), 'SWY_INGRESS_TLS_INVALID', 'spec.tls[0].hosts[1]'],
  ['tls secretName not a DNS subdomain', tls({ hosts: ['foo.com'], secretName: 'Foo_TLS' }), 'SWY_INGRESS_TLS_INVALID', 'spec.tls[0].secretName'],
];

const VALID: Array<readonly [description: string, ingress: Ingress]> = [
  ...PATH_SEQUENCES_REFUSED.map((value) => [`ImplementationSpecific path ${value}`, path(value, 'ImplementationSpecific')] as const),
  ['ImplementationSpecific path omitted', path(undefined, 'ImplementationSpecific')],
  ['ImplementationSpecific path empty', path('', 'ImplementationSpecific')],
  ...(['Exact', 'Prefix'] as const).flatMap((type) =>
    ['/', '/foo/', '/.well-known/acme-challenge', '/foo.bar', '/foo/..bar', '/foo/.bar', '/foo/...', '/a%2Eb', '/caf%C3%A9'].map(
      (value) => [`${type} path ${value}`, path(value, type)] as const,
    ),
  ),
  ['wildcard host *.foo.com', host('*.foo.com')],
  ['wildcard host on a one-label domain', host('*.com')],
  ['host with digits and hyphens', host('a-1.b2.example')],
  ['host of three numeric labels (not an IP)', host('1.2.3')],
  ['host empty (no host)', host('')],
  ['a rule without http', subject({ rule0: { host: 'bar.com' } })],
  ['service name of 63 characters', serviceName('a'.repeat(63))],
  ['service port name of 15 characters', servicePort({ name: 'abcdefghijklmno' })],
  ['service port name with single hyphens and digits', servicePort({ name: 'h2c-web-1' })],
  ['service port number 1', servicePort({ number: 1 })],
  ['service port number 65535', servicePort({ number: 65535 })],
  ['a resource backend', backend({ resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static-assets' } })],
  ['a resource backend without apiGroup', backend({ resource: { kind: 'StorageBucket', name: 'static-assets' } })],
  ['only a default backend', subject({ spec: { defaultBackend: VALID_BACKEND } })],
  ['tls with a wildcard host and a secret', tls({ hosts: ['*.foo.com', 'foo.com'], secretName: 'foo-tls' })],
  ['tls without a secret (SNI only)', tls({ hosts: ['foo.com'] })],
  // The API server checks tls hosts as DNS-1123 subdomains only (no IP check, unlike rule
  // hosts), and 10.0.0.1 is one: a cluster-valid Ingress must not be left out here.
  ['tls host that looks like an IPv4 address', tls({ hosts: ['10.0.0.1'], secretName: 'ip-tls' })],
];

const CONTROL = ingress('control', { rules: [rule('control.com', prefix('/', 'control'))] });

describe('invalid Ingresses', () => {
  test.each(INVALID.map(([description, invalid, code, field]) => [description, code, field, invalid] as const))('%s: %s at %s', (_description, code, field, invalid) => {
    const { table, diagnostics } = compileIngresses([invalid, CONTROL]);
    expect(diagnostics).toContainEqual(expect.objectContaining({ code, field, severity: 'error' }));
    expect(diagnostics.every((d) => d.object !== 'default/control')).toBe(true);
    // Left out whole: none of its rules route, not even the valid sibling.
    expect(table.routes().map((route) => route.origin.name)).toEqual(['control']);
    expect(table.match('foo.com', '/sibling')).toBeUndefined();
    // The valid Ingress beside it still compiles.
    expect(origin(table.match('control.com', '/'))).toBe('default/control spec.rules[0].http.paths[0]');
    // validateIngress reports the same on its own.
    expect(validateIngress(invalid)).toContainEqual(expect.objectContaining({ code, field }));
  });
});

describe('valid Ingresses', () => {
  test.each(VALID)('%s', (_description, valid) => {
    expect(validateIngress(valid)).toEqual([]);
    const { table, diagnostics } = compileIngresses([valid]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(table.routes().some((route) => route.origin.name === 'subject')).toBe(true);
  });
});

describe('problems are diagnostics, all of them, never exceptions', () => {
  test('every problem of an Ingress is reported, not just the first', () => {
    const many = subject({
      rule0: { host: 'Foo.com', http: { paths: [{ path: 'rel', pathType: 'Prefix', backend: { service: { name: 'Bad', port: { number: 70000 } } } }] } },
    });
    const codes = validateIngress(many).map((d) => [d.code, d.field]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ['SWY_INGRESS_HOST_INVALID', 'spec.rules[0].host'],
        ['SWY_INGRESS_PATH_INVALID', `${P0}.path`],
        ['SWY_INGRESS_SERVICE_NAME_INVALID', `${P0}.backend.service.name`],
        ['SWY_INGRESS_SERVICE_PORT_INVALID', `${P0}.backend.service.port.number`],
      ]),
    );
  });

  test('a diagnostic names its Ingress as namespace/name', () => {
    const invalid = ingress('web', { namespace: 'team-a', rules: [rule('Foo.com', prefix('/', 'web'))] });
    expect(compileIngresses([invalid]).diagnostics).toEqual([
      expect.objectContaining({ code: 'SWY_INGRESS_HOST_INVALID', severity: 'error', object: 'team-a/web', field: 'spec.rules[0].host' }),
    ]);
  });

  test.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'ingress'],
    ['a list', []],
  ])('an input entry that is %s is SWY_INGRESS_FIELD_INVALID; the rest compile', (_what, value) => {
    const { table, diagnostics } = compileIngresses([untyped(value), CONTROL]);
    expect(withCode(diagnostics, 'SWY_INGRESS_FIELD_INVALID')).toHaveLength(1);
    expect(origin(table.match('control.com', '/'))).toBe('default/control spec.rules[0].http.paths[0]');
  });
});

describe('paths no request can match', () => {
  test.each([
    ['Prefix', '/search?q=1', '/search'],
    ['Exact', '/page#top', '/page'],
    ['ImplementationSpecific', '/a?b', '/a'],
    // The API server takes an invalid percent-encoding; no valid request can hold one.
    ['Prefix', '/a%zz', '/a'],
  ] as const)('%s %s is SWY_INGRESS_PATH_UNMATCHABLE and only that path is left out', (pathType, value, request) => {
    const { table, diagnostics } = compileIngresses([
      ingress('unmatchable', { rules: [rule('foo.com', { path: value, pathType, backend: VALID_BACKEND }, prefix('/ok', 'ok'))] }),
    ]);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SWY_INGRESS_PATH_UNMATCHABLE', severity: 'warning', object: 'default/unmatchable', field: `${P0}.path` })]);
    expect(origin(table.match('foo.com', '/ok'))).toBe('default/unmatchable spec.rules[0].http.paths[1]');
    expect(table.match('foo.com', request)).toBeUndefined();
    expect(table.routes().map((route) => route.field)).toEqual(['spec.rules[0].http.paths[1]']);
  });
});

describe('duplicates in the input', () => {
  test('the same namespace/name twice is SWY_INGRESS_DUPLICATE; the first is kept', () => {
    const first = ingress('web', { rules: [rule('foo.com', prefix('/first', 'first'))] });
    const second = ingress('web', { rules: [rule('foo.com', prefix('/second', 'second'))] });
    const { table, diagnostics } = compileIngresses([first, second]);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SWY_INGRESS_DUPLICATE', severity: 'error', object: 'default/web', field: 'metadata.name' })]);
    expect(origin(table.match('foo.com', '/first'))).toBe('default/web spec.rules[0].http.paths[0]');
    expect(table.match('foo.com', '/second')).toBeUndefined();
  });

  test('an omitted namespace is "default"', () => {
    const { diagnostics } = compileIngresses([ingress('web', { rules: [rule('foo.com', prefix('/a', 'a'))] }), ingress('web', { namespace: 'default', rules: [rule('foo.com', prefix('/b', 'b'))] })]);
    expect(withCode(diagnostics, 'SWY_INGRESS_DUPLICATE')).toHaveLength(1);
  });

  test('the same name in two namespaces is no duplicate', () => {
    const { table, diagnostics } = compileIngresses([
      ingress('web', { namespace: 'team-a', rules: [rule('foo.com', prefix('/a', 'a'))] }),
      ingress('web', { namespace: 'team-b', rules: [rule('foo.com', prefix('/b', 'b'))] }),
    ]);
    expectClean(diagnostics);
    expect(origin(table.match('foo.com', '/a'))).toBe('team-a/web spec.rules[0].http.paths[0]');
    expect(origin(table.match('foo.com', '/b'))).toBe('team-b/web spec.rules[0].http.paths[0]');
    expect(table.match('foo.com', '/b')?.backend).toMatchObject({ namespace: 'team-b', service: { name: 'b', port: { number: 80 } } });
  });
});

describe('validations handed to compile (CompileOptions.validated)', () => {
  test("an Ingress it answers for is not validated again: compile takes its answer, each Ingress it does not know is validated", () => {
    const valid = ingress('web', { rules: [rule('shop.test', prefix('/', 'web'))] });
    const other = ingress('other', { rules: [rule('other.test', prefix('no-slash', 'web'))] });
    const answered = [{ code: 'SWY_INGRESS_PATH_INVALID' as ErrorCode, severity: 'error' as const, object: 'default/web', field: 'spec.rules[0].http.paths[0].path', message: 'said so' }];
    const validated = new WeakMap<Ingress, readonly Diagnostic[]>([[valid, answered]]);
    const { table, diagnostics } = compile({ ingresses: [valid, other], validated });
    expect(table.routes()).toEqual([]);
    expect(diagnostics).toContainEqual(answered[0]);
    expect(diagnostics).toContainEqual(expect.objectContaining({ object: 'default/other', code: 'SWY_INGRESS_PATH_INVALID' }));
  });
});

describe('validateIngress(ingress, valid): an earlier valid version', () => {
  /** `valid` with each rule and path that equals `ingress`'s at the same index replaced by that very object, as the parse worker shares them. */
  function sharing(valid: Ingress, ingress: Ingress): Ingress {
    const rules: unknown = (ingress as { spec?: { rules?: unknown } }).spec?.rules;
    if (!Array.isArray(rules) || valid.spec?.rules === undefined) return valid;
    const shared = valid.spec.rules.map((validRule, i) => {
      const rule: unknown = rules[i];
      if (JSON.stringify(rule) === JSON.stringify(validRule)) return rule as typeof validRule;
      const paths: unknown = (rule as { http?: { paths?: unknown } } | undefined)?.http?.paths;
      if (!Array.isArray(paths) || validRule.http === undefined) return validRule;
      return { ...validRule, http: { paths: validRule.http.paths.map((validPath, j) => (JSON.stringify(paths[j]) === JSON.stringify(validPath) ? (paths[j] as typeof validPath) : validPath)) } };
    });
    return { ...valid, spec: { ...valid.spec, rules: shared } };
  }

  test.each(INVALID.map(([description, invalid, code, field]) => [description, code, field, invalid] as const))('%s: the same diagnostics beside a valid version sharing its untouched rules and paths', (_description, _code, _field, invalid) => {
    const valid = sharing(subject(), invalid);
    expect(validateIngress(valid)).toEqual([]);
    expect(validateIngress(invalid, valid)).toEqual(validateIngress(invalid));
  });

  test('the rules and paths it shares with the valid version are not read again; the others are, at their own index', () => {
    let reads = 0;
    const counted = (path: string) => ({
      path,
      backend: VALID_BACKEND,
      get pathType() {
        reads++;
        return 'Prefix';
      },
    });
    const sharedRule = { host: 'a.test', http: { paths: [counted('/a')] } };
    const sharedPath = counted('/b1');
    const valid = untyped({ metadata: { name: 'web' }, spec: { rules: [sharedRule, { host: 'b.test', http: { paths: [sharedPath, counted('/b2')] } }] } });
    expect(validateIngress(valid)).toEqual([]);
    reads = 0;
    const edited = untyped({ metadata: { name: 'web' }, spec: { rules: [sharedRule, { host: 'b.test', http: { paths: [sharedPath, { path: 'b2', pathType: 'Prefix', backend: VALID_BACKEND }] } }] } });
    expect(validateIngress(edited, valid)).toEqual([expect.objectContaining({ code: 'SWY_INGRESS_PATH_INVALID', field: 'spec.rules[1].http.paths[1].path' })]);
    expect(reads).toBe(0);
    // Without the valid version every path is read.
    expect(validateIngress(edited).map((d) => d.field)).toEqual(['spec.rules[1].http.paths[1].path']);
    expect(reads).toBeGreaterThanOrEqual(2);
  });

  test('a rule or path past the end of the valid version is validated, whatever it is', () => {
    const valid = untyped({ metadata: { name: 'web' }, spec: { rules: [{ host: 'a.test', http: { paths: [{ path: '/a', pathType: 'Prefix', backend: VALID_BACKEND }] } }] } });
    const longer = untyped({ metadata: { name: 'web' }, spec: { rules: [valid.spec!.rules![0], undefined] } });
    expect(validateIngress(longer, valid)).toEqual([expect.objectContaining({ code: 'SWY_INGRESS_FIELD_INVALID', field: 'spec.rules[1]' })]);
    const morePaths = untyped({ metadata: { name: 'web' }, spec: { rules: [{ host: 'a.test', http: { paths: [valid.spec!.rules![0]!.http!.paths[0], undefined] } }] } });
    expect(validateIngress(morePaths, valid)).toEqual([expect.objectContaining({ code: 'SWY_INGRESS_FIELD_INVALID', field: 'spec.rules[0].http.paths[1]' })]);
  });
});
