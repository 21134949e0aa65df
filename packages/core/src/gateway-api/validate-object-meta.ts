import { dns1123LabelProblem, dns1123SubdomainProblem } from '../ingress/names.js';
import { LABEL_VALUE, qualifiedNameProblem } from './api-formats.js';
import type { FieldChecks } from './field-checks.js';

/** How an object's name is checked: Namespaces are RFC 1123 labels, everything else subdomains. */
export type NameRule = 'label' | 'subdomain';

/**
 * The ObjectMeta rules the API server applies to every object it stores: a name (an RFC 1123
 * subdomain, or label for Namespaces), a namespace that is an RFC 1123 label, labels with
 * valid keys and values (listener selectors read them), annotations of strings. Cluster-scoped
 * objects' namespace is ignored, as the API server clears it.
 */
export function validateObjectMeta(metadata: unknown, checks: FieldChecks, options: { readonly namespaced: boolean; readonly name: NameRule }): void {
  const meta = checks.record(metadata, 'metadata', { required: true });
  if (meta === undefined) return;
  const name = checks.string(meta.name, 'metadata.name', {}, { required: true });
  if (name !== undefined) {
    const problem = name === '' ? 'name is required' : options.name === 'label' ? dns1123LabelProblem(name) : dns1123SubdomainProblem(name);
    if (problem !== undefined) checks.problem('metadata.name', `${JSON.stringify(name)}: ${problem}`);
  }
  if (options.namespaced) {
    const namespace = checks.string(meta.namespace, 'metadata.namespace');
    if (namespace !== undefined && namespace !== '') {
      const problem = dns1123LabelProblem(namespace);
      if (problem !== undefined) checks.problem('metadata.namespace', `${JSON.stringify(namespace)}: ${problem}`);
    }
  }
  checks.stringMap(meta.labels, 'metadata.labels', { keyProblem: qualifiedNameProblem, value: LABEL_VALUE });
  checks.stringMap(meta.annotations, 'metadata.annotations', { keyProblem: qualifiedNameProblem });
  const created = meta.creationTimestamp;
  if (created != null && !(created instanceof Date) && (typeof created !== 'string' || Number.isNaN(Date.parse(created)))) {
    checks.problem('metadata.creationTimestamp', 'must be an RFC 3339 time');
  }
}
