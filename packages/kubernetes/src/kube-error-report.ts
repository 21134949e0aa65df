import { KubeError } from './errors.js';

/**
 * A failure caught by one of the package's loops, as its error: a `KubeError` as it is (an API
 * status, a watch problem), anything else (a socket error, an abort) as `SWY_KUBE_CONNECTION_FAILED`
 * about `what` (a collection path, a Lease, an object's status).
 */
export function asKubeError(caught: unknown, what: string): KubeError {
  if (caught instanceof KubeError) return caught;
  return new KubeError('SWY_KUBE_CONNECTION_FAILED', `${what}: ${caught instanceof Error ? caught.message : String(caught)}`, { cause: caught });
}

/** The `onError` of every loop here when the caller gives none: one line on stderr. */
export function logKubeError(error: KubeError): void {
  console.warn(`[switchyard/kubernetes] ${error.code} ${error.message}`);
}
