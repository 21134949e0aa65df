import { compile, loadManifests, type GatewayApiStatus, type KubernetesObject } from '@switchyard/core';
import type { ObservedObject, StatusPlanInput, StatusWrite } from '@switchyard/kubernetes';
import { gatewayCompileOptions } from '@switchyard/test-utils';

/** The controller name the tests write as; `OTHER` is another implementation's. */
export const OURS = 'switchyard.dev/gateway-controller';
export const OTHER = 'example.net/gateway-controller';

export const T0 = new Date('2026-03-01T10:00:00.250Z');
export const T0_TEXT = '2026-03-01T10:00:00Z';
export const T1 = new Date('2026-03-01T11:30:00Z');
export const T1_TEXT = '2026-03-01T11:30:00Z';

/** A GatewayClass of ours and a Gateway `infra/gw` with an HTTP listener for `*.example.com` and one for any host. */
export const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: switchyard }
spec: { controllerName: ${OURS} }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: infra, creationTimestamp: "2026-01-01T00:00:00Z" }
spec:
  gatewayClassName: switchyard
  listeners:
    - { name: web, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: { namespaces: { from: All } } }
    - { name: any, port: 8080, protocol: HTTP, allowedRoutes: { namespaces: { from: All }, kinds: [{ kind: HTTPRoute }] } }
`;

export function service(name: string, namespace: string): string {
  return `---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec: { ports: [{ port: 80 }] }
`;
}

export function httpRoute(name: string, namespace: string, spec: string): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name}, namespace: ${namespace}, creationTimestamp: "2026-01-02T00:00:00Z" }
spec:
${spec}`;
}

/** The objects of `yaml` and what compile concluded about their status. */
export function compileYaml(yaml: string): { objects: KubernetesObject[]; status: GatewayApiStatus } {
  const { objects, ingresses } = loadManifests(yaml);
  const result = compile({ ingresses, ...gatewayCompileOptions(objects) });
  return { objects, status: result.table.gatewayStatus };
}

/** The objects as an API server would hand them out: a generation, a resourceVersion, and a status (none by default). */
export function observe(objects: readonly KubernetesObject[], { generation = 1, status = {} as Record<string, unknown> } = {}): ObservedKinds {
  const of = (kind: string): ObservedObject[] =>
    objects
      .filter((object) => object.kind === kind)
      .map((object) => {
        const key = `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
        return { ...object, metadata: { ...object.metadata, generation, resourceVersion: '100' }, ...(status[key] === undefined ? {} : { status: status[key] }) };
      });
  return { gatewayClasses: of('GatewayClass'), gateways: of('Gateway'), httpRoutes: of('HTTPRoute'), grpcRoutes: of('GRPCRoute') };
}

export type ObservedKinds = StatusPlanInput['observed'];

/**
 * What the API server holds after `writes`: each written status replaces the object's, read back
 * through JSON with its keys in reverse order (the server's key order is its own), and the
 * resourceVersion moves on.
 */
export function applyWrites(observed: ObservedKinds, writes: readonly StatusWrite[]): ObservedKinds {
  const apply = (kind: StatusWrite['kind'], objects: readonly ObservedObject[]): ObservedObject[] =>
    objects.map((object) => {
      const write = writes.find((w) => w.kind === kind && w.name === object.metadata?.name && (w.namespace ?? '') === (object.metadata?.namespace ?? ''));
      if (write === undefined) return object;
      return { ...object, metadata: { ...object.metadata, resourceVersion: String(Number(object.metadata?.resourceVersion ?? 0) + 1) }, status: reversedKeys(JSON.parse(JSON.stringify(write.status))) };
    });
  return { gatewayClasses: apply('GatewayClass', observed.gatewayClasses), gateways: apply('Gateway', observed.gateways), httpRoutes: apply('HTTPRoute', observed.httpRoutes), grpcRoutes: apply('GRPCRoute', observed.grpcRoutes) };
}

function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reversedKeys(inner)]));
}

/** The write for one object, by kind and `namespace/name` (or name for a GatewayClass). */
export function writeFor(writes: readonly StatusWrite[], kind: StatusWrite['kind'], key: string): StatusWrite | undefined {
  return writes.find((write) => write.kind === kind && (write.namespace === undefined ? write.name : `${write.namespace}/${write.name}`) === key);
}
