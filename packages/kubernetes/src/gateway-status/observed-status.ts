import { statusTime, type ConditionStamp } from './merge-conditions.js';
import type { ObservedObject } from './status-documents.js';

/** A JSON object as a record; anything else (absent, an array, a scalar) as an empty one. */
export function recordOf(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A JSON array, or none. */
export function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** What every condition written on `observed` now is stamped with. */
export function stampOf(observed: ObservedObject, now: Date): ConditionStamp {
  return { generation: observed.metadata?.generation, time: statusTime(now) };
}

/** `namespace/name`, as compile names objects (a namespace left out is `default`). */
export function objectKey(observed: ObservedObject): string {
  return `${observed.metadata?.namespace || 'default'}/${observed.metadata?.name ?? ''}`;
}
