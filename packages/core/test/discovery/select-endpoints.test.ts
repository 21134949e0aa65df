import { selectEndpoints, type Endpoint, type EndpointSet } from '@switchyard/core';
import { expect, test } from 'vitest';

const e = (address: string, ready: boolean, serving: boolean, terminating: boolean): Endpoint => ({ address, port: 80, ready, serving, terminating });
const setOf = (...endpoints: Endpoint[]): EndpointSet => ({ backendKey: 'shop/web:80', version: 1, endpoints, stale: false });

test('ready endpoints only, when any is ready', () => {
  const set = setOf(e('a', true, true, false), e('b', false, true, true), e('c', false, false, false));
  expect(selectEndpoints(set).map((x) => x.address)).toEqual(['a']);
});

test('none ready: the serving and terminating ones (KEP-1669)', () => {
  const set = setOf(e('b', false, true, true), e('c', false, false, true), e('d', false, true, false));
  expect(selectEndpoints(set).map((x) => x.address)).toEqual(['b']);
});

test('the fallback can be turned off', () => {
  expect(selectEndpoints(setOf(e('b', false, true, true)), false)).toEqual([]);
});

test('no set, or nothing usable: none', () => {
  expect(selectEndpoints(undefined)).toEqual([]);
  expect(selectEndpoints(setOf(e('c', false, false, false)))).toEqual([]);
});
