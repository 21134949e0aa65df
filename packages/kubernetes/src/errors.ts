import { SwitchyardError, defineErrorCodes } from '@switchyard/core';

/** How every watch-loop failure reaches the user. */
const WATCH_LOOP = { as: 'reported', via: 'through `onError` (by default a line on stderr) and `status()`', note: 'the watch loop recovers by itself, and the last state keeps serving meanwhile' } as const;

/**
 * Every error code `@switchyard/kubernetes` throws or reports, in one registry (core's
 * `defineErrorCodes` shape). `docs/errors.md` is generated from it; a test keeps the two in
 * step. Watch-loop failures are reported through `onError` and `status()`, never thrown: the
 * loop recovers from each by itself.
 */
export const KUBE_ERROR_CODES = defineErrorCodes({
  // Thrown: API misuse.
  SWY_KUBE_NO_CLUSTER: {
    summary: 'The KubeConfig has no current cluster.',
    reaches: { as: 'thrown', via: 'by `connectionFromKubeConfig`' },
    cause: 'the KubeConfig has no current cluster.',
    fix: 'load a kubeconfig (`loadFromDefault`, `loadFromCluster`) or set `currentContext`.',
  },
  SWY_KUBE_LEASE_OPTIONS_INVALID: {
    summary: 'LeaseElector options break client-go\'s rules for leader election timings, or name no identity.',
    reaches: { as: 'thrown', via: 'by `new LeaseElector`' },
    cause: 'an empty identity, a lease duration that is not a whole number of seconds, or timings out of order (`field` says which).',
    fix: 'keep lease duration > renew deadline > 1.2 × retry period, as client-go requires, and give each replica its own identity.',
  },
  // Reported by the watch loop, which recovers by itself.
  SWY_KUBE_API_STATUS: {
    summary: 'The API server answered a LIST or WATCH with an error status (429, 500, 403, ...).',
    reaches: WATCH_LOOP,
    cause: 'the API server answered with an error status (`status`, `reason`, `retryAfterSeconds` on the error).',
    fix: '401/403: grant get/list/watch on the kinds read; 429/5xx: nothing, it backs off.',
  },
  SWY_KUBE_CONNECTION_FAILED: {
    summary: 'A request to the API server failed before an answer (refused, reset, DNS, TLS).',
    reaches: WATCH_LOOP,
    cause: 'no answer: refused, reset, DNS or TLS failure.',
    fix: 'check the server address and network; it retries with backoff.',
  },
  SWY_KUBE_WATCH_EXPIRED: {
    summary: 'The resourceVersion to resume from is gone (410, as a status or an ERROR event); relisting.',
    reaches: WATCH_LOOP,
    cause: '410 Gone on resume (status or `ERROR` event).',
    fix: 'nothing: it relists.',
  },
  SWY_KUBE_WATCH_INACTIVE: {
    summary: 'A watch brought no event or bookmark within the inactivity deadline (a half-open connection); resuming.',
    reaches: WATCH_LOOP,
    cause: 'no event or bookmark within the inactivity deadline (a half-open connection).',
    fix: 'nothing: it reconnects; raise `inactivityTimeoutMs` if the server bookmarks rarely.',
  },
  SWY_KUBE_WATCH_BAD_EVENT: {
    summary: 'A watch sent a line that is not JSON, an unknown event, or an ERROR event other than 410.',
    reaches: WATCH_LOOP,
    cause: 'a watch line that is not JSON, an unknown event, an `ERROR` event other than 410.',
    fix: 'look at what sits between us and the API server; it resumes.',
  },
  SWY_KUBE_WATCH_ENDED_AT_ONCE: {
    summary: 'A watch ended at once without any event; backing off instead of spinning.',
    reaches: WATCH_LOOP,
    cause: 'a watch ended immediately with no event.',
    fix: 'a proxy cutting long requests; it backs off instead of spinning.',
  },
  SWY_KUBE_GATEWAY_API_NOT_INSTALLED: {
    summary: 'The API server does not serve the Gateway API group (gateway.networking.k8s.io/v1): its CRDs are not installed.',
    reaches: { as: 'reported', via: 'once per change of state by `GatewayApiSource` through `onError`, and in its `status()`', note: 'the source serves no Gateway API objects meanwhile and looks again every few seconds' },
    cause: 'the Gateway API CRDs are not installed (discovery answers 404 for the group), were uninstalled, or serve no `v1`.',
    fix: 'install the Gateway API CRDs (standard channel, v1); Switchyard picks them up by itself. Ignore it when only Ingresses are used.',
  },
  SWY_KUBE_RESOURCE_VERSION_BACKWARDS: {
    summary: 'resourceVersions went backwards (the server history was reset); relisting.',
    reaches: WATCH_LOOP,
    cause: 'resourceVersions went backwards (etcd restored from a backup).',
    fix: 'nothing: it relists.',
  },
});

export type KubeErrorCode = keyof typeof KUBE_ERROR_CODES;

/** An error of `@switchyard/kubernetes`: core's `SwitchyardError` with a `SWY_KUBE_*` code. */
export class KubeError extends SwitchyardError<KubeErrorCode> {
  constructor(code: KubeErrorCode, message: string, options: { cause?: unknown; field?: string } = {}) {
    super(code, message, options);
  }
}

/** True for an error of `@switchyard/kubernetes`, optionally of one code. */
export function isKubeError(value: unknown, code?: KubeErrorCode): value is KubeError {
  // By code, not by class: SwitchyardError's instanceof is by brand, across installed copies.
  return value instanceof SwitchyardError && Object.hasOwn(KUBE_ERROR_CODES, value.code) && (code === undefined || value.code === code);
}
