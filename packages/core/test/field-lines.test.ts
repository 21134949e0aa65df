import { compile, loadManifests, manifestSourceOf, validateIngress } from '@switchyard/core';
import { describe, expect, test } from 'vitest';

// Line numbers below are of this text: the Service is lines 1-6, '---' line 7, the Ingress from line 8.
const TEXT = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{ port: 80 }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    kubernetes.io/ingress.class: other
spec:
  ingressClassName: switchyard
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: { service: { name: web, port: { number: 80 } } }
          - path: /cart
            pathType: Exakt
            backend: { service: { name: web, port: { number: 80 } } }
          - path: /api
            backend: { service: { name: web, port: { number: 80 } } }
`;

describe('diagnostics point at the line of their field', () => {
  const loaded = loadManifests(TEXT, { file: 'ingress.yaml' });
  const ingress = loaded.ingresses[0]!;

  test('an invalid value: its own line', () => {
    const problem = validateIngress(ingress).find((d) => d.field === 'spec.rules[0].http.paths[1].pathType');
    expect(problem?.source).toEqual({ file: 'ingress.yaml', document: 2, line: 24 });
  });

  test('a missing field: the line of the entry it is missing from', () => {
    const problem = validateIngress(ingress).find((d) => d.field === 'spec.rules[0].http.paths[2].pathType');
    expect(problem?.code).toBe('SWY_INGRESS_PATH_TYPE_INVALID');
    expect(problem?.source?.line).toBe(26);
  });

  test('a key that is not a plain name (an annotation) is found in brackets', () => {
    const problem = compile({ ingresses: [ingress], ingressClass: 'switchyard' }).diagnostics.find((d) => d.code === 'SWY_INGRESS_CLASS_INVALID');
    expect(problem?.field).toBe('metadata.annotations[kubernetes.io/ingress.class]');
    expect(problem?.source?.line).toBe(13);
    expect(manifestSourceOf(ingress, 'spec.ingressClassName')?.line).toBe(15);
  });

  test("without a field, or for a field the file does not hold, the document's first line", () => {
    expect(manifestSourceOf(ingress)).toEqual({ file: 'ingress.yaml', document: 2, line: 8 });
    expect(manifestSourceOf(ingress, 'nothing.here')?.line).toBe(8);
  });

  test('the items of a List get the lines of their own fields', () => {
    const list = loadManifests(`apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata: { name: listed }
    spec:
      defaultBackend:
        service: { name: web, port: { number: 0 } }
`);
    const problem = validateIngress(list.ingresses[0]!)[0];
    expect(problem?.field).toBe('spec.defaultBackend.service.port');
    expect(problem?.source?.line).toBe(9);
  });
});
