import { expect, test } from 'vitest';
import { applyMergePatch, strategicToMergePatch } from '../../src/kube-api/merge-patch.js';

// The examples of RFC 7386, appendix A: [original, patch, result].
test.each([
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
])('RFC 7386: %j patched with %j is %j', (original, patch, result) => {
  const before = structuredClone(original);
  expect(applyMergePatch(original, patch)).toEqual(result);
  expect(original).toEqual(before);
});

test('a strategic merge patch loses its $-directives at every depth', () => {
  expect(strategicToMergePatch({ $patch: 'replace', spec: { $retainKeys: ['a'], 'a': 1, '$setElementOrder/ports': [{ port: 80 }], ports: [{ port: 80, $patch: 'delete' }] } })).toEqual({ spec: { a: 1, ports: [{ port: 80 }] } });
});
