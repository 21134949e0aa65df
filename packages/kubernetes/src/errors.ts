import { SwitchyardError } from '@switchyard/core';

/**
 * Every error code `@switchyard/kubernetes` throws or reports, in one registry (the style of
 * core's `ERROR_CODES`). The README lists each with its cause and fix; a test keeps the two
 * in step. Watch-loop failures are reported through `onError` and `status()`, never thrown:
 * the loop recovers from each by itself.
 */
export const KUBE_ERROR_CODES = {
  // Thrown: API misuse.
  SWY_KUBE_NO_CLUSTER: 'The KubeConfig has no current cluster.',
  // Reported by the watch loop, which recovers by itself.
  SWY_KUBE_API_STATUS: 'The API server answered a LIST or WATCH with an error status (429, 500, 403, ...).',
  SWY_KUBE_CONNECTION_FAILED: 'A request to the API server failed before an answer (refused, reset, DNS, TLS).',
  SWY_KUBE_WATCH_EXPIRED: 'The resourceVersion to resume from is gone (410, as a status or an ERROR event); relisting.',
  SWY_KUBE_WATCH_INACTIVE: 'A watch brought no event or bookmark within the inactivity deadline (a half-open connection); resuming.',
  SWY_KUBE_WATCH_BAD_EVENT: 'A watch sent a line that is not JSON, an unknown event, or an ERROR event other than 410.',
  SWY_KUBE_WATCH_ENDED_AT_ONCE: 'A watch ended at once without any event; backing off instead of spinning.',
  SWY_KUBE_RESOURCE_VERSION_BACKWARDS: 'resourceVersions went backwards (the server history was reset); relisting.',
} as const;

export type KubeErrorCode = keyof typeof KUBE_ERROR_CODES;

/** An error of `@switchyard/kubernetes`: core's `SwitchyardError` with a `SWY_KUBE_*` code. */
export class KubeError extends SwitchyardError<KubeErrorCode> {
  constructor(code: KubeErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** True for an error of `@switchyard/kubernetes`, optionally of one code. */
export function isKubeError(value: unknown, code?: KubeErrorCode): value is KubeError {
  // By code, not by class: SwitchyardError's instanceof is by brand, across installed copies.
  return value instanceof SwitchyardError && Object.hasOwn(KUBE_ERROR_CODES, value.code) && (code === undefined || value.code === code);
}
