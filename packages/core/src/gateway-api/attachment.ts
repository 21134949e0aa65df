import type { Diagnostic } from '../diagnostics.js';
import { manifestSourceOf } from '../manifests/manifest-source.js';
import { condition, type Condition, type RouteParentStatus } from './conditions.js';
import { intersectHostnames } from './hostnames.js';
import { ROUTE_CODES, type CompiledRoute } from './http-route-rules.js';
import { selectorMatches } from './label-selector.js';
import type { ResolvedGateway, ResolvedListener } from './listeners.js';
import { GATEWAY_API_GROUP, type Namespace, type ParentReference } from './model.js';
import type { RouteKindClaims } from './route-kind-claims.js';

/** A route attached to one listener, serving these hostnames there (`[]`: any host). */
export interface Attachment {
  readonly route: CompiledRoute;
  readonly listener: ResolvedListener;
  readonly hostnames: readonly string[];
}

/**
 * Attaches an HTTPRoute or GRPCRoute to the listeners its parentRefs name (Gateway, then
 * `sectionName` and `port`), where the listener allows the route's namespace and kind, a
 * hostname of each intersects, and no route of the other kind holds an intersecting hostname
 * there (`claims`; call oldest route first): one status entry per parentRef naming a served
 * Gateway, with `Accepted` and its reason (`NoMatchingParent`, `NotAllowedByListeners`,
 * `NoMatchingListenerHostname`), and `ResolvedRefs` from the rules' backendRefs. `contested`:
 * another route's claim took a listener hostname from it (without one, the same route attaches
 * the same way to listeners made of the same objects).
 */
export function attachRoute(
  compiled: CompiledRoute,
  gateways: ReadonlyMap<string, ResolvedGateway>,
  namespaces: ReadonlyMap<string, Namespace>,
  claims: RouteKindClaims,
  diagnostics: Diagnostic[],
): { readonly attachments: Attachment[]; readonly parents: RouteParentStatus[]; readonly contested: boolean } {
  const { route, id, namespace, kind } = compiled;
  const codes = ROUTE_CODES[kind];
  const attachments: Attachment[] = [];
  const parents: RouteParentStatus[] = [];
  let contested = false;
  const report = (severity: Diagnostic['severity'], code: (typeof codes)['notAccepted'] | (typeof codes)['parentUnknown'], field: string, message: string): void => {
    const source = manifestSourceOf(route, field);
    diagnostics.push({ code, severity, object: id, field, message, ...(source ? { source } : {}) });
  };
  const routeHostnames = route.spec?.hostnames ?? [];
  (route.spec?.parentRefs ?? []).forEach((written, p) => {
    const field = `spec.parentRefs[${p}]`;
    const ref: ParentReference = { ...written, group: written.group ?? GATEWAY_API_GROUP, kind: written.kind ?? 'Gateway', namespace: written.namespace ?? namespace };
    const gatewayName = `${ref.namespace}/${ref.name}`;
    const gateway = ref.group === GATEWAY_API_GROUP && ref.kind === 'Gateway' ? gateways.get(gatewayName) : undefined;
    if (gateway === undefined) {
      report('info', codes.parentUnknown, field, `parent ${ref.kind} ${gatewayName} is not a Gateway served here; no status is written for it`);
      return;
    }
    const named = gateway.listeners.filter((l) => (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port));
    const refused = (reason: string, message: string): void => {
      report('warning', codes.notAccepted, field, `${message} (${reason})`);
      parents.push({ parentRef: ref, conditions: [condition('Accepted', false, reason, message), resolvedRefs(compiled)] });
    };
    if (named.length === 0) return refused('NoMatchingParent', `Gateway ${gatewayName} has no listener${ref.sectionName === undefined ? '' : ` named ${ref.sectionName}`}${ref.port === undefined ? '' : ` on port ${ref.port}`}`);
    const allowed = named.filter((listener) => listener.ready && allowsKind(listener, kind) && allowsNamespace(listener, namespace, namespaces));
    if (allowed.length === 0) {
      const why = named.map((listener) => `${listener.name}: ${whyNotAllowed(listener, kind, namespace, namespaces)}`).join('; ');
      return refused('NotAllowedByListeners', `no listener of Gateway ${gatewayName} takes this route (${why})`);
    }
    const hosted: Attachment[] = [];
    for (const listener of allowed) {
      const hostnames = intersectHostnames(listener.hostname, routeHostnames);
      if (hostnames !== undefined) hosted.push({ route: compiled, listener, hostnames });
    }
    if (hosted.length === 0) {
      return refused('NoMatchingListenerHostname', `none of the route's hostnames (${routeHostnames.join(', ')}) matches a listener hostname of Gateway ${gatewayName} (${allowed.map((l) => l.hostname ?? '<any>').join(', ')})`);
    }
    const unclaimed = hosted.filter((attachment) => claims.conflict(attachment.listener, kind, attachment.hostnames) === undefined);
    if (unclaimed.length !== hosted.length) contested = true;
    if (unclaimed.length === 0) {
      const holders = [...new Set(hosted.map((attachment) => claims.conflict(attachment.listener, kind, attachment.hostnames)))].join(', ');
      const other = kind === 'GRPCRoute' ? 'HTTPRoute' : 'GRPCRoute';
      return refused('NotAllowedByListeners', `the listener already takes ${other} ${holders} for an intersecting hostname, and the older route wins (a listener hostname takes HTTPRoutes or GRPCRoutes, not both)`);
    }
    for (const attachment of unclaimed) claims.claim(attachment.listener, kind, id, attachment.hostnames);
    attachments.push(...unclaimed);
    parents.push({ parentRef: ref, conditions: [accepted(compiled), resolvedRefs(compiled), ...partiallyInvalid(compiled)] });
  });
  return { attachments, parents, contested };
}

function accepted(compiled: CompiledRoute): Condition {
  const ruleCount = compiled.route.spec?.rules?.length ?? 0;
  if (ruleCount > 0 && compiled.droppedRules === ruleCount) return condition('Accepted', false, 'UnsupportedValue', `every rule is left out: ${compiled.unsupported.join('; ')}`);
  return condition('Accepted', true, 'Accepted', 'the route is attached');
}

function partiallyInvalid(compiled: CompiledRoute): Condition[] {
  const ruleCount = compiled.route.spec?.rules?.length ?? 0;
  if (compiled.unsupported.length === 0 || (ruleCount > 0 && compiled.droppedRules === ruleCount)) return [];
  return [condition('PartiallyInvalid', true, 'UnsupportedValue', compiled.unsupported.join('; '))];
}

function resolvedRefs(compiled: CompiledRoute): Condition {
  const first = compiled.unresolved[0];
  if (first === undefined) return condition('ResolvedRefs', true, 'ResolvedRefs', 'every reference resolved');
  return condition('ResolvedRefs', false, first.reason, compiled.unresolved.map((u) => u.message).join('; '));
}

function allowsKind(listener: ResolvedListener, routeKind: string): boolean {
  return listener.supportedKinds.some((kind) => kind.kind === routeKind && (kind.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP);
}

function allowsNamespace(listener: ResolvedListener, routeNamespace: string, namespaces: ReadonlyMap<string, Namespace>): boolean {
  const from = listener.allowedRoutes.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNamespace === listener.gatewayNamespace;
  if (from === 'Selector') {
    const selector = listener.allowedRoutes.namespaces?.selector;
    if (selector === undefined) return false;
    return selectorMatches(selector, namespaces.get(routeNamespace)?.metadata.labels);
  }
  return false;
}

function whyNotAllowed(listener: ResolvedListener, kind: string, routeNamespace: string, namespaces: ReadonlyMap<string, Namespace>): string {
  if (!listener.ready) return 'it does not serve';
  if (!allowsKind(listener, kind)) return `it does not take ${kind}s`;
  const from = listener.allowedRoutes.namespaces?.from ?? 'Same';
  if (from === 'Selector' && !namespaces.has(routeNamespace)) return `namespace ${routeNamespace} is not known, so its labels cannot match the selector`;
  return `routes from namespace ${routeNamespace} are not allowed (allowedRoutes.namespaces.from: ${from})`;
}
