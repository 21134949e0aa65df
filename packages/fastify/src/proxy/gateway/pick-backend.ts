import type { RouteRule, RuleBackend } from '@switchyard/core';

/**
 * The backendRef one request goes to, by weight (`random()` in [0, 1), drawn only when the rule
 * has more than one): an entry with weight 0
 * never; an entry without a route (a reference that did not resolve) is picked for its share
 * like any other, and that share is answered 500. The rule's backends are few (its own
 * backendRefs), so a walk over them is the whole cost.
 */
export function pickRuleBackend(rule: RouteRule, random: () => number): RuleBackend | undefined {
  const backends = rule.backends;
  if (backends.length === 1) return backends[0]!.weight > 0 ? backends[0] : undefined;
  let left = random() * rule.totalWeight;
  for (let i = 0; i < backends.length; i++) {
    const backend = backends[i]!;
    if (backend.weight === 0) continue;
    if (left < backend.weight) return backend;
    left -= backend.weight;
  }
  // Rounding at the very top of the range: the last entry that takes traffic.
  for (let i = backends.length - 1; i >= 0; i--) if (backends[i]!.weight > 0) return backends[i];
  return undefined;
}
