import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { compile } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { withGatewayClassDefaults, withGatewayDefaults, withHTTPRouteDefaults, withNamespaceDefaults, withReferenceGrantDefaults } from '../../src/gateway-api/crd-defaults.js';
import { validateGateway } from '../../src/gateway-api/validate-gateway.js';
import { validateGatewayClass } from '../../src/gateway-api/validate-gateway-class.js';
import { validateHTTPRoute } from '../../src/gateway-api/validate-http-route.js';
import { validateNamespace } from '../../src/gateway-api/validate-namespace.js';
import { validateReferenceGrant } from '../../src/gateway-api/validate-reference-grant.js';
import type { Validated } from '../../src/gateway-api/validated.js';
import { loadManifests } from '../../src/manifests/load-manifests.js';

/**
 * The validators on random JSON and on valid objects with one field changed at random: they
 * never throw, never change their input, and whatever they accept stays valid and unchanged
 * when validated and defaulted again. Set SWY_PROPERTY_SEED to replay a reported failure.
 */
const RUNS = Number(process.env.SWY_PROPERTY_RUNS ?? 2000);
const SEED = Number(process.env.SWY_PROPERTY_SEED ?? Date.now() % 2 ** 31);

interface Kind {
  readonly validate: (input: unknown) => Validated<unknown>;
  readonly defaults: (object: never) => unknown;
}
const KINDS: Readonly<Record<string, Kind>> = {
  GatewayClass: { validate: validateGatewayClass, defaults: withGatewayClassDefaults },
  Gateway: { validate: validateGateway, defaults: withGatewayDefaults },
  HTTPRoute: { validate: validateHTTPRoute, defaults: withHTTPRouteDefaults },
  ReferenceGrant: { validate: validateReferenceGrant, defaults: withReferenceGrantDefaults },
  Namespace: { validate: validateNamespace, defaults: withNamespaceDefaults },
};

const SEEDS = ['infra.yaml', 'routes.yaml'].flatMap((name) => loadManifests(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')).objects).map((object) => JSON.parse(JSON.stringify(object)) as Record<string, unknown>);

/** Values that sit on the edges of the schema's rules. */
const EDGE = fc.constantFrom<unknown>(null, '', '/', '*', '*.a.com', 'A', 'a b', '//', '%2f', 0, -1, 1, 65536, 1_000_001, 1.5, true, [], {}, [null], { name: 'x' }, 'PathPrefix', 'Exact', 'RequestRedirect', 'ReplacePrefixMatch', 'HTTPS', 'TLS', 'TCP', '0s', '1h', 'gateway.networking.k8s.io', 'Service');
const ANY = fc.oneof(EDGE, fc.jsonValue({ maxDepth: 3 }));

/** Every path to a value in a JSON tree. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const own = [prefix];
  if (Array.isArray(value)) return [...own, ...value.flatMap((item, i) => paths(item, [...prefix, i]))];
  if (typeof value === 'object' && value !== null) return [...own, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
  return own;
}

/** A copy of `object` with the value at `path` replaced (or, for `undefined`, removed). */
function mutate(object: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(object) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

const mutated = fc
  .tuple(fc.constantFrom(...SEEDS), fc.nat(), fc.option(ANY, { nil: undefined }), fc.nat(), fc.option(ANY, { nil: undefined }))
  .map(([seed, at, value, at2, value2]) => {
    const first = paths(seed);
    const once = mutate(seed, first[at % first.length] ?? [], value);
    const second = paths(once);
    return { kind: String(seed.kind), object: at2 % 3 === 0 ? mutate(once, second[at2 % second.length] ?? [], value2) : once };
  });

function checkAcceptedIsStable(kind: Kind, input: unknown): void {
  const before = JSON.stringify(input);
  const result = kind.validate(input);
  expect(JSON.stringify(input)).toBe(before);
  expect(result.original).toBe(input);
  if (result.object === undefined) {
    expect(result.diagnostics.length).toBeGreaterThan(0);
    return;
  }
  expect(result.diagnostics).toEqual([]);
  // Defaults make an object the API server would have stored: valid, and its own defaults.
  const again = kind.validate(result.object);
  expect(again.diagnostics).toEqual([]);
  expect(again.object).toEqual(result.object);
  expect(kind.defaults(result.object as never)).toEqual(result.object);
}

describe('Gateway API validators (property)', () => {
  test('every seed manifest is valid', () => {
    for (const seed of SEEDS) expect(KINDS[String(seed.kind)]?.validate(seed).diagnostics).toEqual([]);
  });

  test('random JSON never makes a validator throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (input) => {
        for (const kind of Object.values(KINDS)) checkAcceptedIsStable(kind, input);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('random JSON inside a valid envelope never makes a validator throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(KINDS)), fc.jsonValue({ maxDepth: 6 }), (kind, spec) => {
        const input = { apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name: 'x', namespace: 'y' }, spec };
        checkAcceptedIsStable(KINDS[kind] as Kind, input);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('valid objects with fields changed at random: no throw, and what is accepted stays valid after defaults', () => {
    fc.assert(
      fc.property(mutated, ({ kind, object }) => {
        checkAcceptedIsStable(KINDS[kind] as Kind, object);
      }),
      { numRuns: RUNS * 2, seed: SEED },
    );
  });

  test('compile never throws on them: valid objects with fields changed at random, compiled together', () => {
    fc.assert(
      fc.property(fc.array(mutated, { minLength: 1, maxLength: 6 }), (objects) => {
        const of = (kind: string): never => objects.filter((o) => o.kind === kind).map((o) => o.object) as never;
        const { table } = compile({ ingresses: [], gateways: of('Gateway'), httpRoutes: of('HTTPRoute'), gatewayClasses: of('GatewayClass'), referenceGrants: of('ReferenceGrant'), namespaces: of('Namespace') });
        for (const port of table.gatewayPorts()) table.gatewayPort(port)!.find('a.example.com', '/', { method: 'GET', headers: {}, query: '' });
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('cyclic and shared values (YAML aliases) end', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', annotations: {} }, spec: { extra: cyclic } };
    const result = validateHTTPRoute(route);
    expect(result.diagnostics).toEqual([]);
    const extra = (result.object?.spec as { extra: Record<string, unknown> }).extra;
    expect(extra.self).toBe(extra);
  });

  test('a __proto__ key stays a plain key in the copy', () => {
    const route = JSON.parse('{"metadata":{"name":"r"},"spec":{"__proto__":{"polluted":true}}}') as unknown;
    const object = validateHTTPRoute(route).object as unknown as { spec: Record<string, unknown> };
    expect(Object.getPrototypeOf(object.spec)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
