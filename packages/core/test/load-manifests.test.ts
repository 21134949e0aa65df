import { compile, loadManifests, manifestSourceOf } from '@switchyard/core';
import { describe, expect, test } from 'vitest';
import { origin, withCode } from './helpers/ingress-builders.js';

/** Multi-document YAML (or JSON) to Kubernetes objects, with diagnostics that point into the file. */

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: switchyard
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`;

const INGRESS_CLASS = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: switchyard
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: example.com/switchyard
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports:
    - name: http
      port: 80
`;

const ENDPOINT_SLICE = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc12
  namespace: shop
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
endpoints:
  - addresses: ["10.1.0.5"]
ports:
  - name: http
    port: 8080
`;

const docs = (...documents: string[]) => documents.join('---\n');

describe('loadManifests', () => {
  test('reads every object of a multi-document file, in order, and sorts out Ingresses and IngressClasses', () => {
    const loaded = loadManifests(docs(INGRESS, INGRESS_CLASS, SERVICE, ENDPOINT_SLICE), { file: 'shop.yaml' });
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.objects.map((o) => [o.kind, o.metadata?.name])).toEqual([
      ['Ingress', 'web'],
      ['IngressClass', 'switchyard'],
      ['Service', 'web'],
      ['EndpointSlice', 'web-abc12'],
    ]);
    expect(loaded.ingresses).toEqual([loaded.objects[0]]);
    expect(loaded.ingresses[0]).toBe(loaded.objects[0]);
    expect(loaded.ingressClasses).toEqual([loaded.objects[1]]);
    expect(loaded.ingresses[0]?.spec?.rules?.[0]?.http?.paths[0]?.backend.service?.port).toEqual({ number: 80 });
  });

  test('what it loads compiles: the class is honoured and requests route', () => {
    const loaded = loadManifests(docs(INGRESS, INGRESS_CLASS, SERVICE), { file: 'shop.yaml' });
    const { table, diagnostics } = compile({ ingresses: loaded.ingresses, ingressClasses: loaded.ingressClasses, ingressClass: 'switchyard' });
    expect(diagnostics).toEqual([]);
    expect(origin(table.match('shop.example.com', '/cart'))).toBe('shop/web spec.rules[0].http.paths[0]');
    expect(table.match('shop.example.com', '/cart')?.backend).toEqual({ namespace: 'shop', service: { name: 'web', port: { number: 80 } } });
  });

  test('leaves objects exactly as written (the source is kept beside them)', () => {
    const [service] = loadManifests(SERVICE).objects;
    expect(Object.keys(service!)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(manifestSourceOf(service)).toEqual({ document: 1, line: 1 });
  });

  test('flattens kind: List (and typed lists such as IngressList)', () => {
    const list = `apiVersion: v1
kind: List
items:
  - ${SERVICE.trimEnd().replaceAll('\n', '\n    ')}
  - ${INGRESS.trimEnd().replaceAll('\n', '\n    ')}
`;
    const ingressList = `apiVersion: networking.k8s.io/v1
kind: IngressList
items:
  - apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: { name: listed }
    spec: { defaultBackend: { service: { name: listed, port: { number: 80 } } } }
`;
    const loaded = loadManifests(docs(INGRESS_CLASS, list, ingressList), { file: 'list.yaml' });
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.objects.map((o) => [o.kind, o.metadata?.name])).toEqual([
      ['IngressClass', 'switchyard'],
      ['Service', 'web'],
      ['Ingress', 'web'],
      ['Ingress', 'listed'],
    ]);
    expect(loaded.ingresses.map((i) => i.metadata.name)).toEqual(['web', 'listed']);
    expect(manifestSourceOf(loaded.ingresses[1])).toMatchObject({ file: 'list.yaml', document: 3 });
  });

  test('ignores empty documents and comment-only documents', () => {
    const loaded = loadManifests(`---\n---\n# only a comment\n---\n${SERVICE}---\n\n---\n`);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.objects.map((o) => o.kind)).toEqual(['Service']);
    expect(loadManifests('')).toEqual({ objects: [], ingresses: [], ingressClasses: [], diagnostics: [] });
  });

  // Line numbers are of the whole file: SERVICE is lines 1-9, "---" line 10, document 2 starts on line 11.
  test.each([
    ['bad indentation', '  name: b\n bad: indented\n', 15],
    ['a duplicate key', '  name: b\n  name: c\n', 15],
    ['a tab as indentation', '  name: b\n\tbad: tab\n', 15],
  ])('a document with %s is SWY_MANIFEST_YAML_INVALID at its document and line; the others load', (_what, tail, line) => {
    const broken = `apiVersion: v1\nkind: Service\nmetadata:\n${tail}`;
    expect(docs(SERVICE, broken).split('\n')[line - 1]).toBe(tail.split('\n')[1]);
    const loaded = loadManifests(docs(SERVICE, broken, INGRESS), { file: 'broken.yaml' });
    expect(loaded.diagnostics.length).toBeGreaterThan(0);
    for (const diagnostic of loaded.diagnostics) {
      expect(diagnostic).toMatchObject({ code: 'SWY_MANIFEST_YAML_INVALID', severity: 'error', source: { file: 'broken.yaml', document: 2, line } });
    }
    expect(loaded.objects.map((o) => [o.kind, o.metadata?.name])).toEqual([
      ['Service', 'web'],
      ['Ingress', 'web'],
    ]);
    expect(loaded.ingresses).toHaveLength(1);
  });

  // SERVICE is lines 1-9, "---" line 10; the broken document (the last) starts on line 11, its tail on line 13.
  test.each([
    ['a tab in indentation', 'metadata:\n  name: b\n\tnamespace: shop\n', 15, 1, 'Tabs are not allowed as indentation', 'indent with spaces'],
    ['a missing space after a colon', 'metadata:\n  name:b\n  namespace: shop\n', 14, 3, 'Implicit keys need to be on a single line', 'a space missing after a colon'],
    ['bad indentation', 'metadata:\n  name: b\n namespace: shop\n', 15, 1, 'All mapping items must start at the same column', 'must start in the same column'],
    // The library finds a quote unclosed where the document ends.
    ['an unclosed quote', 'metadata:\n  name: "b\n  namespace: shop\n', 16, 1, 'Missing closing "quote', 'add the closing quote'],
    ['a duplicate key', 'metadata:\n  name: b\n  name: c\n', 15, 3, 'Map keys must be unique', 'a key appears twice'],
  ])('%s: one SWY_MANIFEST_YAML_INVALID for the document, with line, column and a hint', (_what, tail, line, column, what, hint) => {
    const broken = `apiVersion: v1\nkind: Service\n${tail}`;
    const loaded = loadManifests(docs(SERVICE, broken), { file: 'broken.yaml' });
    expect(loaded.diagnostics).toHaveLength(1);
    const [diagnostic] = loaded.diagnostics;
    expect(diagnostic).toMatchObject({ code: 'SWY_MANIFEST_YAML_INVALID', severity: 'error', source: { file: 'broken.yaml', document: 2, line } });
    expect(diagnostic!.message).toMatch(new RegExp(`^document 2, line ${line}, column ${column}: `));
    expect(diagnostic!.message).toContain(what);
    expect(diagnostic!.message).toContain(hint);
    expect(diagnostic!.message).not.toContain('\n');
    expect(loaded.objects.map((o) => o.kind)).toEqual(['Service']);
  });

  test('a YAML error the hints do not know gets a generic hint', () => {
    const loaded = loadManifests('a: b: c\n', { file: 'odd.yaml' });
    expect(loaded.diagnostics).toHaveLength(1);
    expect(loaded.diagnostics[0]!.message).toMatch(/^document 1, line 1, column 4: .+; .+/);
    const other = loadManifests('a: 1\n? [x\n', { file: 'odd.yaml' });
    expect(other.diagnostics).toHaveLength(1);
    expect(other.diagnostics[0]!.message).toMatch(/^document 1, line \d+(, column \d+)?: .+; .+/);
  });

  test.each([
    ['a scalar', 'just a string\n'],
    ['a sequence', '- a\n- b\n'],
    ['a mapping without apiVersion', 'kind: Service\nmetadata: { name: x }\n'],
    ['a mapping without kind', 'apiVersion: v1\nmetadata: { name: x }\n'],
    ['a List without items', 'apiVersion: v1\nkind: List\n'],
  ])('a document that is %s is SWY_MANIFEST_OBJECT_INVALID; the others load', (_what, document) => {
    const loaded = loadManifests(docs(SERVICE, document, INGRESS), { file: 'odd.yaml' });
    expect(loaded.diagnostics).toEqual([expect.objectContaining({ code: 'SWY_MANIFEST_OBJECT_INVALID', severity: 'error', source: expect.objectContaining({ file: 'odd.yaml', document: 2 }) })]);
    expect(loaded.objects.map((o) => o.kind)).toEqual(['Service', 'Ingress']);
  });

  test.each([
    ['Ingress', 'extensions/v1beta1'],
    ['Ingress', 'networking.k8s.io/v1beta1'],
    ['IngressClass', 'networking.k8s.io/v1beta1'],
  ])('%s of %s is SWY_MANIFEST_VERSION_UNSUPPORTED and not read as one', (kind, apiVersion) => {
    const old = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: legacy\n  namespace: shop\nspec:\n  backend:\n    serviceName: web\n    servicePort: 80\n`;
    const loaded = loadManifests(docs(SERVICE, old), { file: 'old.yaml' });
    expect(loaded.diagnostics).toEqual([
      expect.objectContaining({ code: 'SWY_MANIFEST_VERSION_UNSUPPORTED', severity: 'warning', object: 'shop/legacy', field: 'apiVersion', source: expect.objectContaining({ file: 'old.yaml', document: 2 }) }),
    ]);
    expect(loaded.ingresses).toEqual([]);
    expect(loaded.ingressClasses).toEqual([]);
  });

  test('diagnostics of compile() on loaded Ingresses carry their source', () => {
    const invalid = INGRESS.replace('name: web\n  namespace', 'name: broken\n  namespace').replace('shop.example.com', 'Shop.example.com');
    const older = INGRESS.replace('name: web\n  namespace', 'name: older\n  namespace').replace('metadata:\n', 'metadata:\n  creationTimestamp: "2020-01-01T00:00:00Z"\n');
    const loaded = loadManifests(docs(SERVICE, INGRESS, invalid, older), { file: 'routes.yaml' });
    expect(loaded.diagnostics).toEqual([]);
    const { diagnostics } = compile({ ingresses: loaded.ingresses });
    expect(withCode(diagnostics, 'SWY_INGRESS_HOST_INVALID')).toEqual([
      expect.objectContaining({ object: 'shop/broken', field: 'spec.rules[0].host', source: expect.objectContaining({ file: 'routes.yaml', document: 3 }) }),
    ]);
    // The conflict is reported on the newer Ingress, from document 2.
    expect(withCode(diagnostics, 'SWY_ROUTE_CONFLICT')).toEqual([
      expect.objectContaining({ object: 'shop/web', related: expect.objectContaining({ object: 'shop/older' }), source: expect.objectContaining({ file: 'routes.yaml', document: 2 }) }),
    ]);
  });

  test('without a file name, sources have no file', () => {
    const loaded = loadManifests(docs(SERVICE, '- not an object\n'));
    expect(loaded.diagnostics[0]?.source).toEqual(expect.objectContaining({ document: 2 }));
    expect(loaded.diagnostics[0]?.source).not.toHaveProperty('file');
  });

  test('reads JSON', () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { rules: [{ host: 'api.example.com', http: { paths: [{ path: '/v1', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }] } }] },
    };
    const single = loadManifests(JSON.stringify(ingress, null, 2), { file: 'api.json' });
    expect(single.diagnostics).toEqual([]);
    expect(single.ingresses).toEqual([ingress]);
    const list = loadManifests(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [ingress, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' } }] }));
    expect(list.objects.map((o) => o.kind)).toEqual(['Ingress', 'Service']);
    const { table } = compile({ ingresses: single.ingresses });
    expect(origin(table.match('api.example.com', '/v1/users'))).toBe('shop/api spec.rules[0].http.paths[0]');
    expect(table.match('api.example.com', '/v1/users')?.backend).toEqual({ namespace: 'shop', service: { name: 'api', port: { name: 'http' } } });
  });
});
