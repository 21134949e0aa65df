import type { ParentReference } from '@switchyard/core';

/**
 * The `.status` shapes Switchyard writes, field names as `apis/v1` of kubernetes-sigs/gateway-api
 * spells them (`metav1.Condition`, `GatewayStatus`, `ListenerStatus`, `RouteParentStatus`, ...).
 */

/** A `metav1.Condition` as written: core's `Condition` plus what the writer adds. */
export interface StatusCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  /** The object's `metadata.generation` the condition was concluded from; absent when the object had none. */
  readonly observedGeneration?: number;
  /** RFC 3339, seconds precision; changes only when `status` changes. */
  readonly lastTransitionTime: string;
  readonly reason: string;
  readonly message: string;
}

/** A route kind a listener takes, its group always written (the CRD would default it, and a write must read back unchanged). */
export interface SupportedKind {
  readonly group: string;
  readonly kind: string;
}

/** `GatewayStatusAddress`: an address the Gateway is reachable at. */
export interface GatewayStatusAddress {
  readonly type: 'IPAddress' | 'Hostname';
  readonly value: string;
}

/** `.status` of a GatewayClass. Fields Switchyard does not own (`supportedFeatures`) are carried over as observed. */
export interface GatewayClassStatusDocument {
  readonly conditions: readonly StatusCondition[];
  readonly [other: string]: unknown;
}

/** `ListenerStatus`. */
export interface ListenerStatusDocument {
  readonly name: string;
  readonly supportedKinds: readonly SupportedKind[];
  readonly attachedRoutes: number;
  readonly conditions: readonly StatusCondition[];
}

/** `.status` of a Gateway. Fields Switchyard does not own (`attachedListenerSets`) are carried over as observed. */
export interface GatewayStatusDocument {
  readonly addresses?: readonly GatewayStatusAddress[];
  readonly conditions: readonly StatusCondition[];
  readonly listeners: readonly ListenerStatusDocument[];
  readonly [other: string]: unknown;
}

/** `RouteParentStatus`: one controller's status of a route for one parentRef. */
export interface RouteParentStatusDocument {
  readonly parentRef: ParentReference;
  readonly controllerName: string;
  readonly conditions: readonly StatusCondition[];
}

/** `.status` of an HTTPRoute. Entries of other controllers are kept as observed, so they are not typed further. */
export interface HTTPRouteStatusDocument {
  readonly parents: readonly (RouteParentStatusDocument | Readonly<Record<string, unknown>>)[];
  readonly [other: string]: unknown;
}

/**
 * A GatewayClass, Gateway or HTTPRoute as last read from the API server (a `Reflector`'s store
 * holds them in this shape). `status` is read defensively: whatever is not in the expected shape is
 * taken as absent, or, where it is another controller's, kept untouched.
 */
export interface ObservedObject {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly generation?: number;
    readonly resourceVersion?: string;
  };
  readonly spec?: unknown;
  readonly status?: unknown;
}

/** The maximum number of `status.parents` entries of a route (`RouteStatus.Parents`, `MaxItems=32`). */
export const MAX_ROUTE_PARENTS = 32;
