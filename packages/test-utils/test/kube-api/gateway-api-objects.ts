import type { KubeObject } from '@switchyard/test-utils';

export const GATEWAY_GV = 'gateway.networking.k8s.io/v1';
export const GATEWAYS = `/apis/${GATEWAY_GV}`;

/** A Gateway with one HTTP listener, as these tests write it. */
export function gateway(name: string, namespace = 'shop', className = 'switchyard'): KubeObject {
  return { apiVersion: GATEWAY_GV, kind: 'Gateway', metadata: { name, namespace }, spec: { gatewayClassName: className, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } };
}

/** An HTTPRoute for one hostname attached to `parent`. */
export function httpRoute(name: string, namespace = 'shop', parent = 'web'): KubeObject {
  return { apiVersion: GATEWAY_GV, kind: 'HTTPRoute', metadata: { name, namespace }, spec: { parentRefs: [{ name: parent }], hostnames: [`${name}.example.com`] } };
}

/** A Lease held by `holder`, as client-go's leader election writes one. */
export function lease(name: string, holder: string, namespace = 'shop'): KubeObject {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: { holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: '2025-01-01T00:00:00.000000Z', renewTime: '2025-01-01T00:00:00.000000Z', leaseTransitions: 0 } };
}

/** A `Programmed` condition, the shape a controller writes into a Gateway's status. */
export function programmedStatus(generation: number): Record<string, unknown> {
  return { conditions: [{ type: 'Programmed', status: 'True', reason: 'Programmed', message: '', observedGeneration: generation, lastTransitionTime: '2025-01-01T00:00:00Z' }] };
}
