import { SelectorError } from './label-selector.js';
import type { ResourceType } from './resources.js';
import type { KubeObject } from './types.js';

/** One parsed `field=value` or `field!=value` term. */
export interface FieldRequirement {
  /** `metadata.name`, `metadata.namespace`, or a label of the type's own (a Secret's `type`). */
  readonly field: string;
  readonly equals: boolean;
  readonly value: string;
}

/** A parsed field selector: every term must hold. */
export type FieldSelector = readonly FieldRequirement[];

// Every type supports these two; a type lists its own in `fieldLabels` (a Secret's `type`, as on the API server).
const COMMON = new Set(['metadata.name', 'metadata.namespace']);

/**
 * Parses `metadata.name=web,metadata.namespace!=kube-system`; a field neither common nor in
 * `resource.fieldLabels` is a 400, as on the API server.
 */
export function parseFieldSelector(text: string, resource?: ResourceType): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const raw of text.split(',')) {
    const term = raw.trim();
    if (term === '') continue;
    const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!match) throw new SelectorError(`invalid selector: '${term}'; can't understand '${term}'`);
    const field = match[1]!.trim();
    if (!COMMON.has(field) && !resource?.fieldLabels?.includes(field)) throw new SelectorError(`field label not supported: ${field}`);
    requirements.push({ field, equals: match[2] !== '!=', value: match[3]!.trim() });
  }
  return requirements;
}

/** Whether `object` satisfies every term. A cluster-scoped object's namespace is `''`, as is any absent field. */
export function matchesFields(selector: FieldSelector, object: KubeObject): boolean {
  return selector.every((r) => (fieldValue(object, r.field) === r.value) === r.equals);
}

function fieldValue(object: KubeObject, field: string): string {
  if (field === 'metadata.name') return object.metadata.name;
  if (field === 'metadata.namespace') return object.metadata.namespace ?? '';
  let value: unknown = object;
  for (const key of field.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
