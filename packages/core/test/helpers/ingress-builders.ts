import {
  compile,
  type CompileOptions,
  type CompileResult,
  type Diagnostic,
  type HTTPIngressPath,
  type Ingress,
  type IngressBackend,
  type IngressClass,
  type IngressRule,
  type IngressSpec,
  type PathType,
  type Route,
} from '@switchyard/core';
import { expect } from 'vitest';

/**
 * Small builders for Ingress objects, so a test reads as its rules:
 *
 *   ingress('api', { rules: [rule('foo.com', prefix('/api', 'api-svc'))] })
 */

/** A Service backend on port 80 (or the given number or name). */
export function service(name: string, port: number | string = 80): IngressBackend {
  return { service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } };
}

/** One `http.paths[]` entry; `serviceName` names the backend so a test can tell routes apart. */
export function httpPath(path: string | undefined, pathType: PathType, serviceName: string): HTTPIngressPath {
  return { ...(path === undefined ? {} : { path }), pathType, backend: service(serviceName) };
}

export const exact = (path: string, serviceName: string): HTTPIngressPath => httpPath(path, 'Exact', serviceName);
export const prefix = (path: string, serviceName: string): HTTPIngressPath => httpPath(path, 'Prefix', serviceName);
export const implSpecific = (path: string | undefined, serviceName: string): HTTPIngressPath =>
  httpPath(path, 'ImplementationSpecific', serviceName);

/** A rule for `host` (undefined: no host) with the given paths. */
export function rule(host: string | undefined, ...paths: HTTPIngressPath[]): IngressRule {
  return { ...(host === undefined ? {} : { host }), http: { paths } };
}

export interface IngressOptions {
  readonly namespace?: string;
  /** RFC 3339 `creationTimestamp`. */
  readonly created?: string;
  readonly className?: string;
  readonly annotations?: Record<string, string>;
  readonly rules?: IngressRule[];
  readonly defaultBackend?: IngressBackend;
  readonly tls?: IngressSpec['tls'];
}

/** A `networking.k8s.io/v1` Ingress. */
export function ingress(name: string, options: IngressOptions = {}): Ingress {
  const { namespace, created, className, annotations, rules, defaultBackend, tls } = options;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      ...(created === undefined ? {} : { creationTimestamp: created }),
      ...(annotations === undefined ? {} : { annotations }),
    },
    spec: {
      ...(className === undefined ? {} : { ingressClassName: className }),
      ...(defaultBackend === undefined ? {} : { defaultBackend }),
      ...(rules === undefined ? {} : { rules }),
      ...(tls === undefined ? {} : { tls }),
    },
  };
}

/** An IngressClass, marked as the cluster default when `isDefault`. */
export function ingressClass(name: string, isDefault = false): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name,
      ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}),
    },
    spec: { controller: 'example.com/switchyard' },
  };
}

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
  return route === undefined ? undefined : `${route.ingress.namespace}/${route.ingress.name} ${route.field}`;
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
