import type { GatewayApiStatus, ParentReference } from '@switchyard/core';
import { sameJson } from './canonical-json.js';
import { gatewayClassStatusDocument } from './gateway-class-document.js';
import { gatewayStatusDocument } from './gateway-document.js';
import { hasParentsOf, httpRouteStatusDocument } from './http-route-document.js';
import { newestOwnedGeneration } from './merge-conditions.js';
import { arrayOf, objectKey, recordOf } from './observed-status.js';
import { GATEWAY_CLASS_CONDITION_TYPES, GATEWAY_CONDITION_TYPES, LISTENER_CONDITION_TYPES, ROUTE_CONDITION_TYPES } from './owned-condition-types.js';
import type { GatewayClassStatusDocument, GatewayStatusAddress, GatewayStatusDocument, HTTPRouteStatusDocument, ObservedObject } from './status-documents.js';

/** What the write plan is computed from. */
export interface StatusPlanInput {
  /** What the compiler concluded: `compile(...).table.gatewayStatus`. */
  readonly status: GatewayApiStatus;
  /** Switchyard's controller name (`GatewayClass.spec.controllerName`, DOMAIN/PATH): the `controllerName` of our route parent entries. */
  readonly controllerName: string;
  /**
   * The objects as last read from the API server, status included. `httpRoutes` should be all of
   * them, not only those the compile serves: a route that left our Gateways still carries our
   * parent entries until a write removes them.
   */
  readonly observed: {
    readonly gatewayClasses: readonly ObservedObject[];
    readonly gateways: readonly ObservedObject[];
    readonly httpRoutes: readonly ObservedObject[];
    /** GRPCRoutes, all of them as for `httpRoutes`. */
    readonly grpcRoutes: readonly ObservedObject[];
  };
  /** The caller's clock: the `lastTransitionTime` of every condition whose status changes. */
  readonly now: Date;
  /** The addresses of a Gateway (`namespace/name`); when it gives undefined, the observed `addresses` stay as they are. */
  readonly addresses?: ((gateway: string) => readonly GatewayStatusAddress[] | undefined) | undefined;
}

/** The object a write or a skip is about. */
export interface StatusObjectRef {
  readonly kind: 'GatewayClass' | 'Gateway' | 'HTTPRoute' | 'GRPCRoute';
  /** Undefined for a GatewayClass (cluster-scoped). */
  readonly namespace: string | undefined;
  readonly name: string;
}

interface StatusWriteOf<Kind extends StatusObjectRef['kind'], Document> extends StatusObjectRef {
  readonly kind: Kind;
  /** The `metadata.resourceVersion` the status was computed against: send it, so a write over a newer object fails (409) instead of undoing it. */
  readonly resourceVersion: string | undefined;
  /** The whole new `.status`, for the status subresource. */
  readonly status: Document;
}

/** One status subresource write. */
export type StatusWrite =
  | StatusWriteOf<'GatewayClass', GatewayClassStatusDocument>
  | StatusWriteOf<'Gateway', GatewayStatusDocument>
  | StatusWriteOf<'HTTPRoute', HTTPRouteStatusDocument>
  /** A GRPCRoute's status has the HTTPRoute's shape (`parents`). */
  | StatusWriteOf<'GRPCRoute', HTTPRouteStatusDocument>;

/** An object the plan leaves alone although its status would change, and why. */
export interface SkippedStatus extends StatusObjectRef {
  /**
   * `StaleGeneration`: one of our conditions on it was written for a newer `metadata.generation`
   * than the one observed (the API: wait for the newer object, a later plan covers it).
   * `OtherController`: a GatewayClass the compile serves whose `spec.controllerName` is not ours.
   */
  readonly reason: 'StaleGeneration' | 'OtherController';
}

/** What to write, and what not. */
export interface StatusPlan {
  /** Only objects whose status document differs from the observed status; in the order classes, Gateways, HTTPRoutes, each as observed. */
  readonly writes: readonly StatusWrite[];
  readonly skipped: readonly SkippedStatus[];
  /** Routes (`namespace/name`) whose `parents` had no room for some of our entries (see `HTTPRouteDocument.omittedParents`). */
  readonly omittedParents: readonly { readonly route: string; readonly parentRefs: readonly ParentReference[] }[];
}

/**
 * Plans the Gateway API status writes: for each observed object the compile has a status for (and
 * each observed HTTPRoute that carries our parent entries), its status document; a write only where
 * the document differs from the observed status (key order aside), so the same input plans no
 * write, and neither does anything that leaves `GatewayApiStatus` as it was (an endpoint change).
 * Objects the compile has a status for but that are not observed are not written (nothing to write
 * to). Pure: no I/O, no clock but `now`.
 */
export function planStatusWrites(input: StatusPlanInput): StatusPlan {
  const { status, controllerName, observed, now } = input;
  const writes: StatusWrite[] = [];
  const skipped: SkippedStatus[] = [];
  const omittedParents: { route: string; parentRefs: readonly ParentReference[] }[] = [];
  const generationOf = (object: ObservedObject): number => object.metadata?.generation ?? Number.POSITIVE_INFINITY;

  const classes = new Map(status.gatewayClasses.map((gatewayClass) => [gatewayClass.name, gatewayClass]));
  for (const object of observed.gatewayClasses) {
    const name = object.metadata?.name ?? '';
    const concluded = classes.get(name);
    if (concluded === undefined) continue;
    const ref = { kind: 'GatewayClass', namespace: undefined, name } as const;
    const owner = recordOf(object.spec)['controllerName'];
    if (typeof owner === 'string' && owner !== controllerName) {
      skipped.push({ ...ref, reason: 'OtherController' });
      continue;
    }
    const document = gatewayClassStatusDocument(concluded, object, now);
    if (sameJson(document, object.status)) continue;
    if (newestOwnedGeneration(recordOf(object.status)['conditions'], GATEWAY_CLASS_CONDITION_TYPES) > generationOf(object)) skipped.push({ ...ref, reason: 'StaleGeneration' });
    else writes.push({ ...ref, resourceVersion: object.metadata?.resourceVersion, status: document });
  }

  const gateways = new Map(status.gateways.map((gateway) => [gateway.gateway, gateway]));
  for (const object of observed.gateways) {
    const key = objectKey(object);
    const concluded = gateways.get(key);
    if (concluded === undefined) continue;
    const ref = { kind: 'Gateway', namespace: object.metadata?.namespace || 'default', name: object.metadata?.name ?? '' } as const;
    const document = gatewayStatusDocument(concluded, object, { now, addresses: input.addresses?.(key) });
    if (sameJson(document, object.status)) continue;
    const current = recordOf(object.status);
    const newest = Math.max(
      newestOwnedGeneration(current['conditions'], GATEWAY_CONDITION_TYPES),
      ...arrayOf(current['listeners']).map((listener) => newestOwnedGeneration(recordOf(listener)['conditions'], LISTENER_CONDITION_TYPES)),
    );
    if (newest > generationOf(object)) skipped.push({ ...ref, reason: 'StaleGeneration' });
    else writes.push({ ...ref, resourceVersion: object.metadata?.resourceVersion, status: document });
  }

  const routeKinds = [
    { kind: 'HTTPRoute', concluded: status.httpRoutes, observed: observed.httpRoutes },
    { kind: 'GRPCRoute', concluded: status.grpcRoutes, observed: observed.grpcRoutes },
  ] as const;
  for (const { kind, concluded: statuses, observed: objects } of routeKinds) {
    const routes = new Map(statuses.map((route) => [route.route, route]));
    for (const object of objects) {
    const key = objectKey(object);
    const concluded = routes.get(key);
    // Neither served now nor carrying our entries: another controller's route, or nobody's.
    if (concluded === undefined && !hasParentsOf(object, controllerName)) continue;
    const ref = { kind, namespace: object.metadata?.namespace || 'default', name: object.metadata?.name ?? '' };
    const document = httpRouteStatusDocument(concluded, object, { controllerName, now });
    if (document.omittedParents.length > 0) omittedParents.push({ route: key, parentRefs: document.omittedParents });
    if (sameJson(document.status, object.status)) continue;
    const ourEntries = arrayOf(recordOf(object.status)['parents']).filter((entry) => recordOf(entry)['controllerName'] === controllerName);
    const newest = Math.max(-1, ...ourEntries.map((entry) => newestOwnedGeneration(recordOf(entry)['conditions'], ROUTE_CONDITION_TYPES)));
    if (newest > generationOf(object)) skipped.push({ ...ref, reason: 'StaleGeneration' });
    else writes.push({ ...ref, resourceVersion: object.metadata?.resourceVersion, status: document.status });
    }
  }

  return { writes, skipped, omittedParents };
}
