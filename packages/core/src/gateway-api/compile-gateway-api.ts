import type { BackendInterner, BackendRef } from '../backend-ref.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Route } from '../route.js';
import type { Attachment } from './attachment.js';
import { attachRoutes } from './attach-routes.js';
import { condition, type GatewayApiStatus, type GatewayClassStatus, type GatewayStatus } from './conditions.js';
import { compileGrpcRouteRules } from './grpc-route-rules.js';
import { compileHttpRouteRules, type CompiledRoute } from './http-route-rules.js';
import { GatewayPort, ListenerRoutes } from './listener-index.js';
import { creationTimeOf } from '../ingress/object-ref.js';
import { resolveListeners, type ResolvedGateway, type ResolvedListener } from './listeners.js';
import type { GatewayClass, GRPCRoute, HTTPRoute, Namespace } from './model.js';
import { ReferenceGrants } from './reference-grants.js';
import { servedGatewayClasses } from './served-classes.js';
import { runSteps, type Steps } from '../steps.js';
import { pathIndexKey, type CompiledRouteEntry, type CompileContext, type GatewayReuseStep } from './gateway-api-reuse.js';
import { PathIndex } from './path-index.js';
import { sameObjects } from '../same-objects.js';

/** The label the API server puts on every Namespace: its own name (what `allowedRoutes` selectors often use). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The Gateway API part of `compile`'s input. Objects are validated, with the CRD defaults applied.
 * What the listeners are made of and the routes resolve against (`CompileContext`), and the routes.
 */
export interface GatewayApiObjects extends CompileContext {
  readonly httpRoutes: readonly HTTPRoute[];
  /** Default none. */
  readonly grpcRoutes?: readonly GRPCRoute[] | undefined;
}

/** What compiling the Gateway API objects gives the route table. */
export interface CompiledGatewayApi {
  /** The served ports, each with its listeners and their routes. */
  readonly ports: ReadonlyMap<number, GatewayPort>;
  /** Every listener of every served Gateway, ready or not (for certificates and listings). */
  readonly listeners: readonly ResolvedListener[];
  /** The routes of every backendRef that resolved, for discovery. */
  readonly routes: readonly Route[];
  /** Mirror backends, watched like any other. */
  readonly mirrorBackends: readonly BackendRef[];
  readonly status: GatewayApiStatus;
}

/**
 * Compiles Gateways, HTTPRoutes and GRPCRoutes: the served Gateways' listeners
 * (`resolveListeners`), each route's rules (`compileHttpRouteRules`, `compileGrpcRouteRules`),
 * attachment to listeners oldest route first (`attachRoute`, `RouteKindClaims`), and the
 * per-port index the hot path reads (`GatewayPort` → `ListenerRoutes` → `PathIndex`), with the
 * status of every object. Never throws on user input.
 */
export function compileGatewayApi(input: GatewayApiObjects, backends: BackendInterner, diagnostics: Diagnostic[]): CompiledGatewayApi {
  return runSteps(compileGatewayApiSteps(input, backends, diagnostics));
}

/**
 * `compileGatewayApi` as steps: one per route compiled, per route attached, per listener
 * hostname indexed (for `compileInSlices`). With `reuse`, a route the last compile compiled (the
 * same validated object, against the same ReferenceGrants and Services) keeps its compiled
 * rules, and its attachment while the listeners are made of the same objects (`attachRoutes`);
 * a listener hostname made of the same routes keeps its path index (`buildPorts`). Listeners are
 * made again: they are few, and attaching counts routes on them.
 */
export function* compileGatewayApiSteps(input: GatewayApiObjects, backends: BackendInterner, diagnostics: Diagnostic[], reuse?: GatewayReuseStep): Steps<CompiledGatewayApi> {
  const grants = new ReferenceGrants(input.referenceGrants);
  const namespaces = new Map<string, Namespace>();
  for (const namespace of input.namespaces) {
    const name = namespace.metadata.name ?? '';
    namespaces.set(name, { ...namespace, metadata: { ...namespace.metadata, labels: { ...namespace.metadata.labels, [NAMESPACE_NAME_LABEL]: name } } });
  }
  const services = input.services === undefined ? undefined : new Map(input.services.map((service) => [`${service.metadata.namespace || 'default'}/${service.metadata.name}`, service]));

  const classes = servedGatewayClasses(input.controllerName, input.gatewayClass, input.gatewayClassObjects);
  const resolved = resolveListeners({ gateways: input.gatewayObjects, gatewayClasses: classes, gatewayNames: input.gateways, secrets: input.secrets, grants }, diagnostics);
  const gatewaysByName = new Map<string, ResolvedGateway>(resolved.gateways.map((gateway) => [gateway.name, gateway]));

  const context = { grants, services, backends };
  const known = reuse?.before?.sameRouteContext(input) ? reuse.before : undefined;
  const knownAttachments = reuse?.before?.sameListeners(input) ? reuse.before : undefined;
  if (reuse !== undefined) reuse.now.input = input;
  const compiledRoutes: CompiledRoute[] = [];
  /** A route's compiled rules, the last compile's or compiled now; its diagnostics in the same place either way. */
  const keep = (route: HTTPRoute | GRPCRoute, entry: CompiledRouteEntry): void => {
    reuse?.now.routes.set(route, entry);
    if (entry.diagnostics.length > 0) diagnostics.push(...entry.diagnostics);
    compiledRoutes.push(entry.compiled);
  };
  for (const route of input.httpRoutes) keep(route, known?.routes.get(route) ?? (yield* compiledNow((own) => compileHttpRouteRules(route, creationTimeOf(route), context, own))));
  for (const route of input.grpcRoutes ?? []) keep(route, known?.routes.get(route) ?? (yield* compiledNow((own) => compileGrpcRouteRules(route, creationTimeOf(route), context, own))));
  // Oldest first (then namespace/name; an HTTPRoute before a GRPCRoute of the same name): the order the HTTPRoute/GRPCRoute hostname rule accepts them in.
  compiledRoutes.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.kind === b.kind ? 0 : a.kind === 'HTTPRoute' ? -1 : 1));
  // A Namespace the input does not hold still has its name label, as the API server gives every one.
  for (const { namespace } of compiledRoutes) {
    if (!namespaces.has(namespace)) namespaces.set(namespace, { metadata: { name: namespace, labels: { [NAMESPACE_NAME_LABEL]: namespace } } });
  }
  const attached = yield* attachRoutes(compiledRoutes, gatewaysByName, namespaces, diagnostics, knownAttachments, reuse?.now);

  const ports = yield* buildPorts(resolved.byPort, attached.attachments, reuse);
  return {
    ports,
    listeners: resolved.gateways.flatMap((gateway) => gateway.listeners),
    routes: routesOf(compiledRoutes),
    mirrorBackends: mirrorBackendsOf(compiledRoutes),
    status: {
      gatewayClasses: classStatuses(input.gatewayClassObjects, classes),
      gateways: resolved.gateways.map(gatewayStatus),
      httpRoutes: attached.httpRoutes,
      grpcRoutes: attached.grpcRoutes,
    },
  };
}

/** One route compiled, as a step. */
function* compiledNow(compileOne: (diagnostics: Diagnostic[]) => CompiledRoute): Steps<CompiledRouteEntry> {
  const own: Diagnostic[] = [];
  const entry = { compiled: compileOne(own), diagnostics: own };
  yield;
  return entry;
}

/**
 * The per-port index: each listener's routes gathered by hostname (in attachment order), then
 * each hostname's `PathIndex` made of their matches and sealed, or the last compile's kept when
 * it was made of the same routes in the same order (a change to one route rebuilds only its
 * hostnames). Counts each listener's attached routes.
 */
function* buildPorts(byPort: ReadonlyMap<number, readonly ResolvedListener[]>, attachments: readonly Attachment[], reuse: GatewayReuseStep | undefined): Steps<Map<number, GatewayPort>> {
  const ports = new Map<number, GatewayPort>();
  const routesOfListener = new Map<ResolvedListener, Map<string | undefined, CompiledRoute[]>>();
  const indexOfListener = new Map<ResolvedListener, ListenerRoutes>();
  for (const [port, listeners] of byPort) {
    const gatewayPort = new GatewayPort(port, listeners[0]!.protocol);
    for (const listener of listeners) {
      const routes = new ListenerRoutes({ gateway: listener.gatewayName, name: listener.name, port, protocol: listener.protocol, hostname: listener.hostname });
      gatewayPort.listeners.entry(listener.hostname, () => routes);
      indexOfListener.set(listener, routes);
      routesOfListener.set(listener, new Map());
    }
    ports.set(port, gatewayPort);
  }
  // A route's attachments come together: a listener it is attached to twice (two parentRefs) counts it once.
  let route: CompiledRoute | undefined;
  const countedFor: ResolvedListener[] = [];
  for (const attachment of attachments) {
    const byHostname = routesOfListener.get(attachment.listener);
    if (byHostname === undefined) continue;
    if (attachment.route !== route) {
      route = attachment.route;
      countedFor.length = 0;
    }
    if (!countedFor.includes(attachment.listener)) {
      countedFor.push(attachment.listener);
      attachment.listener.attachedRoutes++;
    }
    const { hostnames } = attachment;
    if (hostnames.length === 0) routesByHostname(byHostname, undefined).push(route);
    else for (const hostname of hostnames) routesByHostname(byHostname, hostname).push(route);
  }
  yield;
  for (const [listener, byHostname] of routesOfListener) {
    const index = indexOfListener.get(listener)!;
    for (const [hostname, routes] of byHostname) {
      const key = pathIndexKey(listener.gatewayName, listener.name, listener.port, hostname);
      let entry = reuse?.before?.paths.get(key);
      if (entry === undefined || !sameObjects(entry.routes, routes)) {
        const paths = new PathIndex();
        for (const { matches } of routes) for (const match of matches) paths.add(match);
        entry = { routes, index: paths.seal() };
        yield;
      }
      reuse?.now.paths.set(key, entry);
      index.setPaths(hostname, entry.index);
    }
  }
  return ports;
}

function routesByHostname(byHostname: Map<string | undefined, CompiledRoute[]>, hostname: string | undefined): CompiledRoute[] {
  let list = byHostname.get(hostname);
  if (list === undefined) byHostname.set(hostname, (list = []));
  return list;
}

/** Each compiled route's backend routes and mirror backends, listed once: a compile with `previous` reuses most routes. */
const LISTED = new WeakMap<CompiledRoute, { readonly routes: readonly Route[]; readonly mirrors: readonly BackendRef[] }>();

function listed(compiled: CompiledRoute): { readonly routes: readonly Route[]; readonly mirrors: readonly BackendRef[] } {
  let lists = LISTED.get(compiled);
  if (lists === undefined) {
    const routes: Route[] = [];
    const mirrors: BackendRef[] = [];
    for (const rule of compiled.rules) {
      for (const mirror of rule.filters.mirrors) mirrors.push(mirror.backend);
      for (const backend of rule.backends) {
        if (backend.route === undefined) continue;
        routes.push(backend.route);
        for (const mirror of backend.route.backendFilters?.mirrors ?? []) mirrors.push(mirror.backend);
      }
    }
    LISTED.set(compiled, (lists = { routes, mirrors }));
  }
  return lists;
}

/** The routes of every backendRef that resolved, in route, rule and backendRef order. */
function routesOf(compiledRoutes: readonly CompiledRoute[]): Route[] {
  const routes: Route[] = [];
  for (const compiled of compiledRoutes) for (const route of listed(compiled).routes) routes.push(route);
  return routes;
}

/** Every mirror's backend: per rule, its mirror filters, then its backendRefs' own. */
function mirrorBackendsOf(compiledRoutes: readonly CompiledRoute[]): BackendRef[] {
  const backends: BackendRef[] = [];
  for (const compiled of compiledRoutes) for (const backend of listed(compiled).mirrors) backends.push(backend);
  return backends;
}

function gatewayStatus(gateway: ResolvedGateway): GatewayStatus {
  const listeners = gateway.listeners;
  const invalid = listeners.filter((l) => !l.ready);
  const serving = listeners.length - invalid.length;
  // Accepted with some listeners invalid; not Accepted when no listener is (ListenersNotValid either way).
  const acceptedListeners = listeners.filter((l) => l.conditions.some((c) => c.type === 'Accepted' && c.status === 'True'));
  return {
    gateway: gateway.name,
    conditions: [
      invalid.length === 0
        ? condition('Accepted', true, 'Accepted', 'the Gateway is accepted')
        : condition('Accepted', acceptedListeners.length > 0, 'ListenersNotValid', `listeners ${invalid.map((l) => l.name).join(', ')} do not serve`),
      serving > 0 ? condition('Programmed', true, 'Programmed', `${serving} listener(s) serve`) : condition('Programmed', false, 'Invalid', 'no listener serves'),
    ],
    listeners: listeners.map((l) => ({ name: l.name, supportedKinds: l.supportedKinds, attachedRoutes: l.attachedRoutes, conditions: l.conditions })),
  };
}

/** Accepted for the classes we serve only: another controller's class is its own to accept. */
function classStatuses(gatewayClasses: readonly GatewayClass[], served: ReadonlySet<string> | undefined): GatewayClassStatus[] {
  return gatewayClasses
    .filter((gatewayClass) => served === undefined || served.has(gatewayClass.metadata.name!))
    .map((gatewayClass) => ({ name: gatewayClass.metadata.name!, conditions: [condition('Accepted', true, 'Accepted', 'served by Switchyard')] }));
}
