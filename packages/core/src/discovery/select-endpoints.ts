import type { Endpoint, EndpointSet } from './endpoint-set.js';

/**
 * The endpoints a request may go to: the ready ones; when none is ready, those still serving
 * while terminating (kube-proxy's rule from KEP-1669, so connections drain instead of failing
 * during a rollout). `terminatingFallback: false` turns the fallback off.
 */
export function selectEndpoints(set: EndpointSet | undefined, terminatingFallback = true): readonly Endpoint[] {
  if (set === undefined) return [];
  const ready = set.endpoints.filter((e) => e.ready);
  if (ready.length > 0 || !terminatingFallback) return ready;
  return set.endpoints.filter((e) => e.serving && e.terminating);
}
