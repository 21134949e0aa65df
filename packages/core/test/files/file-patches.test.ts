import { loadManifests, manifestSourceOf } from '@switchyard/core';
import { expect, test } from 'vitest';
import { loadedFromPatch, patchLoaded } from '../../src/files/file-patches.js';

const service = (name: string, port: number) => `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: shop }\nspec: { ports: [{ name: http, port: ${port} }] }\n`;
const ingressClass = 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: edge }\nspec: { controller: example.com/switchyard }\n';

test('a file read again crosses as patches and is made again on the other side, kinds listed and places recorded', () => {
  const file = 'shop.yaml';
  const before = loadManifests(`${service('a', 80)}---\n${ingressClass}---\n${service('b', 80)}`, { file });
  const received = loadedFromPatch(structuredClone(patchLoaded(before, undefined)), undefined);
  expect(received).toEqual(before);
  expect(received.ingressClasses[0]).toBe(received.objects[1]);

  const next = loadManifests(`${service('a', 80)}---\n${ingressClass}---\n${service('b', 8080)}`, { file });
  const made = loadedFromPatch(structuredClone(patchLoaded(next, before)), received);
  expect(made).toEqual(next);
  expect(made.objects[0]).toBe(received.objects[0]);
  expect(made.objects[1]).toBe(received.objects[1]);
  expect(made.ingressClasses[0]).toBe(received.objects[1]);
  expect(made.objects[2]).not.toBe(received.objects[2]);
  expect(made.objects[2]!.metadata).toBe(received.objects[2]!.metadata);
  expect(manifestSourceOf(made.objects[2]!, 'spec.ports[0].port')).toEqual({ file, document: 3, line: 14 });
});

test('a patch of an object the other side does not have fails, rather than make something else', () => {
  const before = loadManifests(service('a', 80));
  const patch = structuredClone(patchLoaded(loadManifests(service('a', 81)), before));
  expect(() => loadedFromPatch(patch, undefined)).toThrow(/patch of object 0 of the file's last load, which this thread does not have/);
});
