import type { Ingress } from '@switchyard/core';
import { INGRESS_CLASS_ANNOTATION } from '../src/model.js';
import { describe, expect, test } from 'vitest';
import { compileIngresses, expectClean, origin, withCode } from './helpers/ingress-builders.js';
import { ingress, ingressClass, type IngressOptions, prefix, rule, serviceBackend } from '@switchyard/test-utils';

/**
 * Which Ingresses a router of one IngressClass serves (DESIGN.md, "Core model"):
 * `spec.ingressClassName`, the legacy `kubernetes.io/ingress.class` annotation, and the
 * default class for Ingresses that name none.
 */

const OURS = 'switchyard';
const annotated = (className: string) => ({ annotations: { [INGRESS_CLASS_ANNOTATION]: className } });

/** An Ingress routing foo.com/<name> to Service <name>. */
function named(name: string, options: Omit<IngressOptions, 'rules'> = {}): Ingress {
  return ingress(name, { ...options, rules: [rule('foo.com', prefix(`/${name}`, name))] });
}

const routesTo = (table: ReturnType<typeof compileIngresses>['table'], name: string) => origin(table.match('foo.com', `/${name}`));

describe('with no class given', () => {
  test('every Ingress is in scope, whatever class it names', () => {
    const { table, diagnostics } = compileIngresses(
      [named('by-spec', { className: 'nginx' }), named('by-annotation', annotated('traefik')), named('no-class')],
      { ingressClasses: [ingressClass('nginx', { isDefault: true })] },
    );
    expectClean(diagnostics);
    expect(withCode(diagnostics, 'SWY_INGRESS_CLASS_SKIPPED')).toEqual([]);
    for (const name of ['by-spec', 'by-annotation', 'no-class']) {
      expect(routesTo(table, name)).toBe(`default/${name} spec.rules[0].http.paths[0]`);
    }
  });
});

describe(`with ingressClass "${OURS}"`, () => {
  test.each([
    ['spec.ingressClassName names it', true, { className: OURS }, []],
    ['spec.ingressClassName names another', false, { className: 'nginx' }, []],
    ['the legacy annotation names it', true, annotated(OURS), []],
    ['the legacy annotation names another', false, annotated('nginx'), []],
    ['spec and annotation both name it', true, { className: OURS, ...annotated(OURS) }, []],
    ['it names no class and no IngressClass is given', false, {}, []],
    ['it names no class and ours is the default class', true, {}, [ingressClass(OURS, { isDefault: true })]],
    ['it names no class and ours exists but is not the default', false, {}, [ingressClass(OURS)]],
    ['it names no class and another class is the default', false, {}, [ingressClass('nginx', { isDefault: true }), ingressClass(OURS)]],
    ['it names another class by spec and ours is the default', false, { className: 'nginx' }, [ingressClass(OURS, { isDefault: true })]],
    ['it names another class by annotation and ours is the default', false, annotated('nginx'), [ingressClass(OURS, { isDefault: true })]],
  ] as const)('when %s, the Ingress is in scope: %s', (_when, inScope, options, classes) => {
    const { table, diagnostics } = compileIngresses([named('subject', options), named('control', { className: OURS })], {
      ingressClass: OURS,
      ingressClasses: [...classes],
    });
    expect(routesTo(table, 'control')).toBe('default/control spec.rules[0].http.paths[0]');
    const skipped = withCode(diagnostics, 'SWY_INGRESS_CLASS_SKIPPED');
    if (inScope) {
      expect(routesTo(table, 'subject')).toBe('default/subject spec.rules[0].http.paths[0]');
      expect(skipped).toEqual([]);
    } else {
      expect(table.match('foo.com', '/subject')).toBeUndefined();
      expect(skipped).toEqual([expect.objectContaining({ severity: 'info', object: 'default/subject' })]);
    }
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  test('the default-class annotation must be exactly "true"', () => {
    const notQuite = ingressClass(OURS);
    notQuite.metadata.annotations = { 'ingressclass.kubernetes.io/is-default-class': 'True' };
    const { table } = compileIngresses([named('no-class')], { ingressClass: OURS, ingressClasses: [notQuite] });
    expect(routesTo(table, 'no-class')).toBeUndefined();
  });

  test('an out-of-scope Ingress takes part in nothing: no rules, no conflicts, no default backend', () => {
    const theirs = ingress('theirs', {
      className: 'nginx',
      created: '2020-01-01T00:00:00Z',
      rules: [rule('foo.com', prefix('/shared', 'theirs'), prefix('/theirs-only', 'theirs'))],
      defaultBackend: serviceBackend('theirs-default'),
    });
    const ours = ingress('ours', {
      className: OURS,
      created: '2024-01-01T00:00:00Z',
      rules: [rule('foo.com', prefix('/shared', 'ours'))],
      defaultBackend: serviceBackend('ours-default'),
    });
    const { table, diagnostics } = compileIngresses([theirs, ours], { ingressClass: OURS });
    expect(origin(table.match('foo.com', '/shared'))).toBe('default/ours spec.rules[0].http.paths[0]');
    expect(origin(table.match('foo.com', '/theirs-only'))).toBe('default/ours spec.defaultBackend');
    expect(origin(table.match('other.org', '/'))).toBe('default/ours spec.defaultBackend');
    expect(diagnostics.map((d) => [d.code, d.object])).toEqual([['SWY_INGRESS_CLASS_SKIPPED', 'default/theirs']]);
    expect(table.routes().map((route) => route.origin.name)).not.toContain('theirs');
  });

  test('an invalid Ingress of another class is skipped as out of scope; its errors are not ours to report', () => {
    const theirsInvalid = ingress('theirs', { className: 'nginx', rules: [rule('FOO.COM', prefix('/x', 'theirs'))] });
    const { diagnostics } = compileIngresses([theirsInvalid], { ingressClass: OURS });
    expect(withCode(diagnostics, 'SWY_INGRESS_HOST_INVALID')).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.severity, d.object])).toEqual([['SWY_INGRESS_CLASS_SKIPPED', 'info', 'default/theirs']]);
  });
});

describe('spec.ingressClassName and the legacy annotation disagreeing', () => {
  const disagreeing = () => named('split', { className: OURS, ...annotated('nginx') });

  test.each([
    ['no class filter', {}],
    ['the class the spec names', { ingressClass: OURS }],
  ])('is SWY_INGRESS_CLASS_INVALID and the Ingress is left out (%s)', (_filter, options) => {
    const { table, diagnostics } = compileIngresses([disagreeing(), named('control')], {
      ...options,
      ingressClasses: [ingressClass(OURS, { isDefault: true })],
    });
    expect(withCode(diagnostics, 'SWY_INGRESS_CLASS_INVALID')).toEqual([
      expect.objectContaining({ severity: 'error', object: 'default/split', field: `metadata.annotations[${INGRESS_CLASS_ANNOTATION}]` }),
    ]);
    expect(table.match('foo.com', '/split')).toBeUndefined();
    expect(routesTo(table, 'control')).toBe('default/control spec.rules[0].http.paths[0]');
  });

  test('an ingressClassName that is not a valid name is SWY_INGRESS_CLASS_INVALID', () => {
    const { table, diagnostics } = compileIngresses([named('bad-class', { className: 'Not_A_Name' })]);
    expect(withCode(diagnostics, 'SWY_INGRESS_CLASS_INVALID')).toEqual([
      expect.objectContaining({ severity: 'error', object: 'default/bad-class', field: 'spec.ingressClassName' }),
    ]);
    expect(table.match('foo.com', '/bad-class')).toBeUndefined();
  });
});
