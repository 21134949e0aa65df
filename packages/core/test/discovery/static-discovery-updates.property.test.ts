import { StaticDiscovery, type BackendRef, type EndpointSet, type KubernetesObject } from '@switchyard/core';
import { backendRef, endpointSlice, service, sliceEndpoint } from '@switchyard/test-utils';
import fc from 'fast-check';
import { expect, test } from 'vitest';

/**
 * `StaticDiscovery.update` resolves again only the backends of Services whose Service or
 * EndpointSlice objects are not the very ones of the last update: over any sequence of updates
 * (objects kept, replaced by equal copies or by different ones, dropped, reordered, endpoints
 * written in code given or not), every watched backend must hold what a discovery made from
 * scratch on the same input gives.
 */

const SERVICES = ['web', 'api', 'db'];
const BACKENDS: BackendRef[] = [backendRef('web', 'http'), backendRef('web', 80), backendRef('api', 'http'), backendRef('db', 5432), backendRef('gone', 'http')];

/** A pool of objects to draw from: the same object drawn twice is the same object (a file not changed). */
function pool(): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const name of SERVICES) {
    for (const port of [80, 81]) objects.push(service(name, [{ name: 'http', port, targetPort: 8080 }]) as unknown as KubernetesObject);
    objects.push(service(name, [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'pg', port: 5432, targetPort: 5432 }]) as unknown as KubernetesObject);
    for (const address of ['10.0.0.1', '10.0.0.2']) {
      objects.push(endpointSlice(`${name}-${address}`, name, [{ name: 'http', port: 8080 }, { name: 'pg', port: 5432 }], [sliceEndpoint(address)]) as unknown as KubernetesObject);
    }
  }
  return objects;
}

type Step = { readonly picks: number[]; readonly copy: boolean; readonly written: boolean };
const stepArb: fc.Arbitrary<Step> = fc.record({ picks: fc.array(fc.nat(), { maxLength: 8 }), copy: fc.boolean(), written: fc.boolean() });

/** What a set says, without its version and times. */
function content(set: EndpointSet | undefined): unknown {
  return set === undefined ? undefined : { endpoints: set.endpoints, problem: set.problem?.code };
}

test('incremental updates give every watched backend what a discovery made from scratch gives', () => {
  const objects = pool();
  fc.assert(
    fc.property(fc.array(stepArb, { minLength: 1, maxLength: 10 }), (steps) => {
      const latest = new Map<string, EndpointSet>();
      const discovery = new StaticDiscovery({ objects: [] });
      for (const backend of BACKENDS) discovery.watch(backend, (set) => latest.set(set.backendKey, set));
      for (const step of steps) {
        const chosen = step.picks.map((i) => objects[i % objects.length]!);
        const input = step.copy ? chosen.map((object, i) => (i === 0 ? structuredClone(object) : object)) : chosen;
        const written = step.written ? { 'shop/db:5432': [{ address: '10.9.9.9', port: 5432 }] } : undefined;
        discovery.update({ objects: input, ...(written === undefined ? {} : { endpoints: written }) });
        const scratch = new StaticDiscovery({ objects: input, ...(written === undefined ? {} : { endpoints: written }) });
        for (const backend of BACKENDS) {
          let fresh: EndpointSet | undefined;
          scratch.watch(backend, (set) => (fresh = set))();
          const key = fresh!.backendKey;
          expect(content(latest.get(key)), key).toEqual(content(fresh));
        }
        void scratch.close();
      }
      void discovery.close();
    }),
    { numRuns: 300 },
  );
});
