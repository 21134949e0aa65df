import { IngressClassScope, validateIngress, type Ingress } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LastValidIngresses } from '../src/last-valid-ingresses.js';
import { ingress } from './helpers/manifests.js';

const valid = (name: string, path = '/', className?: string): Ingress =>
  ingress(name, { host: `${name}.example.com`, paths: [{ path, service: 'web' }], ...(className ? { ingressClassName: className } : {}) }) as unknown as Ingress;
const invalid = (name: string, className?: string): Ingress => valid(name, 'no-slash', className);

describe('LastValidIngresses', () => {
  test('an invalid edit is replaced by the last valid version, with its errors and a kept record', () => {
    const last = new LastValidIngresses();
    const first = valid('shop');
    last.select([first], undefined, []);
    const result = last.select([invalid('shop')], undefined, []);
    expect(result.ingresses).toEqual([first]);
    expect(result.ingresses[0]).toBe(first);
    expect(result.kept).toEqual([expect.objectContaining({ object: 'shop/shop', field: 'spec.rules[0].http.paths[0].path', code: 'SWY_INGRESS_PATH_INVALID' })]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['SWY_INGRESS_PATH_INVALID']);
  });

  test('it stays at that version across loads until a valid one comes, which then replaces it', () => {
    const last = new LastValidIngresses();
    const first = valid('shop');
    last.select([first], undefined, []);
    expect(last.select([invalid('shop')], undefined, []).ingresses[0]).toBe(first);
    expect(last.select([invalid('shop')], undefined, []).ingresses[0]).toBe(first);
    const second = valid('shop', '/v2');
    expect(last.select([second], undefined, []).ingresses[0]).toBe(second);
    expect(last.select([invalid('shop')], undefined, []).ingresses[0]).toBe(second);
  });

  test('an Ingress never valid passes through (compile leaves it out and reports it); a deleted one is forgotten', () => {
    const last = new LastValidIngresses();
    const never = invalid('new');
    expect(last.select([never], undefined, [])).toMatchObject({ ingresses: [never], kept: [], diagnostics: [] });
    last.select([valid('shop')], undefined, []);
    last.select([], undefined, []);
    const again = invalid('shop');
    expect(last.select([again], undefined, []).ingresses).toEqual([again]);
  });

  test('an edit is validated against the last valid version: the paths it shares are not read again, the others are', () => {
    let reads = 0;
    const path = (value: string) => ({
      path: value,
      backend: { service: { name: 'web', port: { number: 80 } } },
      get pathType() {
        reads++;
        return 'Prefix';
      },
    });
    const version = (...paths: object[]) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'shop' }, spec: { rules: [{ host: 'shop.example.com', http: { paths } }] } }) as unknown as Ingress;
    const shared = path('/a');
    const last = new LastValidIngresses();
    const first = version(shared, path('/b'));
    last.select([first], undefined, []);
    // The edit of one path: the other one, shared, is not read (the fast path of a load like the last).
    reads = 0;
    const second = version(shared, path('/c'));
    expect(last.select([second], undefined, []).ingresses).toEqual([second]);
    expect(reads).toBe(1);
    // An invalid edit beside it is still caught, and kept back.
    const bad = { path: 'no-slash', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } };
    const third = version(shared, bad);
    expect(last.select([third], undefined, [])).toMatchObject({ ingresses: [second], kept: [{ field: 'spec.rules[0].http.paths[1].path' }] });
    // What it shares with the invalid version only is validated again (the full select).
    reads = 0;
    const fourth = version(shared, bad, path('/d'));
    expect(last.select([fourth], undefined, [])).toMatchObject({ ingresses: [second], kept: [{ field: 'spec.rules[0].http.paths[1].path' }] });
    expect(reads).toBe(1);
  });

  test('an Ingress of another class is not ours: it passes through untouched', () => {
    const last = new LastValidIngresses();
    last.select([valid('shop', '/', 'other')], 'switchyard', []);
    const edited = invalid('shop', 'other');
    expect(last.select([edited], 'switchyard', []).ingresses).toEqual([edited]);
  });

  test('load after load, mostly one Ingress edited at a time, it selects what the rule says', () => {
    const names = ['a', 'b', 'c'];
    // Each edit makes another object: a valid version, an invalid one, or a version of another class.
    const version = fc.record({ name: fc.constantFrom(...names), kind: fc.constantFrom('valid', 'valid', 'invalid', 'other class'), path: fc.constantFrom('/', '/v2') });
    const make = ({ name, kind, path }: { name: string; kind: string; path: string }) => (kind === 'invalid' ? invalid(name) : valid(name, path, kind === 'other class' ? 'other' : undefined));
    const step = fc.oneof(
      { weight: 6, arbitrary: fc.record({ at: fc.nat(), kind: fc.constantFrom('valid', 'valid', 'invalid', 'other class'), path: fc.constantFrom('/', '/v2', '/v3') }).map((edit) => ({ edit })) },
      { weight: 1, arbitrary: version.map((add) => ({ add })) },
      { weight: 1, arbitrary: fc.nat().map((remove) => ({ remove })) },
      { weight: 1, arbitrary: fc.constant({ reverse: true }) },
      { weight: 1, arbitrary: fc.constant({ same: true }) },
    );
    fc.assert(
      fc.property(fc.array(version, { minLength: 1, maxLength: 4 }), fc.array(step, { maxLength: 25 }), fc.constantFrom(undefined, 'switchyard'), (first, steps, ingressClass) => {
        const selecting = new LastValidIngresses();
        const model = new Map<string, Ingress>();
        let load = first.map(make);
        for (const change of [undefined, ...steps]) {
          if (change !== undefined) {
            load = [...load];
            if ('edit' in change && load.length > 0) {
              const at = change.edit.at % load.length;
              load[at] = make({ name: load[at]!.metadata.name!, kind: change.edit.kind, path: change.edit.path });
            } else if ('add' in change) load.push(make(change.add));
            else if ('remove' in change && load.length > 0) load.splice(change.remove % load.length, 1);
            else if ('reverse' in change) load.reverse();
          }
          const selected = selecting.select(load, ingressClass, []);
          const says = ruleSays(load, ingressClass, model);
          expect(selected.ingresses).toEqual(says.serve);
          expect(selected.kept.map((kept) => kept.object)).toEqual(says.kept);
          expect(selected.diagnostics).toEqual(says.diagnostics);
        }
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });
});

/** The rule, step by step: what to serve for `load` and which are kept back (with their errors), `lastValid` brought up to date. */
function ruleSays(load: readonly Ingress[], ingressClass: string | undefined, lastValid: Map<string, Ingress>): { serve: Ingress[]; kept: string[]; diagnostics: unknown[] } {
  const scope = new IngressClassScope(ingressClass, []);
  const next = new Map<string, Ingress>();
  const kept: string[] = [];
  const diagnostics: unknown[] = [];
  const serve = load.map((ingress) => {
    const id = `${ingress.metadata.namespace ?? 'default'}/${ingress.metadata.name}`;
    if (next.has(id) || !scope.decide(ingress).inScope) return ingress;
    const previous = lastValid.get(id);
    if (validateIngress(ingress).length === 0) {
      next.set(id, ingress);
      return ingress;
    }
    if (previous === undefined) return ingress;
    next.set(id, previous);
    kept.push(id);
    diagnostics.push(...validateIngress(ingress));
    return previous;
  });
  lastValid.clear();
  for (const [id, ingress] of next) lastValid.set(id, ingress);
  return { serve, kept, diagnostics };
}
