import type { Ingress } from '@switchyard/core';
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

  test('an Ingress of another class is not ours: it passes through untouched', () => {
    const last = new LastValidIngresses();
    last.select([valid('shop', '/', 'other')], 'switchyard', []);
    const edited = invalid('shop', 'other');
    expect(last.select([edited], 'switchyard', []).ingresses).toEqual([edited]);
  });
});
