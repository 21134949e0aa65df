import type { Route } from '@switchyard/core';
import type { ReferenceAnswer } from '@switchyard/test-utils';

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
