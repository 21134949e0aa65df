import { KubeApiError, kubeWriteJson, type KubeConnection } from '../kube-client.js';
import type { StatusWrite } from './status-plan.js';

const GROUP_VERSION = 'gateway.networking.k8s.io/v1';
const PLURALS: Readonly<Record<StatusWrite['kind'], string>> = { GatewayClass: 'gatewayclasses', Gateway: 'gateways', HTTPRoute: 'httproutes', GRPCRoute: 'grpcroutes' };

/**
 * How a status write ended: `written`; `conflict` when the object changed since the status was
 * computed (409: plan again from the newer object, whose watch event is on its way); `gone`
 * when the object was deleted meanwhile (404: nothing to write).
 */
export type StatusWriteOutcome = 'written' | 'conflict' | 'gone';

/** The status subresource path of the object a write is about. */
export function statusPath(write: Pick<StatusWrite, 'kind' | 'namespace' | 'name'>): string {
  const plural = PLURALS[write.kind];
  const name = encodeURIComponent(write.name);
  if (write.namespace === undefined) return `/apis/${GROUP_VERSION}/${plural}/${name}/status`;
  return `/apis/${GROUP_VERSION}/namespaces/${encodeURIComponent(write.namespace)}/${plural}/${name}/status`;
}

/**
 * Writes one planned status through the status subresource: a PUT of the whole `.status` with
 * the resourceVersion it was computed against, so a write over a newer object fails with 409
 * instead of undoing what changed (another controller's parent entry, a spec change that makes
 * our conditions stale). Other failures reject with `KubeApiError` (403: RBAC lacks
 * `<plural>/status` update) or the connection error.
 */
export async function writeStatus(connection: KubeConnection, write: StatusWrite, signal: AbortSignal): Promise<StatusWriteOutcome> {
  const metadata = { name: write.name, ...(write.namespace === undefined ? {} : { namespace: write.namespace }), ...(write.resourceVersion === undefined ? {} : { resourceVersion: write.resourceVersion }) };
  try {
    await kubeWriteJson(connection, 'PUT', statusPath(write), { apiVersion: GROUP_VERSION, kind: write.kind, metadata, status: write.status }, signal);
    return 'written';
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 409) return 'conflict';
    if (error instanceof KubeApiError && error.status === 404) return 'gone';
    throw error;
  }
}
