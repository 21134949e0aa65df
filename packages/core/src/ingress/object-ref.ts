import type { IngressRef, ObjectMeta } from '../model.js';

/** The namespace an object without one lives in. */
export const DEFAULT_NAMESPACE = 'default';

/** `namespace/name` of an object, as diagnostics name it. */
export function objectName(metadata: ObjectMeta | undefined): string {
  const namespace = typeof metadata?.namespace === 'string' && metadata.namespace ? metadata.namespace : DEFAULT_NAMESPACE;
  const name = typeof metadata?.name === 'string' && metadata.name ? metadata.name : '<unnamed>';
  return `${namespace}/${name}`;
}

export function ingressRef(metadata: ObjectMeta): IngressRef {
  return Object.freeze({ namespace: metadata.namespace || DEFAULT_NAMESPACE, name: metadata.name ?? '' });
}

/**
 * An object's creationTimestamp in ms, for "the oldest wins" (Ingress conflicts, HTTPRoute
 * precedence, Gateways sharing a port); +Infinity when absent or unreadable: newest of all.
 */
export function creationTimeOf(object: { readonly metadata: ObjectMeta }): number {
  const value = object.metadata.creationTimestamp;
  if (value === undefined || value === null) return Number.POSITIVE_INFINITY;
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}
