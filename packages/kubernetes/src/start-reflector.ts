import { Reflector } from './reflector.js';
import type { KubeSourceOptions } from './source-options.js';

/** Starts a reflector for one collection of a source, telling `onChange` of every change. */
export function startReflector(
  options: KubeSourceOptions,
  path: string,
  objectType: { readonly apiVersion: string; readonly kind: string },
  onChange: () => void,
  selectors: { readonly labelSelector?: string; readonly fieldSelector?: string } = {},
): Reflector {
  return new Reflector({
    ...options.reflector,
    connection: options.connection,
    path,
    objectType,
    onChange,
    ...(selectors.labelSelector ? { labelSelector: selectors.labelSelector } : {}),
    ...(selectors.fieldSelector ? { fieldSelector: selectors.fieldSelector } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  }).start();
}
