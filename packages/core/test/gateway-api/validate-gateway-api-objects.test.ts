import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import type { KubernetesObject } from '../../src/model.js';
import { loadManifests } from '../../src/manifests/load-manifests.js';
import { validateGatewayApiObjects, type GatewayApiObjectsInput } from '../../src/gateway-api/validate-gateway-api-objects.js';
import { validateHTTPRoute } from '../../src/gateway-api/validate-http-route.js';
import { gateway, httpRoute } from './builders.js';

/** Whole manifests, as `switchyard` reads them from files, through `validateGatewayApiObjects`. */

function byKind(objects: readonly KubernetesObject[]): GatewayApiObjectsInput {
  const of = (kind: string) => objects.filter((object) => object.kind === kind);
  return { gatewayClasses: of('GatewayClass'), gateways: of('Gateway'), httpRoutes: of('HTTPRoute'), referenceGrants: of('ReferenceGrant'), namespaces: of('Namespace') };
}

function fixture(name: string): KubernetesObject[] {
  const file = new URL(`fixtures/${name}`, import.meta.url);
  return loadManifests(readFileSync(file, 'utf8'), { file: name }).objects;
}

describe('validateGatewayApiObjects', () => {
  test('conformance-style manifests are valid, every object kept in input order', () => {
    const result = validateGatewayApiObjects(byKind([...fixture('infra.yaml'), ...fixture('routes.yaml')]));
    expect(result.diagnostics).toEqual([]);
    expect(result.gatewayClasses.map((v) => v.object.metadata.name)).toEqual(['switchyard']);
    expect(result.gateways.map((v) => v.object.metadata.name)).toEqual(['local-only', 'shared', 'secure']);
    expect(result.httpRoutes.map((v) => v.object.metadata.name)).toEqual(['catalogue', 'moved', 'api', 'everything-else']);
    expect(result.referenceGrants).toHaveLength(2);
    expect(result.namespaces).toHaveLength(2);
    for (const valid of result.httpRoutes) expect(valid.object).not.toBe(valid.original);
  });

  test('a diagnostic carries the line of the offending field', () => {
    const text = `apiVersion: v1\nkind: Namespace\nmetadata: { name: web }\n---\n${stringify(httpRoute({ rules: [{ matches: [{ path: { type: 'Exact', value: 'no-slash' } }] }] }))}`;
    const line = text.split('\n').findIndex((written) => written.includes('value: no-slash')) + 1;
    expect(line).toBeGreaterThan(3);
    const [, route] = loadManifests(text, { file: 'r.yaml' }).objects;
    const [problem] = validateHTTPRoute(route).diagnostics;
    expect(problem).toMatchObject({ code: 'SWY_HTTPROUTE_PATH_INVALID', object: 'web/subject', field: 'spec.rules[0].matches[0].path.value', source: { file: 'r.yaml', document: 2, line } });
  });

  test('of two valid objects with one namespace/name, the first is kept', () => {
    const first = httpRoute();
    const second = httpRoute({ hostnames: ['b.com'] });
    const other = { ...httpRoute(), metadata: { name: 'subject', namespace: 'other' } };
    const result = validateGatewayApiObjects({ httpRoutes: [first, second, other], gateways: [gateway(), gateway()] });
    expect(result.httpRoutes.map((v) => v.original)).toEqual([first, other]);
    expect(result.gateways).toHaveLength(1);
    expect(result.diagnostics.map((d) => [d.code, d.object, d.field])).toEqual([
      ['SWY_GATEWAY_API_DUPLICATE', 'infra/gw', 'metadata.name'],
      ['SWY_GATEWAY_API_DUPLICATE', 'web/subject', 'metadata.name'],
    ]);
  });

  test('an invalid object is left out and does not count as the first of its name', () => {
    const invalid = httpRoute({ hostnames: ['A.com'] });
    const valid = httpRoute();
    const result = validateGatewayApiObjects({ httpRoutes: [invalid, valid] });
    expect(result.httpRoutes.map((v) => v.original)).toEqual([valid]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['SWY_HTTPROUTE_HOSTNAME_INVALID']);
  });

  test('missing lists are none', () => {
    expect(validateGatewayApiObjects({})).toEqual({ gatewayClasses: [], gateways: [], httpRoutes: [], grpcRoutes: [], referenceGrants: [], namespaces: [], diagnostics: [] });
  });
});
