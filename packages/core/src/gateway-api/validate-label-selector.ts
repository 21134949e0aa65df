import type { FieldChecks } from './field-checks.js';

/**
 * A `metav1.LabelSelector` as the Gateway CRD's schema types it: `matchLabels` a map of
 * strings, `matchExpressions` entries with a string `key` and `operator` and string `values`.
 * The CRD checks nothing more (an unknown operator passes the API server), so neither do we;
 * reading the selector decides what such a selector selects.
 */
export function checkLabelSelector(value: unknown, field: string, checks: FieldChecks): void {
  const selector = checks.record(value, field);
  if (selector === undefined) return;
  checks.stringMap(selector.matchLabels, `${field}.matchLabels`);
  checks.list(selector.matchExpressions, `${field}.matchExpressions`)?.forEach((entry, i) => {
    const expression = checks.record(entry, `${field}.matchExpressions[${i}]`, { required: true });
    if (expression === undefined) return;
    checks.string(expression.key, `${field}.matchExpressions[${i}].key`, {}, { required: true });
    checks.string(expression.operator, `${field}.matchExpressions[${i}].operator`, {}, { required: true });
    checks.list(expression.values, `${field}.matchExpressions[${i}].values`)?.forEach((item, j) => {
      checks.string(item, `${field}.matchExpressions[${i}].values[${j}]`, {}, { required: true });
    });
  });
}
