import { GATEWAY_API_GROUP, type HTTPRouteStatus, type ParentReference, type RouteParentStatus } from '@switchyard/core';
import { mergeConditions } from './merge-conditions.js';
import { arrayOf, recordOf, stampOf } from './observed-status.js';
import { ROUTE_CONDITION_TYPES } from './owned-condition-types.js';
import { MAX_ROUTE_PARENTS, type HTTPRouteStatusDocument, type ObservedObject, type RouteParentStatusDocument } from './status-documents.js';

/** What an HTTPRoute's status document needs besides the compiler's status and the observed object. */
export interface HTTPRouteDocumentOptions {
  /** Ours: `status.parents` entries with this `controllerName` are Switchyard's, every other one is left as it is. */
  readonly controllerName: string;
  /** The caller's clock: the `lastTransitionTime` of every condition whose status changes. */
  readonly now: Date;
}

/** An HTTPRoute's status document, and the parents it had no room for. */
export interface HTTPRouteDocument {
  readonly status: HTTPRouteStatusDocument;
  /**
   * Our parentRefs left out of `parents` because the list would exceed its 32 entries
   * (`MAX_ROUTE_PARENTS`) with the other controllers' entries, which are never ours to drop.
   * The later parentRefs of the spec are the ones left out.
   */
  readonly omittedParents: readonly ParentReference[];
}

/**
 * The `.status` an HTTPRoute should have. `parents` is namespaced by parentRef and controllerName
 * (`RouteStatus` in `shared_types.go`): every entry of another controller stays untouched, in place;
 * our entry for a parentRef we still serve is updated in place (conditions merged, so a condition
 * keeps its `lastTransitionTime` while its status holds); our entries for parents we no longer
 * serve are removed; new ones are appended in the spec's order. `status` undefined means the compile
 * serves no parent of this route (all our entries go).
 */
export function httpRouteStatusDocument(status: HTTPRouteStatus | undefined, observed: ObservedObject, options: HTTPRouteDocumentOptions): HTTPRouteDocument {
  const current = recordOf(observed.status);
  const routeNamespace = observed.metadata?.namespace || 'default';
  const stamp = stampOf(observed, options.now);
  const others = arrayOf(current['parents']).filter((entry) => recordOf(entry)['controllerName'] !== options.controllerName).length;

  // Ours, one per parentRef (a repeated parentRef is one parent), cut to the room the others leave.
  const ours = new Map<string, RouteParentStatus>();
  for (const parent of status?.parents ?? []) {
    const key = parentKey(parent.parentRef, routeNamespace);
    if (!ours.has(key)) ours.set(key, parent);
  }
  const room = Math.max(0, MAX_ROUTE_PARENTS - others);
  const omittedParents = [...ours.values()].slice(room).map((parent) => parent.parentRef);
  for (const key of [...ours.keys()].slice(room)) ours.delete(key);

  const entry = (parent: RouteParentStatus, observedConditions: unknown): RouteParentStatusDocument => ({
    parentRef: parent.parentRef,
    controllerName: options.controllerName,
    conditions: mergeConditions(parent.conditions, observedConditions, ROUTE_CONDITION_TYPES, stamp),
  });
  const placed = new Set<string>();
  const parents: HTTPRouteStatusDocument['parents'][number][] = [];
  for (const observedEntry of arrayOf(current['parents'])) {
    const fields = recordOf(observedEntry);
    if (fields['controllerName'] !== options.controllerName) {
      parents.push(observedEntry as Readonly<Record<string, unknown>>);
      continue;
    }
    const key = parentKey(recordOf(fields['parentRef']) as Partial<ParentReference>, routeNamespace);
    const parent = ours.get(key);
    if (parent === undefined || placed.has(key)) continue;
    placed.add(key);
    parents.push(entry(parent, fields['conditions']));
  }
  for (const [key, parent] of ours) if (!placed.has(key)) parents.push(entry(parent, undefined));
  return { status: { ...current, parents }, omittedParents };
}

/** A parentRef with the CRD defaults filled in, as one comparable string. */
function parentKey(ref: Partial<ParentReference>, routeNamespace: string): string {
  return JSON.stringify([ref.group ?? GATEWAY_API_GROUP, ref.kind ?? 'Gateway', ref.namespace ?? routeNamespace, ref.name ?? '', ref.sectionName ?? '', ref.port ?? 0]);
}

/** Whether the observed route has a `status.parents` entry of `controllerName`. */
export function hasParentsOf(observed: ObservedObject, controllerName: string): boolean {
  return arrayOf(recordOf(observed.status)['parents']).some((entry) => recordOf(entry)['controllerName'] === controllerName);
}
