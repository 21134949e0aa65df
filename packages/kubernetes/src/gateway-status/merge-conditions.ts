import type { Condition } from '@switchyard/core';
import type { StatusCondition } from './status-documents.js';

/** What a status writer adds to the compiler's conditions. */
export interface ConditionStamp {
  /** The object's `metadata.generation`, when it has one. */
  readonly generation: number | undefined;
  /** `now`, already formatted (`statusTime`). */
  readonly time: string;
}

/**
 * Merges the compiler's conditions into the observed ones, by the rules of the API's conditions
 * (`listType=map` keyed by `type`):
 * - an observed condition of a type we report is replaced in place; its `lastTransitionTime` is kept
 *   when its `status` did not change (a transition is a change of status, not of reason or message);
 * - an observed condition of a type in `owned` that we no longer report is ours and stale: dropped;
 * - any other observed condition (another controller's, `special.io/SomeField`) is kept, in place;
 * - the types we report that were not there are appended, in the compiler's order.
 * Keeping places matters beyond the API's "MUST NOT reorder": it is what makes a second merge of
 * the same input give the same list, hence no write.
 */
export function mergeConditions(ours: readonly Condition[], observed: unknown, owned: ReadonlySet<string>, stamp: ConditionStamp): StatusCondition[] {
  const byType = new Map(ours.map((condition) => [condition.type, condition]));
  const placed = new Set<string>();
  const merged: StatusCondition[] = [];
  for (const entry of Array.isArray(observed) ? observed : []) {
    const type = typeOf(entry);
    const mine = type === undefined ? undefined : byType.get(type);
    if (mine !== undefined) {
      // A second condition of one type is not valid in a map list: the first one stands for it.
      if (placed.has(mine.type)) continue;
      placed.add(mine.type);
      merged.push(stamped(mine, entry as Record<string, unknown>, stamp));
    } else if (type === undefined || !owned.has(type)) {
      // Another controller's: the API server validated it as a condition; we pass it on as read.
      merged.push(entry as StatusCondition);
    }
  }
  for (const condition of ours) if (!placed.has(condition.type)) merged.push(stamped(condition, undefined, stamp));
  return merged;
}

function stamped(condition: Condition, observed: Record<string, unknown> | undefined, { generation, time }: ConditionStamp): StatusCondition {
  const kept = observed !== undefined && observed['status'] === condition.status && typeof observed['lastTransitionTime'] === 'string';
  return {
    type: condition.type,
    status: condition.status,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    lastTransitionTime: kept ? (observed['lastTransitionTime'] as string) : time,
    reason: condition.reason,
    message: condition.message,
  };
}

function typeOf(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const type = (entry as Record<string, unknown>)['type'];
  return typeof type === 'string' ? type : undefined;
}

/**
 * The highest `observedGeneration` among the observed conditions whose type is in `owned`: when it
 * is above the generation the caller observed, the caller's copy of the object is older than
 * a status already written, and the API says not to update those conditions until it catches up.
 */
export function newestOwnedGeneration(observed: unknown, owned: ReadonlySet<string>): number {
  let newest = -1;
  for (const entry of Array.isArray(observed) ? observed : []) {
    const type = typeOf(entry);
    const generation = (entry as Record<string, unknown> | undefined)?.['observedGeneration'];
    if (type !== undefined && owned.has(type) && typeof generation === 'number' && generation > newest) newest = generation;
  }
  return newest;
}

/**
 * `now` as `metav1.Time` serializes: RFC 3339 in UTC, whole seconds. The API server keeps seconds
 * only, so a finer time would read back different from what was written.
 */
export function statusTime(now: Date): string {
  return new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
