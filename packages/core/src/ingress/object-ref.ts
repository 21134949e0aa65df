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
