import { isIP } from 'node:net';
import type { Ingress } from '@switchyard/core';

/** Which rule a request goes to: the Ingress and the field of the path (or `spec.defaultBackend`). */
export interface ReferenceAnswer {
  readonly namespace: string;
  readonly name: string;
  readonly field: string;
}

interface Candidate {
  readonly answer: ReferenceAnswer;
  readonly tier: number;
  readonly elements: number;
  readonly exact: boolean;
  readonly order: number;
}

/**
 * The matching rules written straight from the spec as a linear scan, deliberately simple
 * and sharing no code with the compiler: the oracle the property tests and the match
 * benchmark check the route table against. Takes valid, in-scope Ingresses and an already
 * normalized host and path.
 */
export function referenceMatch(ingresses: readonly Ingress[], host: string, path: string): ReferenceAnswer | undefined {
  const sorted = [...ingresses].sort(olderFirst);
  const requestElements = elementsOf(path);
  const candidates: Candidate[] = [];
  let order = 0;
  for (const ingress of sorted) {
    const namespace = ingress.metadata.namespace || 'default';
    const name = ingress.metadata.name!;
    (ingress.spec?.rules ?? []).forEach((rule, i) => {
      const tier = hostTier(rule.host ?? '', host);
      (rule.http?.paths ?? []).forEach((entry, j) => {
        order++;
        if (tier < 0) return;
        const rulePath = entry.path || '/';
        const exact = entry.pathType === 'Exact';
        const ruleElements = elementsOf(rulePath);
        const matches = exact ? rulePath === path : ruleElements.every((element, k) => requestElements[k] === element);
        if (!matches) return;
        candidates.push({ answer: { namespace, name, field: `spec.rules[${i}].http.paths[${j}]` }, tier, elements: ruleElements.length, exact, order });
      });
    });
  }
  candidates.sort((a, b) => a.tier - b.tier || b.elements - a.elements || Number(b.exact) - Number(a.exact) || a.order - b.order);
  if (candidates[0]) return candidates[0].answer;
  const withDefault = sorted.find((ingress) => ingress.spec?.defaultBackend);
  if (!withDefault) return undefined;
  return { namespace: withDefault.metadata.namespace || 'default', name: withDefault.metadata.name!, field: 'spec.defaultBackend' };
}

/** 0 exact host, 1 one-label wildcard, 2 rule without host, -1 not for this host. */
function hostTier(ruleHost: string, host: string): number {
  if (ruleHost === '') return 2;
  if (host === '' || isIP(host.replace(/^\[|\]$/g, '')) !== 0) return -1;
  if (ruleHost === host) return 0;
  if (ruleHost.startsWith('*.')) {
    const suffix = ruleHost.slice(1); // ".foo.com"
    const label = host.slice(0, host.length - suffix.length);
    if (host.endsWith(suffix) && label !== '' && !label.includes('.')) return 1;
  }
  return -1;
}

function elementsOf(path: string): string[] {
  return path.split('/').filter((element) => element !== '');
}

function olderFirst(a: Ingress, b: Ingress): number {
  const at = timeOf(a);
  const bt = timeOf(b);
  if (at !== bt) return at < bt ? -1 : 1;
  const an = `${a.metadata.namespace || 'default'}/${a.metadata.name}`;
  const bn = `${b.metadata.namespace || 'default'}/${b.metadata.name}`;
  return an === bn ? 0 : an < bn ? -1 : 1;
}

function timeOf(ingress: Ingress): number {
  const value = ingress.metadata.creationTimestamp;
  if (value == null) return Number.POSITIVE_INFINITY;
  return value instanceof Date ? value.getTime() : Date.parse(value);
}
