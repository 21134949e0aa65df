import { backendKey, compile, compileInSlices, loadManifests, Router, type BackendRef, type Discovery, type CompileOptions, type CompileResult, type Gateway, type GRPCRoute, type HTTPIngressPath, type HTTPRoute, type Ingress, type IngressClass, type Namespace, type ReferenceGrant } from '@switchyard/core';
import { gatewayCompileOptions, httpPath, ingress, rule, serviceBackend } from '@switchyard/test-utils';
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { applyPatch, copyPatch, diffValue, SAME, type ValuePatch } from '../src/files/value-patch.js';

/**
 * `compile({ ..., previous })` recompiles only what changed: it must give what a compile from
 * scratch gives, over any sequence of changes. Each step compiles the same input both ways and
 * compares the tables (every rule with its winner, the routes, the backends, lookups of many
 * requests, explanations) and the diagnostics (as a set: the incremental compile may order them
 * differently).
 */

const NAMES = ['a', 'b', 'c', 'd', 'e'];
const NAMESPACES = [undefined, 'default', 'shop'];
const HOSTS = [undefined, 'foo.example', 'bar.example', '*.example', 'FOO.example', 'bad host'];
const PATHS = ['/', '/api', '/api/', '/api/v1', '/a//b', '/x', 'relative', undefined];
const TYPES = ['Prefix', 'Exact', 'ImplementationSpecific'] as const;
const TIMES = [undefined, '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'];
const SERVICES = ['s1', 's2', 's3'];
const CLASSES = [undefined, 'ours', 'theirs'];

const pathArb = fc.record({ path: fc.constantFrom(...PATHS), type: fc.constantFrom(...TYPES), service: fc.constantFrom(...SERVICES), port: fc.constantFrom(80, 'http') });
const ingressArb: fc.Arbitrary<Ingress> = fc
  .record({
    name: fc.constantFrom(...NAMES),
    namespace: fc.constantFrom(...NAMESPACES),
    created: fc.constantFrom(...TIMES),
    className: fc.constantFrom(...CLASSES),
    rules: fc.array(fc.record({ host: fc.constantFrom(...HOSTS), paths: fc.array(pathArb, { maxLength: 3 }) }), { maxLength: 3 }),
    defaultBackend: fc.option(fc.constantFrom(...SERVICES), { nil: undefined }),
  })
  .map((spec) =>
    ingress(spec.name, {
      ...(spec.namespace === undefined ? {} : { namespace: spec.namespace }),
      ...(spec.created === undefined ? {} : { created: spec.created }),
      ...(spec.className === undefined ? {} : { className: spec.className }),
      rules: spec.rules.map((r) => rule(r.host, ...r.paths.map((p) => httpPath(p.path, p.type, p.service, p.port)))),
      ...(spec.defaultBackend === undefined ? {} : { defaultBackend: serviceBackend(spec.defaultBackend) }),
    }),
  );

/** One change to the input list: most keep most objects, as a watch does. */
type Change =
  | { readonly kind: 'add'; readonly ingress: Ingress }
  | { readonly kind: 'replace'; readonly at: number; readonly ingress: Ingress }
  | { readonly kind: 'copy'; readonly at: number }
  | { readonly kind: 'edit'; readonly at: number; readonly path: string | undefined }
  | { readonly kind: 'edit backend'; readonly at: number; readonly service: string; readonly port: number | string }
  | { readonly kind: 'retime'; readonly at: number; readonly created: string | undefined }
  | { readonly kind: 'rehost'; readonly at: number; readonly rule: number; readonly host: string | undefined | 'next rule' }
  | { readonly kind: 'retype'; readonly at: number; readonly type: (typeof TYPES)[number] }
  | { readonly kind: 'drop rule'; readonly at: number; readonly rule: number }
  | { readonly kind: 'remove'; readonly at: number }
  | { readonly kind: 'reverse' }
  | { readonly kind: 'none' }
  | { readonly kind: 'scope'; readonly ingressClass: string | undefined; readonly defaultClass: boolean };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  { weight: 3, arbitrary: ingressArb.map((ingress) => ({ kind: 'add' as const, ingress })) },
  { weight: 4, arbitrary: fc.record({ at: fc.nat(), ingress: ingressArb }).map(({ at, ingress }) => ({ kind: 'replace' as const, at, ingress })) },
  { weight: 1, arbitrary: fc.nat().map((at) => ({ kind: 'copy' as const, at })) },
  { weight: 2, arbitrary: fc.record({ at: fc.nat(), path: fc.constantFrom(...PATHS) }).map((edit) => ({ kind: 'edit' as const, ...edit })) },
  { weight: 2, arbitrary: fc.record({ at: fc.nat(), service: fc.constantFrom(...SERVICES), port: fc.constantFrom(80, 81, 'http') }).map((edit) => ({ kind: 'edit backend' as const, ...edit })) },
  { weight: 1, arbitrary: fc.record({ at: fc.nat(), created: fc.constantFrom(...TIMES) }).map((retime) => ({ kind: 'retime' as const, ...retime })) },
  { weight: 1, arbitrary: fc.record({ at: fc.nat(), rule: fc.nat(), host: fc.constantFrom(...HOSTS, 'next rule' as const, 'next rule' as const) }).map((rehost) => ({ kind: 'rehost' as const, ...rehost })) },
  { weight: 1, arbitrary: fc.record({ at: fc.nat(), rule: fc.nat() }).map((drop) => ({ kind: 'drop rule' as const, ...drop })) },
  { weight: 1, arbitrary: fc.record({ at: fc.nat(), type: fc.constantFrom(...TYPES) }).map((retype) => ({ kind: 'retype' as const, ...retype })) },
  { weight: 2, arbitrary: fc.nat().map((at) => ({ kind: 'remove' as const, at })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reverse' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.record({ ingressClass: fc.constantFrom(undefined, 'ours'), defaultClass: fc.boolean() }).map((scope) => ({ kind: 'scope' as const, ...scope })) },
);

interface Input {
  ingresses: Ingress[];
  ingressClass: string | undefined;
  ingressClasses: IngressClass[];
}

/** The last path of an Ingress's last rule that has paths. */
function lastPath(ingress: Ingress): HTTPIngressPath | undefined {
  const paths = ingress.spec?.rules?.findLast((r) => (r.http?.paths.length ?? 0) > 0)?.http?.paths;
  return paths?.[paths.length - 1];
}

/** A patch that makes another object even when the edit changed nothing (a file read again is another object). */
function copyOr(patch: ValuePatch, value: object): ValuePatch {
  return patch === SAME ? copyPatch(value) : patch;
}

function apply(input: Input, change: Change): Input {
  const list = [...input.ingresses];
  const index = (at: number) => (list.length === 0 ? -1 : at % list.length);
  /**
   * The Ingress at `change.at` read again, with `edit` made to it: for an even `at` a copy, as a
   * watch event gives it; for an odd one made from the one before through a patch, as the parse
   * worker gives a file read again (`patchLoaded`): the rules and paths `edit` left are the same objects.
   */
  const readAgain = (edit: (copy: Ingress) => void) => {
    if (!('at' in change) || index(change.at) < 0) return;
    const before = list[index(change.at)]!;
    const copy = structuredClone(before);
    edit(copy);
    list[index(change.at)] = change.at % 2 === 0 ? copy : (applyPatch(before, copyOr(diffValue(copy, before), copy)) as Ingress);
  };
  switch (change.kind) {
    case 'add':
      list.push(change.ingress);
      break;
    case 'replace':
      if (index(change.at) >= 0) list[index(change.at)] = change.ingress;
      break;
    case 'copy':
      // The same content as a new object: what a re-read file gives.
      if (index(change.at) >= 0) list[index(change.at)] = structuredClone(list[index(change.at)]!);
      break;
    case 'edit':
      // Read again with one path changed (the last of its last rule that has paths), the rest the same.
      readAgain((copy) => {
        const last = lastPath(copy);
        if (last === undefined) return;
        if (change.path === undefined) delete last.path;
        else last.path = change.path;
      });
      break;
    case 'edit backend':
      readAgain((copy) => {
        const last = lastPath(copy);
        if (last !== undefined) last.backend = serviceBackend(change.service, change.port);
      });
      break;
    case 'retype':
      // Read again with the last path's pathType changed, its path the same.
      readAgain((copy) => {
        const last = lastPath(copy);
        if (last !== undefined) last.pathType = change.type;
      });
      break;
    case 'retime':
      // Read again with another creationTimestamp: the same entries, maybe another order.
      readAgain((copy) => {
        if (change.created === undefined) delete copy.metadata!.creationTimestamp;
        else copy.metadata!.creationTimestamp = change.created;
      });
      break;
    case 'rehost':
      // Read again with one rule's host changed; 'next rule': to the host of the rule after it, so its paths join a host the Ingress already had.
      readAgain((copy) => {
        const rules = copy.spec?.rules ?? [];
        if (rules.length === 0) return;
        const at = change.rule % rules.length;
        const host = change.host === 'next rule' ? rules[(at + 1) % rules.length]!.host : change.host;
        if (host === undefined) delete rules[at]!.host;
        else rules[at]!.host = host;
      });
      break;
    case 'drop rule':
      // Read again with one rule gone: the later ones move up an index.
      readAgain((copy) => {
        const rules = copy.spec?.rules ?? [];
        if (rules.length > 0) rules.splice(change.rule % rules.length, 1);
      });
      break;
    case 'remove':
      if (index(change.at) >= 0) list.splice(index(change.at), 1);
      break;
    case 'reverse':
      list.reverse();
      break;
    case 'none':
      break;
    case 'scope':
      return { ingresses: list, ingressClass: change.ingressClass, ingressClasses: change.defaultClass ? [ingressClassObject('ours', true)] : [] };
  }
  return { ...input, ingresses: list };
}

function ingressClassObject(name: string, isDefault: boolean): IngressClass {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name, annotations: { 'ingressclass.kubernetes.io/is-default-class': String(isDefault) } }, spec: { controller: 'switchyard.dev/ingress' } } as IngressClass;
}

const REQUESTS: Array<[string, string]> = [];
for (const host of ['foo.example', 'bar.example', 'baz.example', 'other.test', '']) {
  for (const path of ['/', '/api', '/api/', '/api/v1', '/api/v1/x', '/a/b', '/x', '/x/y', '/nothing']) REQUESTS.push([host, path]);
}

/** A discovery that only counts the watches open on each backend (it never pushes a set). */
class WatchCounter implements Discovery {
  readonly active = new Map<string, number>();
  watch(backend: BackendRef): () => void {
    const key = backendKey(backend);
    this.active.set(key, (this.active.get(key) ?? 0) + 1);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      const count = this.active.get(key)! - 1;
      if (count === 0) this.active.delete(key);
      else this.active.set(key, count);
    };
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Everything a compile result says, in a form `toEqual` compares. */
function view(result: CompileResult): unknown {
  const table = result.table;
  // Counted from rule groups an incremental compile shares: it must still be the list's length.
  expect(table.routeCount()).toBe(table.routes().length);
  return {
    rules: table.rules(),
    routes: table.routes(),
    backends: table.backends().map((b) => JSON.stringify(b)).sort(),
    defaultRoute: table.defaultRoute,
    lookups: REQUESTS.map(([host, path]) => table.lookup(host, path)),
    explanations: REQUESTS.slice(0, 12).map(([host, path]) => table.explain(host || 'foo.example', path)),
    diagnostics: result.diagnostics.map((d) => JSON.stringify(d)).sort(),
  };
}

describe('compile with `previous` gives what a compile from scratch gives', () => {
  test('over random sequences of changes to the Ingresses and the class scope', () => {
    fc.assert(
      fc.property(fc.array(ingressArb, { maxLength: 6 }), fc.array(changeArb, { minLength: 1, maxLength: 12 }), (initial, changes) => {
        let input: Input = { ingresses: initial, ingressClass: undefined, ingressClasses: [] };
        const options = (i: Input) => ({ ingresses: i.ingresses, ingressClasses: i.ingressClasses, ...(i.ingressClass === undefined ? {} : { ingressClass: i.ingressClass }) });
        let previous = compile(options(input));
        // The router compares the tables' parts (shared by incremental compiles) instead of
        // every backend: it must still watch exactly the backends of the table it serves.
        const watches = new WatchCounter();
        const router = new Router({ table: previous.table, discovery: watches, retainDroppedMs: 0 });
        for (const change of changes) {
          input = apply(input, change);
          const incremental = compile({ ...options(input), previous });
          const scratch = compile(options(input));
          expect(view(incremental)).toEqual(view(scratch));
          router.update(incremental.table);
          const keys = incremental.table.backends().map((b) => backendKey(b)).sort();
          expect(router.watchedBackends().sort()).toEqual(keys);
          expect([...watches.active.keys()].sort()).toEqual(keys);
          expect([...watches.active.values()].every((count) => count === 1)).toBe(true);
          previous = incremental;
        }
        router.close();
        expect(watches.active.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  test('compileInSlices gives what compile gives, each result serving as the previous of the next, whichever made it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(ingressArb, { maxLength: 6 }),
        fc.array(fc.tuple(changeArb, fc.boolean(), fc.constantFrom(0, 0.01, 1)), { minLength: 1, maxLength: 10 }),
        async (initial, changes) => {
          let input: Input = { ingresses: initial, ingressClass: undefined, ingressClasses: [] };
          const options = (i: Input): CompileOptions => ({ ingresses: i.ingresses, ingressClasses: i.ingressClasses, ...(i.ingressClass === undefined ? {} : { ingressClass: i.ingressClass }) });
          let previous = await compileInSlices(options(input), { sliceMs: 0 });
          expect(view(previous)).toEqual(view(compile(options(input))));
          for (const [change, slicedPrevious, sliceMs] of changes) {
            input = apply(input, change);
            // The previous result comes from either compile; so does the one compared with it.
            const before = slicedPrevious ? previous : compile({ ...options(input), previous });
            const sliced = await compileInSlices({ ...options(input), previous: before }, { sliceMs });
            const whole = compile({ ...options(input), previous: before });
            expect(view(sliced)).toEqual(view(whole));
            // The same steps in the same order: the diagnostics in the same order too.
            expect(sliced.diagnostics).toEqual(whole.diagnostics);
            expect(view(sliced)).toEqual(view(compile(options(input))));
            previous = sliced;
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test('an unchanged host keeps its rules and path matcher; a changed one is rebuilt', () => {
    const foo = ingress('foo', { created: '2026-01-01T00:00:00Z', rules: [rule('foo.example', httpPath('/api', 'Prefix', 's1'))] });
    const bar = ingress('bar', { created: '2026-01-01T00:00:00Z', rules: [rule('bar.example', httpPath('/api', 'Prefix', 's2'))] });
    const first = compile({ ingresses: [foo, bar] });
    const barChanged = ingress('bar', { created: '2026-01-01T00:00:00Z', rules: [rule('bar.example', httpPath('/v2', 'Prefix', 's2'))] });
    const second = compile({ ingresses: [foo, barChanged], previous: first });
    const fooRule = (result: CompileResult) => result.table.rules().find((r) => r.route.host === 'foo.example')!;
    const barRule = (result: CompileResult) => result.table.rules().find((r) => r.route.host === 'bar.example')!;
    // The same objects: nothing of foo.example was made again.
    expect(fooRule(second)).toBe(fooRule(first));
    expect(barRule(second)).not.toBe(barRule(first));
    expect(second.table.lookup('bar.example', '/v2/x')?.path).toBe('/v2');
    expect(second.table.lookup('bar.example', '/api')).toBeUndefined();
  });

  test('an Ingress read again with one path changed rebuilds only that path\'s host', () => {
    const team = (path: string) =>
      ingress('team', { created: '2026-01-01T00:00:00Z', rules: [rule('foo.example', httpPath('/api', 'Prefix', 's1')), rule('bar.example', httpPath('/api', 'Prefix', 's2'), httpPath(path, 'Exact', 's2'))] });
    const other = ingress('other', { created: '2026-01-02T00:00:00Z', rules: [rule('foo.example', httpPath('/web', 'Prefix', 's3'))] });
    const first = compile({ ingresses: [team('/v1'), other] });
    const second = compile({ ingresses: [team('/v2'), other], previous: first });
    const rulesOf = (result: CompileResult, host: string) => result.table.rules().filter((r) => r.route.host === host);
    // foo.example's entries of the new object are the same: its rules are the objects made before.
    expect(rulesOf(second, 'foo.example')).toHaveLength(2);
    rulesOf(second, 'foo.example').forEach((r, i) => expect(r).toBe(rulesOf(first, 'foo.example')[i]));
    expect(rulesOf(second, 'bar.example')[0]).not.toBe(rulesOf(first, 'bar.example')[0]);
    expect(second.table.lookup('bar.example', '/v2')?.path).toBe('/v2');
    expect(second.table.lookup('bar.example', '/v1')).toBeUndefined();
    // And the kept host still belongs to the new object: a third read that changes it is seen.
    const third = compile({ ingresses: [ingress('team', { created: '2026-01-01T00:00:00Z', rules: [rule('foo.example', httpPath('/api2', 'Prefix', 's1'))] }), other], previous: second });
    expect(third.table.lookup('foo.example', '/api2')?.backendKey).toBe('default/s1:80');
    expect(third.table.lookup('foo.example', '/api')).toBeUndefined();
    expect(view(third)).toEqual(view(compile({ ingresses: [ingress('team', { created: '2026-01-01T00:00:00Z', rules: [rule('foo.example', httpPath('/api2', 'Prefix', 's1'))] }), other] })));
  });

  test('in a changed host, a path that is the object the version before had at the same index keeps its entry; moved, or under another host, it is made again', () => {
    const [pathA, pathB, pathC] = [httpPath('/a', 'Prefix', 's1'), httpPath('/b', 'Exact', 's1'), httpPath('/c', 'Prefix', 's2')];
    const team = (...rules: ReturnType<typeof rule>[]) => ingress('team', { created: '2026-01-01T00:00:00Z', rules });
    const other = ingress('other', { created: '2026-01-02T00:00:00Z', rules: [rule('foo.example', httpPath('/web', 'Prefix', 's3'))] });
    const ruleOf = (result: CompileResult, host: string, path: string) => result.table.rules().find((r) => r.route.host === host && r.route.path === path);
    const expectScratch = (result: CompileResult, ingresses: Ingress[]) => expect(view(result)).toEqual(view(compile({ ingresses })));
    const first = compile({ ingresses: [team(rule('foo.example', pathA, pathB), rule('foo.example', pathC)), other] });
    // /b changed: /a and /c, the same objects at the same indexes, keep their entries (the second after the first rule's paths).
    const edited = [team(rule('foo.example', pathA, httpPath('/b2', 'Exact', 's1')), rule('foo.example', pathC)), other];
    const second = compile({ ingresses: edited, previous: first });
    expect(ruleOf(second, 'foo.example', '/a')).toBe(ruleOf(first, 'foo.example', '/a'));
    expect(ruleOf(second, 'foo.example', '/c')).toBe(ruleOf(first, 'foo.example', '/c'));
    expect(ruleOf(second, 'foo.example', '/b2')?.route.field).toBe('spec.rules[0].http.paths[1]');
    expectScratch(second, edited);
    // /a moved to another index: made again, with its new field.
    const moved = [team(rule('foo.example', httpPath('/b2', 'Exact', 's1'), pathA), rule('foo.example', pathC)), other];
    const third = compile({ ingresses: moved, previous: second });
    expect(ruleOf(third, 'foo.example', '/a')?.route.field).toBe('spec.rules[0].http.paths[1]');
    expect(ruleOf(third, 'foo.example', '/c')).toBe(ruleOf(first, 'foo.example', '/c'));
    expectScratch(third, moved);
    // The same path objects under a rule whose host changed: made again, for that host.
    const rehosted = [team(rule('foo.example', httpPath('/b2', 'Exact', 's1'), pathA), rule('bar.example', pathC)), other];
    const fourth = compile({ ingresses: rehosted, previous: third });
    expect(ruleOf(fourth, 'bar.example', '/c')?.route.field).toBe('spec.rules[1].http.paths[0]');
    expectScratch(fourth, rehosted);
  });

  test('a path changed into one another Ingress of its host routes, and back: the conflict comes and goes as from scratch', () => {
    const shared = httpPath('/a', 'Prefix', 's1');
    const team = (path: string) => ingress('team', { created: '2026-01-02T00:00:00Z', rules: [rule('foo.example', shared, httpPath(path, 'Exact', 's1'))] });
    const other = ingress('other', { created: '2026-01-01T00:00:00Z', rules: [rule('foo.example', httpPath('/web', 'Exact', 's3'))] });
    const conflicts = (result: CompileResult) => result.diagnostics.filter((d) => d.code === 'SWY_ROUTE_CONFLICT').map((d) => d.object);
    const first = compile({ ingresses: [team('/v1'), other] });
    const clashing = [team('/web'), other];
    const second = compile({ ingresses: clashing, previous: first });
    expect(conflicts(second)).toEqual(['default/team']);
    expect(second.table.lookup('foo.example', '/web')?.backendKey).toBe('default/s3:80');
    expect(view(second)).toEqual(view(compile({ ingresses: clashing })));
    const apart = [team('/v2'), other];
    const third = compile({ ingresses: apart, previous: second });
    expect(conflicts(third)).toEqual([]);
    expect(third.table.lookup('foo.example', '/v2')?.backendKey).toBe('default/s1:80');
    expect(view(third)).toEqual(view(compile({ ingresses: apart })));
  });

  test('a host keeps its entries only while its rules read the same at the same indexes', () => {
    type Edit = (rules: ReturnType<typeof rule>[]) => void;
    const base = () => [rule('foo.example', httpPath('/a', 'Prefix', 's1')), rule('bar.example', httpPath('/b', 'Prefix', 's2', 'http')), rule('foo.example', httpPath('/c', 'Exact', 's1'))];
    const edits: Record<string, Edit> = {
      'a rule moved to a host the Ingress has': (rules) => void (rules[1]!.host = 'foo.example'),
      'a rule moved to a host it had not': (rules) => void (rules[0]!.host = 'baz.example'),
      'a pathType': (rules) => void (rules[2]!.http!.paths[0]!.pathType = 'Prefix'),
      'a port number': (rules) => void (rules[0]!.http!.paths[0]!.backend = serviceBackend('s1', 81)),
      'a port by name': (rules) => void (rules[0]!.http!.paths[0]!.backend = serviceBackend('s1', 'http')),
      'another port name': (rules) => void (rules[1]!.http!.paths[0]!.backend = serviceBackend('s2', 'metrics')),
      'the first rule dropped': (rules) => void rules.splice(0, 1),
      'a path added to a host': (rules) => void rules[2]!.http!.paths.push(httpPath('/d', 'Prefix', 's1')),
    };
    const team = (rules: ReturnType<typeof rule>[]) => ingress('team', { created: '2026-01-01T00:00:00Z', rules });
    const other = ingress('other', { created: '2026-01-02T00:00:00Z', rules: [rule('foo.example', httpPath('/web', 'Prefix', 's3'))] });
    const first = compile({ ingresses: [team(base()), other] });
    for (const [what, edit] of Object.entries(edits)) {
      const rules = base();
      edit(rules);
      const input = [team(rules), other];
      expect(view(compile({ ingresses: input, previous: first })), what).toEqual(view(compile({ ingresses: input })));
    }
  });

  test('a kept host\'s conflicts point at the lines of the file as read again', () => {
    const file = (lead: string, path: string) => `${lead}apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: a, namespace: default, creationTimestamp: "2026-01-01T00:00:00Z" }
spec:
  rules:
    - host: foo.example
      http: { paths: [{ path: /api, pathType: Prefix, backend: { service: { name: s1, port: { number: 80 } } } }] }
    - host: bar.example
      http: { paths: [{ path: ${path}, pathType: Prefix, backend: { service: { name: s1, port: { number: 80 } } } }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: b, namespace: default, creationTimestamp: "2026-01-02T00:00:00Z" }
spec:
  rules:
    - host: foo.example
      http: { paths: [{ path: /api, pathType: Prefix, backend: { service: { name: s2, port: { number: 80 } } } }] }
`;
    const ingressesOf = (text: string) => loadManifests(text).objects.filter((o) => o.kind === 'Ingress') as Ingress[];
    const first = compile({ ingresses: ingressesOf(file('', '/v1')) });
    // Three lines more at the top, one path changed on the other host: foo.example's entries are the same.
    const moved = ingressesOf(file('# a\n# b\n# c\n', '/v2'));
    const second = compile({ ingresses: moved, previous: first });
    const conflictLine = (result: CompileResult) => result.diagnostics.find((d) => d.code === 'SWY_ROUTE_CONFLICT')?.source?.line;
    expect(conflictLine(first)).toBeDefined();
    expect(conflictLine(second)).toBe(conflictLine(first)! + 3);
    expect(view(second)).toEqual(view(compile({ ingresses: moved })));
  });
});

describe('compile with `previous` looks up what it had away from the index it had it at', () => {
  const at = (name: string, created: string, ...rules: ReturnType<typeof rule>[]) => ({ ...ingress(name, { rules }), metadata: { name, namespace: 'default', creationTimestamp: created } }) as Ingress;
  const expectScratch = (ingresses: Ingress[], previous: CompileResult) => {
    const incremental = compile({ ingresses, previous });
    expect(view(incremental)).toEqual(view(compile({ ingresses })));
    return incremental;
  };

  test('an older Ingress added moves every host an index on: each host keeps its own part, not the one now at its index', () => {
    // Two hosts with the same Ingresses and paths: only the host tells their parts apart.
    const web = at('web', '2026-01-02T00:00:00Z', rule('one.example', httpPath('/api', 'Prefix', 's1')), rule('two.example', httpPath('/api', 'Prefix', 's1')));
    const first = compile({ ingresses: [web] });
    const older = at('older', '2026-01-01T00:00:00Z', rule('zero.example', httpPath('/', 'Prefix', 's2')));
    expectScratch([older, web], first);
  });

  test('an Ingress read again with the same hosts whose paths gain and lose a diagnostic: the diagnostic comes and goes', () => {
    const web = (path: string) => at('web', '2026-01-02T00:00:00Z', rule('one.example', httpPath('/api', 'Prefix', 's1')), rule('two.example', httpPath(path, 'ImplementationSpecific', 's1')));
    const other = at('other', '2026-01-01T00:00:00Z', rule('one.example', httpPath('/', 'Prefix', 's2')));
    let previous = compile({ ingresses: [other, web('/b')] });
    previous = expectScratch([other, web('/a//b')], previous);
    expect(previous.diagnostics).toContainEqual(expect.objectContaining({ code: 'SWY_INGRESS_PATH_NORMALIZED', object: 'default/web' }));
    previous = expectScratch([other, web('/b')], previous);
    expect(previous.diagnostics).toEqual([]);
  });

  test('an Ingress read again after an older one was added keeps entries of its own, not those of the Ingress now at its index', () => {
    // Two Ingresses with the same rules: only the name tells their entries apart.
    const same = () => rule('shop.example', httpPath('/a', 'Prefix', 's1'), httpPath('/b', 'Prefix', 's1'));
    const b = at('b', '2026-01-02T00:00:00Z', same());
    const c = at('c', '2026-01-03T00:00:00Z', same());
    const first = compile({ ingresses: [b, c] });
    const older = at('a', '2026-01-01T00:00:00Z', rule('other.example', httpPath('/', 'Prefix', 's2')));
    expectScratch([older, structuredClone(b), c], first);
  });
});

describe('the Gateway API part with `previous`', () => {
  const manifests = (path: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: default }
spec:
  gatewayClassName: switchyard
  listeners: [{ name: web, port: 80, protocol: HTTP }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: default }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ matches: [{ path: { type: PathPrefix, value: ${path} } }], backendRefs: [{ name: s1, port: 80 }] }]
`;
  const optionsOf = (text: string) => gatewayCompileOptions(loadManifests(text).objects);

  test('is kept whole when its inputs are the same objects, and compiled again when one changed', () => {
    const before = optionsOf(manifests('/v1'));
    const first = compile({ ingresses: [], ...before });
    const same = compile({ ingresses: [ingress('new', { rules: [rule('foo.example', httpPath('/', 'Prefix', 's1'))] })], ...before, previous: first });
    expect(same.table.gatewayApi).toBe(first.table.gatewayApi);

    const changed = optionsOf(manifests('/v2'));
    const after = compile({ ingresses: [], ...changed, previous: same });
    expect(after.table.gatewayApi).not.toBe(first.table.gatewayApi);
    expect(view(after)).toEqual(view(compile({ ingresses: [], ...changed })));
    const matchOf = (result: CompileResult, path: string) => result.table.gatewayPort(80)?.select('any.example')?.find('any.example', path, { method: 'GET', headers: {}, query: '' });
    expect(matchOf(after, '/v2/x')).toBeDefined();
    expect(matchOf(after, '/v1/x')).toBeUndefined();
  });

  test('compileInSlices gives the same Gateway API part, status and diagnostics as compile, and keeps it whole with previous', async () => {
    const before = optionsOf(manifests('/v1'));
    const sliced = await compileInSlices({ ingresses: [], ...before }, { sliceMs: 0 });
    const whole = compile({ ingresses: [], ...before });
    expect(view(sliced)).toEqual(view(whole));
    expect(sliced.table.gatewayStatus).toEqual(whole.table.gatewayStatus);
    const same = await compileInSlices({ ingresses: [], ...before, previous: whole }, { sliceMs: 0 });
    expect(same.table.gatewayApi).toBe(whole.table.gatewayApi);
    const changed = optionsOf(manifests('/v2'));
    const after = await compileInSlices({ ingresses: [], ...changed, previous: sliced }, { sliceMs: 0 });
    expect(view(after)).toEqual(view(compile({ ingresses: [], ...changed })));
    expect(after.table.gatewayStatus).toEqual(compile({ ingresses: [], ...changed }).table.gatewayStatus);
  });
});

/**
 * Random HTTPRoutes and GRPCRoutes on one Gateway: per-route reuse (compiled rules, attachment,
 * path indexes) must give what a compile from scratch gives, the spec's HTTPRoute/GRPCRoute
 * hostname rule included (routes of the two kinds share listeners and hostnames here).
 */
const ROUTE_NAMES = ['r0', 'r1', 'r2', 'r3'];
const ROUTE_NAMESPACES = ['default', 'other'];
const ROUTE_HOSTNAMES = ['foo.example', '*.example', 'bar.test', 'Bad_Host'];
const ROUTE_PATHS = ['/', '/api', '/api/v1', '/x/', 'relative'];
const GATEWAY: Gateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'gw', namespace: 'default' },
  spec: {
    gatewayClassName: 'switchyard',
    listeners: [
      { name: 'web', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
      { name: 'api', port: 80, protocol: 'HTTP', hostname: '*.example' },
    ],
  },
} as unknown as Gateway;
/** The same Gateway's other revisions: listeners that take routes by Namespace label, or of one kind, or for other hostnames. */
const GATEWAY_REVISIONS: Gateway[] = [
  GATEWAY,
  {
    ...GATEWAY,
    spec: {
      gatewayClassName: 'switchyard',
      listeners: [
        { name: 'web', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'a' } } } } },
        { name: 'api', port: 80, protocol: 'HTTP', hostname: 'foo.example', allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'GRPCRoute' }] } },
      ],
    },
  } as unknown as Gateway,
  {
    ...GATEWAY,
    spec: {
      gatewayClassName: 'switchyard',
      listeners: [
        { name: 'web', port: 80, protocol: 'HTTP', hostname: '*.test', allowedRoutes: { namespaces: { from: 'All' } } },
        { name: 'api', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'HTTPRoute' }] } },
      ],
    },
  } as unknown as Gateway,
];
/** Namespace `other`, labelled for the Selector listener or not. */
const NAMESPACE_REVISIONS: Namespace[][] = [[], [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels: { team: 'a' } } } as unknown as Namespace], [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels: { team: 'b' } } } as unknown as Namespace]];
const GRANT: ReferenceGrant = {
  apiVersion: 'gateway.networking.k8s.io/v1beta1',
  kind: 'ReferenceGrant',
  metadata: { name: 'from-other', namespace: 'default' },
  spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'other' }], to: [{ group: '', kind: 'Service' }] },
} as unknown as ReferenceGrant;
const SERVICE_OBJECTS = ['s1', 's2'].map((name) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80 }] } }));

const httpRouteArb: fc.Arbitrary<HTTPRoute> = fc
  .record({
    name: fc.constantFrom(...ROUTE_NAMES),
    namespace: fc.constantFrom(...ROUTE_NAMESPACES),
    created: fc.constantFrom(...TIMES),
    sections: fc.array(fc.constantFrom(undefined, 'web', 'api', 'none'), { minLength: 1, maxLength: 2 }),
    hostnames: fc.array(fc.constantFrom(...ROUTE_HOSTNAMES), { maxLength: 2 }),
    rules: fc.array(
      fc.record({
        path: fc.constantFrom(...ROUTE_PATHS),
        type: fc.constantFrom('PathPrefix', 'Exact'),
        method: fc.constantFrom(undefined, 'GET'),
        service: fc.constantFrom('s1', 's2', 's3'),
        serviceNamespace: fc.constantFrom(undefined, 'default'),
      }),
      { maxLength: 3 },
    ),
  })
  .map(
    (r) =>
      ({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: r.name, namespace: r.namespace, ...(r.created === undefined ? {} : { creationTimestamp: r.created }) },
        spec: {
          parentRefs: parentRefsOf(r.sections),
          ...(r.hostnames.length === 0 ? {} : { hostnames: r.hostnames }),
          rules: r.rules.map((rule) => ({
            matches: [{ path: { type: rule.type, value: rule.path }, ...(rule.method === undefined ? {} : { method: rule.method }) }],
            backendRefs: [{ name: rule.service, port: 80, ...(rule.serviceNamespace === undefined ? {} : { namespace: rule.serviceNamespace }) }],
          })),
        },
      }) as unknown as HTTPRoute,
  );

/** Two refs to the same listener are allowed (a route counts once there). */
function parentRefsOf(sections: ReadonlyArray<string | undefined>): Array<Record<string, string>> {
  return sections.map((section) => ({ name: 'gw', namespace: 'default', ...(section === undefined ? {} : { sectionName: section }) }));
}

const GRPC_SERVICES = ['echo.Echo', 'echo.Other'];
const grpcRouteArb: fc.Arbitrary<GRPCRoute> = fc
  .record({
    name: fc.constantFrom(...ROUTE_NAMES),
    namespace: fc.constantFrom(...ROUTE_NAMESPACES),
    created: fc.constantFrom(...TIMES),
    sections: fc.array(fc.constantFrom(undefined, 'web', 'api'), { minLength: 1, maxLength: 2 }),
    hostnames: fc.array(fc.constantFrom(...ROUTE_HOSTNAMES), { maxLength: 2 }),
    rules: fc.array(fc.record({ service: fc.constantFrom(...GRPC_SERVICES), method: fc.constantFrom(undefined, 'Get'), backend: fc.constantFrom('s1', 's2') }), { maxLength: 2 }),
  })
  .map(
    (r) =>
      ({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GRPCRoute',
        metadata: { name: r.name, namespace: r.namespace, ...(r.created === undefined ? {} : { creationTimestamp: r.created }) },
        spec: {
          parentRefs: parentRefsOf(r.sections),
          ...(r.hostnames.length === 0 ? {} : { hostnames: r.hostnames }),
          rules: r.rules.map((rule) => ({ matches: [{ method: { service: rule.service, ...(rule.method === undefined ? {} : { method: rule.method }) } }], backendRefs: [{ name: rule.backend, port: 80 }] })),
        },
      }) as unknown as GRPCRoute,
  );

type RouteChange =
  | { readonly kind: 'add'; readonly route: HTTPRoute }
  | { readonly kind: 'replace'; readonly at: number; readonly route: HTTPRoute }
  | { readonly kind: 'copy'; readonly at: number }
  | { readonly kind: 'remove'; readonly at: number }
  | { readonly kind: 'grant' }
  | { readonly kind: 'services' }
  | { readonly kind: 'ingress'; readonly ingress: Ingress }
  | { readonly kind: 'grpc add'; readonly route: GRPCRoute }
  | { readonly kind: 'grpc replace'; readonly at: number; readonly route: GRPCRoute }
  | { readonly kind: 'grpc remove'; readonly at: number }
  | { readonly kind: 'gateway'; readonly revision: number }
  | { readonly kind: 'namespaces'; readonly revision: number };

const routeChangeArb: fc.Arbitrary<RouteChange> = fc.oneof(
  { weight: 3, arbitrary: httpRouteArb.map((route) => ({ kind: 'add' as const, route })) },
  { weight: 4, arbitrary: fc.record({ at: fc.nat(), route: httpRouteArb }).map(({ at, route }) => ({ kind: 'replace' as const, at, route })) },
  { weight: 1, arbitrary: fc.nat().map((at) => ({ kind: 'copy' as const, at })) },
  { weight: 2, arbitrary: fc.nat().map((at) => ({ kind: 'remove' as const, at })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'grant' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'services' as const }) },
  { weight: 1, arbitrary: ingressArb.map((ingress) => ({ kind: 'ingress' as const, ingress })) },
  { weight: 2, arbitrary: grpcRouteArb.map((route) => ({ kind: 'grpc add' as const, route })) },
  { weight: 2, arbitrary: fc.record({ at: fc.nat(), route: grpcRouteArb }).map(({ at, route }) => ({ kind: 'grpc replace' as const, at, route })) },
  { weight: 1, arbitrary: fc.nat().map((at) => ({ kind: 'grpc remove' as const, at })) },
  // A revision number past the list: the current Gateway's content as a new object.
  { weight: 1, arbitrary: fc.nat(GATEWAY_REVISIONS.length).map((revision) => ({ kind: 'gateway' as const, revision })) },
  { weight: 1, arbitrary: fc.nat(NAMESPACE_REVISIONS.length - 1).map((revision) => ({ kind: 'namespaces' as const, revision })) },
);

interface GatewayInput {
  readonly routes: HTTPRoute[];
  readonly grpcRoutes: GRPCRoute[];
  readonly gateway: Gateway;
  readonly namespaces: Namespace[];
  readonly grants: ReferenceGrant[];
  readonly services: typeof SERVICE_OBJECTS | undefined;
  readonly ingresses: Ingress[];
}

function applyRouteChange(input: GatewayInput, change: RouteChange): GatewayInput {
  const routes = [...input.routes];
  const index = (at: number) => (routes.length === 0 ? -1 : at % routes.length);
  const grpcRoutes = [...input.grpcRoutes];
  const grpcIndex = (at: number) => (grpcRoutes.length === 0 ? -1 : at % grpcRoutes.length);
  switch (change.kind) {
    case 'grpc add':
      return { ...input, routes, grpcRoutes: [...grpcRoutes, change.route] };
    case 'grpc replace':
      if (grpcIndex(change.at) >= 0) grpcRoutes[grpcIndex(change.at)] = change.route;
      return { ...input, routes, grpcRoutes };
    case 'grpc remove':
      if (grpcIndex(change.at) >= 0) grpcRoutes.splice(grpcIndex(change.at), 1);
      return { ...input, routes, grpcRoutes };
    case 'gateway':
      return { ...input, routes, gateway: GATEWAY_REVISIONS[change.revision] ?? structuredClone(input.gateway) };
    case 'namespaces':
      return { ...input, routes, namespaces: NAMESPACE_REVISIONS[change.revision]! };
    case 'add':
      routes.push(change.route);
      break;
    case 'replace':
      if (index(change.at) >= 0) routes[index(change.at)] = change.route;
      break;
    case 'copy':
      if (index(change.at) >= 0) routes[index(change.at)] = structuredClone(routes[index(change.at)]!);
      break;
    case 'remove':
      if (index(change.at) >= 0) routes.splice(index(change.at), 1);
      break;
    case 'grant':
      return { ...input, routes, grants: input.grants.length === 0 ? [GRANT] : [] };
    case 'services':
      return { ...input, routes, services: input.services === undefined ? [...SERVICE_OBJECTS] : input.services.length === 2 ? SERVICE_OBJECTS.slice(0, 1) : undefined };
    case 'ingress':
      return { ...input, routes, ingresses: [change.ingress] };
  }
  return { ...input, routes };
}

const GATEWAY_REQUESTS: Array<[string, string, string]> = [];
for (const host of ['foo.example', 'a.example', 'bar.test', 'other.test']) for (const path of ['/', '/api', '/api/v1/x', '/x', '/x/y']) for (const method of ['GET', 'POST']) GATEWAY_REQUESTS.push([host, path, method]);
const GRPC_REQUESTS: Array<[string, string]> = [];
for (const host of ['foo.example', 'a.example', 'bar.test']) for (const path of ['/echo.Echo/Get', '/echo.Echo/Put', '/echo.Other/Get']) GRPC_REQUESTS.push([host, path]);

/** `view`, plus what the Gateway API part answers: its status, its routes and the match for many requests. */
function gatewayView(result: CompileResult): unknown {
  const port = result.table.gatewayPort(80);
  return {
    ...(view(result) as object),
    status: result.table.gatewayStatus,
    gatewayRoutes: result.table.gatewayApi?.routes.map((route) => `${route.origin.namespace}/${route.origin.name} ${route.field} ${route.backendKey} ${route.rule?.totalWeight} ${route.rule?.failure}`),
    matches: GATEWAY_REQUESTS.map(([host, path, method]) => {
      const match = port?.select(host)?.find(host, path, { method, headers: {}, query: '' });
      return match === undefined ? undefined : `${match.routeId} rule ${match.rule.index} ${match.pathType} ${match.pathValue}`;
    }),
    grpcMatches: GRPC_REQUESTS.map(([host, path]) => {
      const match = port?.select(host)?.find(host, path, { method: 'POST', headers: { 'content-type': 'application/grpc' }, query: '' });
      return match === undefined ? undefined : `${match.rule.origin.kind} ${match.routeId} rule ${match.rule.index}`;
    }),
    attachedRoutes: result.table.gatewayStatus.gateways.map((gateway) => gateway.listeners.map((listener) => `${listener.name} ${listener.attachedRoutes}`)),
  };
}

describe('the Gateway API part with previous, per route', () => {
  test('over random sequences of HTTPRoute, GRPCRoute, Gateway, Namespace, ReferenceGrant and Service changes, with either compile', async () => {
    const options = (i: GatewayInput): CompileOptions => ({
      ingresses: i.ingresses,
      gatewayClass: 'switchyard',
      gateways: [i.gateway],
      httpRoutes: i.routes,
      grpcRoutes: i.grpcRoutes,
      namespaces: i.namespaces,
      referenceGrants: i.grants,
      ...(i.services === undefined ? {} : { services: i.services as never }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(httpRouteArb, { maxLength: 5 }),
        fc.array(grpcRouteArb, { maxLength: 3 }),
        fc.nat(GATEWAY_REVISIONS.length - 1),
        fc.nat(NAMESPACE_REVISIONS.length - 1),
        fc.array(fc.tuple(routeChangeArb, fc.boolean()), { minLength: 1, maxLength: 12 }),
        async (initial, initialGrpc, gateway, namespaces, changes) => {
          let input: GatewayInput = { routes: initial, grpcRoutes: initialGrpc, gateway: GATEWAY_REVISIONS[gateway]!, namespaces: NAMESPACE_REVISIONS[namespaces]!, grants: [], services: undefined, ingresses: [] };
          let previous = compile(options(input));
          // A router swapping the incremental tables watches exactly the backends of the one it serves.
          const watches = new WatchCounter();
          const router = new Router({ table: previous.table, discovery: watches, retainDroppedMs: 0 });
          for (const [change, sliced] of changes) {
            input = applyRouteChange(input, change);
            const incremental = sliced ? await compileInSlices({ ...options(input), previous }, { sliceMs: 0 }) : compile({ ...options(input), previous });
            const scratch = compile(options(input));
            expect(gatewayView(incremental)).toEqual(gatewayView(scratch));
            router.update(incremental.table);
            const keys = incremental.table.backends().map((b) => backendKey(b)).sort();
            expect([...watches.active.keys()].sort()).toEqual(keys);
            // Per-route reuse keeps each route's diagnostics in its place: the same order as from scratch.
            expect(incremental.diagnostics.filter((d) => !d.code.startsWith('SWY_INGRESS') && !d.code.startsWith('SWY_ROUTE'))).toEqual(
              scratch.diagnostics.filter((d) => !d.code.startsWith('SWY_INGRESS') && !d.code.startsWith('SWY_ROUTE')),
            );
            previous = incremental;
          }
          router.close();
          expect(watches.active.size).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a changed HTTPRoute is compiled again; the others keep their compiled rules, their attachment, and their hostnames their path indexes', () => {
    const routeOf = (name: string, path: string) =>
      ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'default' }, spec: { parentRefs: [{ name: 'gw' }], hostnames: [`${name}.example`], rules: [{ matches: [{ path: { type: 'PathPrefix', value: path } }], backendRefs: [{ name: 's1', port: 80 }] }] } }) as unknown as HTTPRoute;
    const a = routeOf('a', '/a');
    const first = compile({ ingresses: [], gatewayClass: 'switchyard', gateways: [GATEWAY], httpRoutes: [a, routeOf('b', '/b')] });
    const second = compile({ ingresses: [], gatewayClass: 'switchyard', gateways: [GATEWAY], httpRoutes: [a, routeOf('b', '/b2')], previous: first });
    const ruleOf = (result: CompileResult, name: string) => result.table.gatewayApi!.routes.find((route) => route.origin.name === name)!.rule;
    expect(ruleOf(second, 'a')).toBe(ruleOf(first, 'a'));
    expect(ruleOf(second, 'b')).not.toBe(ruleOf(first, 'b'));
    // The hostname only a serves keeps its sealed path index; b's is made again.
    const pathsOf = (result: CompileResult, host: string) => result.table.gatewayPort(80)!.select(host)!.hosts.exact.get(host);
    expect(pathsOf(second, 'a.example')).toBe(pathsOf(first, 'a.example'));
    expect(pathsOf(second, 'b.example')).not.toBe(pathsOf(first, 'b.example'));
    expect(second.table.gatewayPort(80)?.select('b.example')?.find('b.example', '/b2/x', { method: 'GET', headers: {}, query: '' })).toBeDefined();
    // a's attachment is given again (its status the same objects), b's worked out afresh; a Gateway of the same content as a new object makes every route attach afresh.
    const parentsOf = (result: CompileResult, name: string) => result.table.gatewayStatus.httpRoutes.find((status) => status.route === `default/${name}`)!.parents;
    expect(parentsOf(second, 'a')).toBe(parentsOf(first, 'a'));
    expect(parentsOf(second, 'b')).not.toBe(parentsOf(first, 'b'));
    const third = compile({ ingresses: [], gatewayClass: 'switchyard', gateways: [structuredClone(GATEWAY)], httpRoutes: [a, routeOf('b', '/b2')], previous: second });
    expect(parentsOf(third, 'a')).not.toBe(parentsOf(second, 'a'));
    expect(parentsOf(third, 'a')).toEqual(parentsOf(second, 'a'));
  });
});

describe('what a compile keeps', () => {
  test('a table compiled with previous does not keep the tables before it alive', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const ingresses = [ingress('a', { rules: [rule('foo.example', httpPath('/api', 'Prefix', 's1'))] })];
    let result = compile({ ingresses });
    const first = new WeakRef(result.table);
    for (let i = 0; i < 3; i++) result = compile({ ingresses: [ingress('a', { rules: [rule('foo.example', httpPath(`/v${i}`, 'Prefix', 's1'))] })], previous: result });
    for (let i = 0; i < 5 && first.deref() !== undefined; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(first.deref()).toBeUndefined();
    expect(result.table.routes()).toHaveLength(1);
  });
});
