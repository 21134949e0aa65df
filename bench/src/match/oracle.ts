import { normalizeHost, normalizePath, validateIngress, type Ingress } from '@switchyard/core';
import { referenceMatch, type ReferenceAnswer } from '@switchyard/test-utils';
import { referenceKey, type AnswerKey } from './answer-key.js';
import type { Workload } from './workload.js';

export interface OracleAnswer {
  readonly key: AnswerKey;
  /** The rule host of the winning rule (`*.zone-2.example.net` for a wildcard), '' when none or hostless. */
  readonly ruleHost: string;
}

/**
 * `referenceMatch` from @switchyard/test-utils, made fast enough for 100,000 rules without
 * changing its answers. The reference scans every Ingress per request; but a rule whose host
 * is neither the request's host, nor the `*.` wildcard of its parent domain, nor empty can
 * never be a candidate, so only Ingresses holding such a rule (and those with a default
 * backend) are handed to it, in their original order. Its own sort and tie-breaks see the
 * same candidates as with the full list, so the answer is the same.
 */
export function createOracle(ingresses: readonly Ingress[]): (rawHost: string, rawPath: string) => OracleAnswer {
  const byRuleHost = new Map<string, number[]>();
  const always: number[] = [];
  ingresses.forEach((ingress, index) => {
    if (ingress.spec?.defaultBackend) always.push(index);
    for (const host of new Set((ingress.spec?.rules ?? []).map((rule) => rule.host ?? ''))) {
      let list = byRuleHost.get(host);
      if (list === undefined) byRuleHost.set(host, (list = []));
      list.push(index);
    }
  });
  const byName = new Map(ingresses.map((ingress) => [`${ingress.metadata.namespace || 'default'}/${ingress.metadata.name}`, ingress]));
  const relevantFor = new Map<string, Ingress[]>();

  const relevant = (host: string): Ingress[] => {
    let list = relevantFor.get(host);
    if (list !== undefined) return list;
    const dot = host.indexOf('.');
    const keys = [host, ''];
    if (dot > 0) keys.push(`*.${host.slice(dot + 1)}`);
    const indexes = new Set(always);
    for (const key of keys) for (const index of byRuleHost.get(key) ?? []) indexes.add(index);
    list = [...indexes].sort((a, b) => a - b).map((index) => ingresses[index]!);
    relevantFor.set(host, list);
    return list;
  };

  const ruleHostOf = (answer: ReferenceAnswer): string => {
    const rule = /^spec\.rules\[(\d+)\]/.exec(answer.field);
    if (rule === null) return '';
    return byName.get(`${answer.namespace}/${answer.name}`)?.spec?.rules?.[Number(rule[1])]?.host ?? '';
  };

  return (rawHost, rawPath) => {
    const host = normalizeHost(rawHost);
    const answer = referenceMatch(relevant(host), host, normalizePath(rawPath));
    return { key: referenceKey(answer), ruleHost: answer === undefined ? '' : ruleHostOf(answer) };
  };
}

/**
 * The reference takes valid Ingresses only; compile would skip an invalid one and the two
 * would disagree for the wrong reason. So the generator's output is validated first.
 */
export function assertValid(workload: Workload): void {
  for (const ingress of workload.ingresses) {
    const problem = validateIngress(ingress)[0];
    if (problem) throw new Error(`the generated workload has an invalid Ingress: ${problem.object} ${problem.field ?? ''}: ${problem.message}`);
  }
}
