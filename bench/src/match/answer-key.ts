import type { CompiledMatch, Route } from '@switchyard/core';
import type { GatewayReferenceAnswer, ReferenceAnswer } from '@switchyard/test-utils';

/** An answer as the check and the workers compare it: `namespace/name field`, or '' for no route. */
export type AnswerKey = string;

export const NO_ROUTE: AnswerKey = '';

/** The key of a route (or `RouteMatch`) the table answered. */
export function routeKey(route: Pick<Route, 'origin' | 'field'> | undefined): AnswerKey {
  return route === undefined ? NO_ROUTE : `${route.origin.namespace}/${route.origin.name} ${route.field}`;
}

/** The key of the reference matcher's answer. */
export function referenceKey(answer: ReferenceAnswer | undefined): AnswerKey {
  return answer === undefined ? NO_ROUTE : `${answer.namespace}/${answer.name} ${answer.field}`;
}

/** The key of a Gateway API match the table answered: `namespace/name rule i match k`, or '' for none (404). */
export function gatewayMatchKey(match: Pick<CompiledMatch, 'rule' | 'index'> | undefined): AnswerKey {
  return match === undefined ? NO_ROUTE : `${match.rule.origin.namespace}/${match.rule.origin.name} rule ${match.rule.index} match ${match.index}`;
}

/** The key of the Gateway API reference matcher's answer. */
export function gatewayReferenceKey(answer: GatewayReferenceAnswer): AnswerKey {
  return answer.kind === 'route' ? `${answer.route} rule ${answer.rule} match ${answer.match}` : NO_ROUTE;
}
