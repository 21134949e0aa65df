import type { LabelSelector } from './model.js';

/**
 * Whether `labels` satisfy a Kubernetes label selector: every `matchLabels` pair and every
 * `matchExpressions` requirement (In, NotIn, Exists, DoesNotExist). An empty selector selects
 * everything, as the API says.
 */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const own = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (own[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(own, requirement.key);
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (!has || !values.includes(own[requirement.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(own[requirement.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
