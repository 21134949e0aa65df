import type { KubeError } from './errors.js';
import type { KubeConnection } from './kube-client.js';
import { Reflector, type ReflectorOptions } from './reflector.js';

/** What every source of this package is configured with. */
export interface KubeSourceOptions {
  readonly connection: KubeConnection;
  /** Namespaces to read; all when omitted. */
  readonly namespaces?: readonly string[];
  /** Quiet time before a burst of changes is applied. */
  readonly debounceMs?: number;
  /** Passed to every reflector (timeouts, backoff). */
  readonly reflector?: Partial<Pick<ReflectorOptions, 'pageSize' | 'watchTimeoutSeconds' | 'inactivityTimeoutMs' | 'backoff'>>;
  /** Hears every failure the watch loops recover from; by default a line on stderr. */
  readonly onError?: (error: KubeError) => void;
}

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

/** The collection's path, cluster-wide or in one namespace: `/apis/g/v`, `ingresses`. */
export function collectionPath(groupVersionPath: string, resource: string, namespace: string | undefined): string {
  return namespace ? `${groupVersionPath}/namespaces/${namespace}/${resource}` : `${groupVersionPath}/${resource}`;
}
