import type { KubeError } from './errors.js';
import type { KubeConnection } from './kube-client.js';
import type { ReflectorOptions } from './reflector.js';

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
