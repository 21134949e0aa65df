import { SelectorError } from './label-selector.js';
import type { KubeObject } from './types.js';

/** One parsed `field=value` or `field!=value` term. */
export interface FieldRequirement {
  readonly field: 'metadata.name' | 'metadata.namespace';
  readonly equals: boolean;
  readonly value: string;
}

/** A parsed field selector: every term must hold. */
export type FieldSelector = readonly FieldRequirement[];

// Every type supports these two; type-specific fields (a Secret's `type`, ...) are not modelled.
const SUPPORTED = new Set(['metadata.name', 'metadata.namespace']);

/** Parses `metadata.name=web,metadata.namespace!=kube-system`; other fields are a 400, as on the API server. */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const raw of text.split(',')) {
    const term = raw.trim();
    if (term === '') continue;
    const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!match) throw new SelectorError(`invalid selector: '${term}'; can't understand '${term}'`);
    const field = match[1]!.trim();
    if (!SUPPORTED.has(field)) throw new SelectorError(`field label not supported: ${field}`);
    requirements.push({ field: field as FieldRequirement['field'], equals: match[2] !== '!=', value: match[3]!.trim() });
  }
  return requirements;
}

/** Whether `object` satisfies every term. A cluster-scoped object's namespace is `''`. */
export function matchesFields(selector: FieldSelector, object: KubeObject): boolean {
  return selector.every((r) => {
    const actual = r.field === 'metadata.name' ? object.metadata.name : (object.metadata.namespace ?? '');
    return (actual === r.value) === r.equals;
  });
}
