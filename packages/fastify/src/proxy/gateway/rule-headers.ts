import type { Route } from '@switchyard/core';
import { modifyRequestHeaders, modifyResponseHeaders } from './header-modifier.js';

/** An HTTPRoute route's request header modifiers (the rule's, then its backendRef's) on the headers sent upstream. */
export function applyRequestHeaderFilters(route: Route, headers: string[]): void {
  const ruleModifier = route.rule?.filters.requestHeaders;
  if (ruleModifier !== undefined) modifyRequestHeaders(ruleModifier, headers);
  const own = route.backendFilters?.requestHeaders;
  if (own !== undefined) modifyRequestHeaders(own, headers);
}

/** An HTTPRoute route's response header modifiers (the rule's, then its backendRef's) on the response head. */
export function applyResponseHeaderFilters(route: Route, head: string[]): void {
  const ruleModifier = route.rule?.filters.responseHeaders;
  if (ruleModifier !== undefined) modifyResponseHeaders(ruleModifier, head);
  const own = route.backendFilters?.responseHeaders;
  if (own !== undefined) modifyResponseHeaders(own, head);
}
