import { compile, type CompileOptions, type CompileResult, type Diagnostic, type Ingress, type Route } from '@switchyard/core';
import { expect } from 'vitest';

/** Core's own test helpers; the object builders (ingress, rule, prefix, ...) are test-utils'. */

/** An object of any shape, typed as an Ingress: for validation tests that feed parsed YAML. */
export function untyped(value: unknown): Ingress {
  return value as Ingress;
}

/** Compiles the Ingresses (no class filter unless given). */
export function compileIngresses(ingresses: Ingress[], options: Omit<CompileOptions, 'ingresses'> = {}): CompileResult {
  return compile({ ...options, ingresses });
}

/**
 * Where a route comes from, as one string a test can compare: `ns/name field`, e.g.
 * `default/api spec.rules[0].http.paths[1]`; undefined when nothing matched.
 */
export function origin(route: Route | undefined): string | undefined {
  return route === undefined ? undefined : `${route.origin.namespace}/${route.origin.name} ${route.field}`;
}

/** The Service name a route points at (undefined for no route or a resource backend). */
export function serviceOf(route: Route | undefined): string | undefined {
  return route !== undefined && 'service' in route.backend ? route.backend.service.name : undefined;
}

/** The diagnostics of one code. */
export function withCode(diagnostics: readonly Diagnostic[], code: Diagnostic['code']): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

/** Asserts there is no diagnostic of severity error or warning. */
export function expectClean(diagnostics: readonly Diagnostic[]): void {
  expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
}
