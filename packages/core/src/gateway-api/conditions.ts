import type { ParentReference, RouteGroupKind } from './model.js';

/**
 * What the compiler concluded about each Gateway API object, in the API's own status vocabulary
 * (condition types and reasons as `gateway_types.go` and `shared_types.go` define them), so
 * `check`, `explain` and, in a cluster, the status write-back all say the same thing.
 */

/** A status condition, as the API writes it (without the timestamps a writer adds). */
export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
}

export interface ListenerStatus {
  readonly name: string;
  readonly supportedKinds: readonly RouteGroupKind[];
  readonly attachedRoutes: number;
  readonly conditions: readonly Condition[];
}

export interface GatewayStatus {
  /** `namespace/name`. */
  readonly gateway: string;
  readonly conditions: readonly Condition[];
  readonly listeners: readonly ListenerStatus[];
}

export interface RouteParentStatus {
  /** The parentRef as written, with the CRD defaults (group, kind, namespace) filled in. */
  readonly parentRef: ParentReference;
  readonly conditions: readonly Condition[];
}

export interface HTTPRouteStatus {
  /** `namespace/name`. */
  readonly route: string;
  /** One entry per parentRef naming a Gateway this compile serves; others' entries are not ours. */
  readonly parents: readonly RouteParentStatus[];
}

/** A GRPCRoute's status: the same shape as an HTTPRoute's (`RouteStatus` in the API). */
export type GRPCRouteStatus = HTTPRouteStatus;

export interface GatewayClassStatus {
  readonly name: string;
  readonly conditions: readonly Condition[];
}

/** Every status the compile produced. */
export interface GatewayApiStatus {
  readonly gatewayClasses: readonly GatewayClassStatus[];
  readonly gateways: readonly GatewayStatus[];
  readonly httpRoutes: readonly HTTPRouteStatus[];
  readonly grpcRoutes: readonly GRPCRouteStatus[];
}

export function condition(type: string, ok: boolean, reason: string, message: string): Condition {
  return { type, status: ok ? 'True' : 'False', reason, message };
}
