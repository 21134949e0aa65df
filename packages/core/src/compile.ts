import { BackendInterner, backendKey, type BackendRef } from './backend-ref.js';
import type { Diagnostic } from './diagnostics.js';
import { SwitchyardError } from './errors.js';
import { IngressClassScope } from './ingress/ingress-class.js';
import { creationTimeOf, ingressRef, objectName } from './ingress/object-ref.js';
import { readRulePath } from './ingress/rule-path.js';
import { validateIngress } from './ingress/validate-ingress.js';
import { validateGatewayApiObjectSteps } from './gateway-api/validate-gateway-api-objects.js';
import { copyManifestSource, manifestSourceOf } from './manifests/manifest-source.js';
import type { HTTPIngressPath, Ingress, IngressBackend, IngressClass, IngressRef, IngressRule, PathType } from './model.js';
import type { PathMatcher, PathMatcherFactory, PathRule } from './path-matcher/path-matcher.js';
import { createSegmentTrieMatcher } from './path-matcher/segment-trie/index.js';
import { segmentTrieSteps, segmentTrieWithChanges } from './path-matcher/segment-trie/segment-trie.js';
import type { Route } from './route.js';
import { compileGatewayApiSteps, type CompiledGatewayApi } from './gateway-api/compile-gateway-api.js';
import { hostsSharedWithGateways } from './gateway-api/shared-hosts.js';
import type { Gateway, GatewayClass, GRPCRoute, HTTPRoute, Namespace, ReferenceGrant } from './gateway-api/model.js';
import type { Service } from './discovery/kubernetes-types.js';
import type { Secret } from './secret.js';
import type { CompiledRule } from './route-table/compiled-rule.js';
import { recordTableDelta, RouteTable } from './route-table/route-table.js';
import { runSteps, type Steps } from './steps.js';
import { sameObjects } from './same-objects.js';
import { GatewayApiReuse, type GatewayReuseStep } from './gateway-api/gateway-api-reuse.js';

export interface CompileOptions {
  /** `networking.k8s.io/v1` Ingresses, as plain objects (from YAML, the API server or code). */
  readonly ingresses: readonly Ingress[];
  /**
   * The IngressClass this router serves. Omitted: every Ingress is in scope. Given: Ingresses
   * naming it (spec or legacy annotation), plus those naming none when `ingressClasses`
   * marks it the default class.
   */
  readonly ingressClass?: string;
  /** IngressClass objects, read for the `is-default-class` annotation. */
  readonly ingressClasses?: readonly IngressClass[];
  /** The table's version; by default one more than the last table compiled in this process. */
  readonly version?: number;
  /** The path matcher for each host; the segment trie unless a benchmark or test picks another. */
  readonly pathMatcher?: PathMatcherFactory;
  /**
   * Gateway API Gateways (`gateway.networking.k8s.io/v1`), served on their listeners' ports
   * beside the Ingresses (`table.gatewayPort(port)`). Only those of `gatewayClass` when given.
   */
  readonly gateways?: readonly Gateway[];
  /** HTTPRoutes, attached to the Gateways' listeners through their parentRefs. */
  readonly httpRoutes?: readonly HTTPRoute[];
  /**
   * GRPCRoutes, attached like HTTPRoutes; their rules match gRPC calls (`POST
   * /<service>/<method>`, content-type `application/grpc`) and are marked `rule.grpc`.
   */
  readonly grpcRoutes?: readonly GRPCRoute[];
  /**
   * Serve only the Gateways of this GatewayClass: whatever its controllerName when `controllerName`
   * is omitted (from files), one of `controllerName`'s classes when it is given. All given Gateways when both are omitted.
   */
  readonly gatewayClass?: string;
  /**
   * The controller this router is (in a cluster, `example.com/switchyard`): given, the Gateways
   * served are those whose GatewayClass, among `gatewayClasses`, has this `spec.controllerName`,
   * and only those classes get a status. A Gateway of another controller's class is not served and gets no status.
   */
  readonly controllerName?: string;
  /** Serve only these Gateways (`namespace/name`). */
  readonly gatewayNames?: readonly string[];
  /** GatewayClass objects, for their status and (with `controllerName`) which are ours. */
  readonly gatewayClasses?: readonly GatewayClass[];
  /** ReferenceGrants (v1 or v1beta1): cross-namespace backendRefs and certificateRefs need one. */
  readonly referenceGrants?: readonly ReferenceGrant[];
  /** Namespaces, for the labels `allowedRoutes.namespaces.selector` reads. */
  readonly namespaces?: readonly Namespace[];
  /** Secrets, for HTTPS listeners' certificateRefs. */
  readonly secrets?: readonly Secret[];
  /** Services: a backendRef to one that is not here is `BackendNotFound` (500). Omitted: not checked. */
  readonly services?: readonly Service[];
  /**
   * Validations of some of these Ingresses already made by `validateIngress` (as the CLI's rule
   * of serving an invalid edit at its last valid version makes them before it compiles; a
   * `WeakMap` does): an Ingress it answers for is not validated again. Its answers must be
   * `validateIngress`'s for the same object (an empty list: valid).
   */
  readonly validated?: IngressValidations;
  /**
   * The result of the last compile of this configuration, to compile only what changed: the
   * Ingresses that are the same objects as then are not validated again, and the hosts whose
   * Ingresses are all the same objects keep their rules and path matchers; an Ingress read again
   * (another object, the same namespace/name) keeps, for each host, the rules that say the same
   * as before (not even made again when the host's rules read the same at the same indexes), so
   * a host all of whose rules are kept that way keeps its path matcher too (unless it has
   * conflicts, whose diagnostics point at the object's lines); in a host whose rules changed, a
   * path that is the very object the Ingress had at the same index keeps its rule, and with the
   * default path matcher and no conflicting rules, before or after, the host's matcher is the old
   * one with the nodes on the changed paths copied (`segmentTrieWithChanges`); the Gateway API part
   * is kept whole when its inputs are the same objects, and otherwise each Gateway API object
   * that is the same object is not validated again and each such HTTPRoute or GRPCRoute keeps
   * its compiled rules while the ReferenceGrants and Services are the same objects, and its
   * attachment while the Gateways, GatewayClasses, Secrets, ReferenceGrants and Namespaces are
   * (unless a route of the other kind now claims one of its listener hostnames); a listener
   * hostname whose routes are all kept keeps its path index. When the same Ingresses are accepted
   * in the same order and those read again keep their hosts, the other Ingresses and hosts are not
   * looked at (a reload of one file of a hundred compiles its own hosts). The result is what a compile without
   * it gives (diagnostics may come in another order). The Ingress part is compiled from scratch
   * when the IngressClass scope or the path matcher differ from that compile's. The table says
   * what it changed from that compile's table, so a `Router` serving that table swaps only the
   * parts that changed.
   */
  readonly previous?: CompileResult;
}

/** What `validateIngress` gave for each Ingress validated (`CompileOptions.validated`); undefined for one not validated. */
export interface IngressValidations {
  get(ingress: Ingress): readonly Diagnostic[] | undefined;
}

export interface CompileResult {
  readonly table: RouteTable;
  /** Every problem found; invalid Ingresses are left out whole, the rest compiled. */
  readonly diagnostics: Diagnostic[];
}

let lastVersion = 0;

/**
 * Compiles Ingresses into an immutable route table. Pure: no I/O, the input is not changed.
 * Problems in the Ingresses are diagnostics, never exceptions. Runs in one piece: where a large
 * compile must not hold up a serving event loop, `compileInSlices` gives the same result a few
 * milliseconds at a time.
 *
 * @throws SwitchyardError `SWY_COMPILE_INVALID_OPTIONS` when the options are not of the documented shape.
 */
export function compile(options: CompileOptions): CompileResult {
  return runSteps(compileSteps(options));
}

/**
 * The body of `compile`, as steps: it yields after each unit of work done (an Ingress
 * selected, an Ingress's part made, a host compiled, a piece of the Gateway API part), never
 * after work reused from `previous`, so an incremental compile pays nothing for the yields.
 * The version is taken and the table made in the last step, so a compile abandoned halfway
 * leaves no trace.
 */
export function* compileSteps(options: CompileOptions): Steps<CompileResult> {
  checkOptions(options);
  const diagnostics: Diagnostic[] = [];
  const createMatcher = options.pathMatcher ?? createSegmentTrieMatcher;
  const scope = new IngressClassScope(options.ingressClass, options.ingressClasses);
  const before = options.previous === undefined ? undefined : COMPILED.get(options.previous.table);
  const previous = before !== undefined && before.sameScope(options, createMatcher) ? before : undefined;
  const state = new IngressCompileState(options, createMatcher);
  const accepted = yield* selectIngresses(options.ingresses, scope, options.validated, diagnostics, state, previous);
  accepted.sort(byAge);
  const ages = agesOf(accepted);

  const backends = new BackendInterner();
  const made = new Map<Ingress, IngressPart>();
  const half = (previous?.half === undefined ? undefined : yield* changedInPlace(accepted, previous.half, backends, ages, createMatcher, made)) ?? (yield* ingressHalf(accepted, previous, backends, ages, createMatcher, made));
  state.half = half;
  if (half.partDiagnostics.length > 0) diagnostics.push(...half.partDiagnostics);
  if (half.hostDiagnostics.length > 0) diagnostics.push(...half.hostDiagnostics);
  const defaultBackends = half.defaultBackends;

  // Indexed: this runs once per compile, in V8's interpreter or baseline code when changes are
  // seconds apart, where a for-of allocates a result object per element.
  const exactHosts = new Map<string, PathMatcher>();
  const wildcardHosts = new Map<string, PathMatcher>();
  const rulesByHost = new Map<string, readonly CompiledRule[]>();
  let anyHost: PathMatcher | undefined;
  for (let h = 0; h < half.hostOrder.length; h++) {
    const host = half.hostOrder[h]!;
    const hostPart = half.hostParts[h]!;
    const matcher = hostPart.matcher;
    rulesByHost.set(host, hostPart.rules);
    if (host === '') anyHost = matcher;
    else if (host.startsWith('*.')) wildcardHosts.set(host.slice(2), matcher);
    else exactHosts.set(host, matcher);
  }
  let gatewayApi: CompiledGatewayApi | undefined;
  let gatewayDiagnostics: Diagnostic[];
  if (previous !== undefined && previous.sameGatewayInputs(options)) {
    gatewayApi = previous.gatewayApi;
    gatewayDiagnostics = previous.gatewayDiagnostics;
    state.gatewayReuse = previous.gatewayReuse;
  } else {
    gatewayDiagnostics = [];
    // Per object, whatever the IngressClass scope: the Gateway API part does not read it.
    state.gatewayReuse = new GatewayApiReuse();
    gatewayApi = yield* compileGatewayObjects(options, backends, gatewayDiagnostics, { before: before?.gatewayReuse, now: state.gatewayReuse });
  }
  state.gatewayApi = gatewayApi;
  state.gatewayDiagnostics = gatewayDiagnostics;
  diagnostics.push(...gatewayDiagnostics);
  if (gatewayApi !== undefined) reportSharedHosts(rulesByHost, gatewayApi, diagnostics);
  const version = options.version ?? lastVersion + 1;
  lastVersion = Math.max(lastVersion, version);
  const table = new RouteTable({ version, exactHosts, wildcardHosts, anyHost, rulesByHost, defaultBackends, gatewayApi });
  COMPILED.set(table, state);
  if (options.previous !== undefined) recordTableDelta(table, options.previous.table);
  return { table, diagnostics };
}

/**
 * The Gateway API part, when the options hold Gateways, HTTPRoutes or GRPCRoutes: validated as the API
 * server would (an invalid object is left out whole), the CRD defaults applied, then compiled.
 */
function* compileGatewayObjects(options: CompileOptions, backends: BackendInterner, diagnostics: Diagnostic[], reuse: GatewayReuseStep): Steps<CompiledGatewayApi | undefined> {
  if (options.gateways === undefined && options.httpRoutes === undefined && options.grpcRoutes === undefined) return undefined;
  const valid = yield* validateGatewayApiObjectSteps({
    gatewayClasses: options.gatewayClasses,
    gateways: options.gateways,
    httpRoutes: options.httpRoutes,
    grpcRoutes: options.grpcRoutes,
    referenceGrants: options.referenceGrants,
    namespaces: options.namespaces,
  }, reuse);
  diagnostics.push(...valid.diagnostics);
  // Diagnostics about a defaulted copy point at the lines of the object as written.
  const objects = <T extends object>(list: ReadonlyArray<{ readonly object: T; readonly original: unknown }>): T[] =>
    list.map(({ object, original }) => {
      copyManifestSource(original, object);
      return object;
    });
  return yield* compileGatewayApiSteps(
    {
      gatewayClass: options.gatewayClass,
      controllerName: options.controllerName,
      gateways: options.gatewayNames,
      gatewayClassObjects: objects(valid.gatewayClasses),
      gatewayObjects: objects(valid.gateways),
      httpRoutes: objects(valid.httpRoutes),
      grpcRoutes: objects(valid.grpcRoutes),
      referenceGrants: objects(valid.referenceGrants),
      namespaces: objects(valid.namespaces),
      secrets: options.secrets ?? [],
      services: options.services,
    },
    backends,
    diagnostics,
    reuse,
  );
}

/**
 * The Ingress half of a compile: each accepted Ingress's part (in age order), each host's part
 * (in the order the hosts first appear), the default backends, and the diagnostics of the parts
 * (with the default backends' conflicts) and of the hosts. Kept for the next compile.
 */
interface IngressHalf {
  readonly accepted: readonly AcceptedIngress[];
  /** Each accepted Ingress's part, at its index. */
  readonly parts: readonly IngressPart[];
  readonly hostOrder: readonly string[];
  /** Each host's part, at its index in `hostOrder`. */
  readonly hostParts: readonly HostPart[];
  readonly defaultBackends: readonly CompiledRule[];
  readonly partDiagnostics: readonly Diagnostic[];
  readonly hostDiagnostics: readonly Diagnostic[];
}

/**
 * The Ingress half made whole: each Ingress's part (reused from `previous` when the same object,
 * else made, or taken from `made`), then each host's (kept when its Ingresses give the same
 * entries, else compiled).
 */
function* ingressHalf(
  accepted: readonly AcceptedIngress[],
  previous: IngressCompileState | undefined,
  backends: BackendInterner,
  ages: Ages,
  createMatcher: PathMatcherFactory,
  made: ReadonlyMap<Ingress, IngressPart>,
): Steps<IngressHalf> {
  // Indexed: this runs once per compile, in V8's interpreter or baseline code when changes are
  // seconds apart, where a for-of allocates a result object per element.
  const parts: IngressPart[] = [];
  const partDiagnostics: Diagnostic[] = [];
  // Each accepted Ingress's index, by host; then each host's, in age order.
  const contributors = new Map<string, number[]>(); // by rule host, '' for no host
  const hostOrder: string[] = []; // contributors' keys, in insertion order
  const defaultBackends: CompiledRule[] = [];
  for (let i = 0; i < accepted.length; i++) {
    const one = accepted[i]!;
    let part = made.get(one.ingress) ?? previous?.partOf(one.ingress, i);
    if (part === undefined) {
      const before = previous?.partOfId(one.id, i);
      part = keepUnchangedEntries(yield* ingressPart(one.ingress, backends, before), before);
    }
    parts.push(part);
    if (part.diagnostics.length > 0) partDiagnostics.push(...part.diagnostics);
    for (let h = 0; h < part.hosts.length; h++) {
      const host = part.hosts[h]!;
      const list = contributors.get(host);
      if (list === undefined) {
        contributors.set(host, [i]);
        hostOrder.push(host);
      } else list.push(i);
    }
    const route = part.defaultRoute;
    if (route !== undefined) {
      const winner = defaultBackends[0]?.route;
      if (winner) {
        partDiagnostics.push(conflictDiagnostic('SWY_ROUTE_DEFAULT_BACKEND_CONFLICT', one.ingress, route, winner, 'a default backend is already set by', ages));
      }
      defaultBackends.push(Object.freeze({ route, kind: 'prefix', matchKey: '/', elements: 0, ...(winner ? { shadowedBy: winner } : {}) }));
    }
  }
  const hostParts: HostPart[] = [];
  const hostDiagnostics: Diagnostic[] = [];
  for (let h = 0; h < hostOrder.length; h++) {
    const host = hostOrder[h]!;
    const list = contributors.get(host)!;
    const ingresses = list.map((i) => accepted[i]!.ingress);
    const entryLists = list.map((i) => parts[i]!.entries.get(host)!);
    const known = previous?.hostPartOf(host, h);
    let hostPart: HostPart | undefined = known === undefined ? undefined : keptHost(known, ingresses, entryLists);
    if (hostPart === undefined) {
      hostPart = yield* compileHost(ingresses, entryLists, ages, createMatcher);
      yield;
    }
    hostParts.push(hostPart);
    if (hostPart.diagnostics.length > 0) hostDiagnostics.push(...hostPart.diagnostics);
  }
  return { accepted, parts, hostOrder, hostParts, defaultBackends, partDiagnostics, hostDiagnostics };
}

/**
 * The Ingress half when the same Ingresses as `before`'s are accepted, in the same order, and
 * those that are other objects (read again) have no diagnostics and no default backend, now or
 * before, and the same hosts in the same order: `before`'s half with their parts made again and
 * the parts of their hosts kept or compiled again, the other Ingresses and hosts not looked at
 * (a reload of one Ingress of a hundred looks at its own five hosts, not at a hundred). Undefined
 * when that is not so; the parts it made are in `made` for `ingressHalf`.
 */
function* changedInPlace(
  accepted: readonly AcceptedIngress[],
  before: IngressHalf,
  backends: BackendInterner,
  ages: Ages,
  createMatcher: PathMatcherFactory,
  made: Map<Ingress, IngressPart>,
): Steps<IngressHalf | undefined> {
  if (accepted.length !== before.accepted.length) return undefined;
  let parts: IngressPart[] | undefined;
  // Each Ingress read again, by the object it replaces: the object and its part.
  const replaced = new Map<Ingress, { readonly ingress: Ingress; readonly part: IngressPart }>();
  for (let i = 0; i < accepted.length; i++) {
    const one = accepted[i]!;
    const then = before.accepted[i]!;
    if (one.ingress === then.ingress) continue;
    if (one.id !== then.id) return undefined;
    const old = before.parts[i]!;
    const part = keepUnchangedEntries(yield* ingressPart(one.ingress, backends, old), old);
    made.set(one.ingress, part);
    if (part.diagnostics.length > 0 || old.diagnostics.length > 0 || part.defaultRoute !== undefined || old.defaultRoute !== undefined || !sameObjects(part.hosts, old.hosts)) return undefined;
    parts ??= before.parts.slice();
    parts[i] = part;
    replaced.set(then.ingress, { ingress: one.ingress, part });
  }
  if (parts === undefined) return { ...before, accepted };
  const hostParts = before.hostParts.slice();
  let hostDiagnosticsChanged = false;
  for (const { part } of replaced.values()) {
    for (let k = 0; k < part.hosts.length; k++) {
      const host = part.hosts[k]!;
      const h = before.hostOrder.indexOf(host);
      const known = before.hostParts[h]!;
      // Its other hosts, or another Ingress read again with this host, may have done it already.
      if (hostParts[h] !== known) continue;
      const ingresses = known.ingresses.map((ingress) => replaced.get(ingress)?.ingress ?? ingress);
      const entryLists = known.entryLists.map((entries, j) => replaced.get(known.ingresses[j]!)?.part.entries.get(host) ?? entries);
      let hostPart = keptHost(known, ingresses, entryLists) ?? (createMatcher === createSegmentTrieMatcher ? hostWithChangedPaths(known, ingresses, entryLists) : undefined);
      if (hostPart === undefined) {
        hostPart = yield* compileHost(ingresses, entryLists, ages, createMatcher);
        yield;
      }
      if (known.diagnostics.length > 0 || hostPart.diagnostics.length > 0) hostDiagnosticsChanged = true;
      hostParts[h] = hostPart;
    }
  }
  const hostDiagnostics = hostDiagnosticsChanged ? hostParts.flatMap((hostPart) => hostPart.diagnostics) : before.hostDiagnostics;
  return { accepted, parts, hostOrder: before.hostOrder, hostParts, defaultBackends: before.defaultBackends, partDiagnostics: before.partDiagnostics, hostDiagnostics };
}

/** An info diagnostic per Ingress host that HTTPRoutes route too, on the first Ingress rule of that host. */
function reportSharedHosts(rulesByHost: ReadonlyMap<string, readonly CompiledRule[]>, gatewayApi: CompiledGatewayApi, diagnostics: Diagnostic[]): void {
  for (const shared of hostsSharedWithGateways(rulesByHost.keys(), gatewayApi.ports)) {
    const first = rulesByHost.get(shared.ingressHost)![0]!.route;
    const name = `${first.origin.namespace}/${first.origin.name}`;
    const host = shared.ingressHost === '' ? 'every host (rules without a host)' : `host ${shared.ingressHost}`;
    diagnostics.push({
      code: 'SWY_HOST_ROUTED_BY_BOTH',
      severity: 'info',
      object: name,
      field: first.field,
      message: `${host} is routed by Ingress ${name} and by ${shared.kind} ${shared.route} (hostname ${shared.gatewayHostname}) on Gateway port ${shared.port}: requests to the Ingress listener follow the Ingress rules, requests to port ${shared.port} the Gateway routes`,
      related: { object: shared.route },
    });
  }
}

/** The rules of one host, merged across Ingresses, the first of each (path, type) kept. */
class RuleSet {
  readonly rules: CompiledRule[] = [];
  private readonly winners = new Map<string, CompiledRule>();

  /** `ages`: each accepted Ingress's creation time by `namespace/name`, to say why a winner won. */
  constructor(private readonly ages: Ages) {}

  add(rule: CompiledRule, ingress: Ingress, diagnostics: Diagnostic[]): void {
    const key = `${rule.kind} ${rule.matchKey}`;
    const winner = this.winners.get(key);
    if (winner === undefined) {
      this.winners.set(key, rule);
      this.rules.push(Object.freeze(rule));
      return;
    }
    diagnostics.push(conflictDiagnostic('SWY_ROUTE_CONFLICT', ingress, rule.route, winner.route, 'the same host, path and type are already routed by', this.ages));
    this.rules.push(Object.freeze({ ...rule, shadowedBy: winner.route }));
  }

  pathRules(): PathRule[] {
    return [...this.winners.values()].map((rule) => ({ path: rule.matchKey, kind: rule.kind, route: rule.route }));
  }
}

/** Each accepted Ingress's creation time by `namespace/name`: what a conflict's diagnostic says of its two Ingresses. */
interface Ages {
  get(id: string): number | undefined;
}

/** The ages of `accepted`, their map made on first use: only a conflict's diagnostic reads it, and most compiles have none. */
function agesOf(accepted: readonly AcceptedIngress[]): Ages {
  let ages: Map<string, number> | undefined;
  return { get: (id) => (ages ??= new Map(accepted.map((one) => [one.id, one.createdAt]))).get(id) };
}

interface AcceptedIngress {
  readonly ingress: Ingress;
  readonly createdAt: number;
  /** `namespace/name` */
  readonly id: string;
}

function* selectIngresses(
  ingresses: readonly Ingress[],
  scope: IngressClassScope,
  validated: IngressValidations | undefined,
  diagnostics: Diagnostic[],
  state: IngressCompileState,
  previous: IngressCompileState | undefined,
): Steps<AcceptedIngress[]> {
  const accepted: AcceptedIngress[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < ingresses.length; i++) {
    const ingress = ingresses[i]!;
    let selection = previous?.selection.get(ingress);
    if (selection === undefined) {
      selection = selectIngress(ingress, scope, validated);
      yield;
    }
    state.selection.set(ingress, selection);
    if (selection.diagnostics.length > 0) diagnostics.push(...selection.diagnostics);
    if (selection.accepted === undefined) continue;
    const id = selection.accepted.id;
    if (seen.has(id)) {
      diagnostics.push(diagnostic(ingress, 'SWY_INGRESS_DUPLICATE', 'error', 'metadata.name', `${id} appears twice in the input; the first one is kept`));
      continue;
    }
    seen.add(id);
    accepted.push(selection.accepted);
  }
  return accepted;
}

/** Whether one Ingress is in scope and valid, whatever the others: what a later compile may reuse. */
interface Selection {
  readonly diagnostics: readonly Diagnostic[];
  readonly accepted: AcceptedIngress | undefined;
}

function selectIngress(ingress: Ingress, scope: IngressClassScope, validated: IngressValidations | undefined): Selection {
  // Scope first: another class's Ingress is not ours to validate.
  const decision = scope.decide(ingress);
  if (!decision.inScope) {
    return { diagnostics: [diagnostic(ingress, 'SWY_INGRESS_CLASS_SKIPPED', 'info', decision.field, `left out: ${decision.reason}`)], accepted: undefined };
  }
  const problems = validated?.get(ingress) ?? validateIngress(ingress);
  if (problems.length > 0) return { diagnostics: problems, accepted: undefined };
  const { namespace, name } = ingressRef(ingress.metadata);
  return { diagnostics: [], accepted: { ingress, createdAt: creationTimeOf(ingress), id: `${namespace}/${name}` } };
}

/** What one accepted Ingress contributes, whatever the others: its rules' entries by host, its default backend. */
interface IngressPart {
  /** The Ingress it was made of. */
  readonly ingress: Ingress;
  readonly entries: ReadonlyMap<string, readonly HostEntry[]>;
  /** The keys of `entries`, in order. */
  readonly hosts: readonly string[];
  readonly defaultRoute: Route | undefined;
  /** Its paths' own diagnostics (unmatchable, normalized). */
  readonly diagnostics: readonly Diagnostic[];
}

type HostEntry = Omit<CompiledRule, 'shadowedBy'>;

/** Paths of one Ingress made into entries between two yields: a large Ingress is several units. */
const PATHS_PER_STEP = 100;

/**
 * `before`: the part of the Ingress of the same namespace/name that the last compile made. A
 * host whose rules are, index for index and path for path, those of `before`'s Ingress
 * (`unchangedHosts`) keeps `before`'s entries for it, not made again; in a host that changed,
 * a path that is the very object `before`'s Ingress had at the same index (the parse worker
 * shares what an edit left alone) keeps its entry. A file rewritten for one path makes one entry.
 */
function* ingressPart(ingress: Ingress, backends: BackendInterner, before?: IngressPart): Steps<IngressPart> {
  const ref = ingressRef(ingress.metadata);
  const spec = ingress.spec!;
  const entries = new Map<string, readonly HostEntry[]>();
  const made = new Map<string, HostEntry[]>();
  const diagnostics: Diagnostic[] = [];
  const rules = spec.rules ?? [];
  const unchanged = before === undefined ? undefined : unchangedHosts(rules, before);
  // `before`'s rules when each of its paths made one entry (no diagnostics): then a path of a changed host that is the very object `before` had at the same index keeps its entry.
  const beforeRules = before !== undefined && before.diagnostics.length === 0 ? (before.ingress.spec?.rules ?? []) : undefined;
  let beforeStarts: number[] | undefined;
  let count = 0;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const host = rule.host ?? '';
    const kept = unchanged?.get(host);
    if (kept !== undefined) {
      // Where a made host would enter the map: at its first path.
      if ((rule.http?.paths?.length ?? 0) > 0) entries.set(host, kept);
      continue;
    }
    const paths = rule.http?.paths ?? [];
    const beforeRule = beforeRules?.[i];
    const beforePaths = beforeRule !== undefined && (beforeRule.host ?? '') === host ? beforeRule.http?.paths : undefined;
    for (let j = 0; j < paths.length; j++) {
      const entry = paths[j]!;
      if (++count % PATHS_PER_STEP === 0) yield;
      const hostEntry =
        beforePaths !== undefined && j < beforePaths.length && beforePaths[j] === entry
          ? before!.entries.get(host)![(beforeStarts ??= entryStarts(beforeRules!))[i]! + j]!
          : pathEntry(ingress, ref, backends, entry, `spec.rules[${i}].http.paths[${j}]`, host, diagnostics);
      if (hostEntry === undefined) continue;
      let list = made.get(host);
      if (list === undefined) {
        made.set(host, (list = []));
        entries.set(host, list);
      }
      list.push(hostEntry);
    }
  }
  const defaultRoute = spec.defaultBackend ? makeRoute(backends, ref, spec.defaultBackend, 'spec.defaultBackend', undefined, undefined, undefined) : undefined;
  yield;
  return { ingress, entries, hosts: [...entries.keys()], defaultRoute, diagnostics };
}

/** The entry of one path, with its diagnostics; undefined when no request can match it (it is left out). */
function pathEntry(ingress: Ingress, ref: IngressRef, backends: BackendInterner, entry: HTTPIngressPath, field: string, host: string, diagnostics: Diagnostic[]): HostEntry | undefined {
  const rulePath = readRulePath(entry.path, entry.pathType);
  if (!rulePath.ok) {
    diagnostics.push(diagnostic(ingress, 'SWY_INGRESS_PATH_UNMATCHABLE', 'warning', `${field}.path`, `${rulePath.reason}; this path is left out`));
    return undefined;
  }
  if (entry.path !== undefined && entry.path !== '' && rulePath.path !== entry.path) {
    diagnostics.push(diagnostic(ingress, 'SWY_INGRESS_PATH_NORMALIZED', 'info', `${field}.path`, `${JSON.stringify(entry.path)} is matched as ${JSON.stringify(rulePath.path)}`));
  }
  const route = makeRoute(backends, ref, entry.backend, field, host || undefined, rulePath.path, entry.pathType);
  return Object.freeze({ route, kind: rulePath.kind, matchKey: rulePath.matchKey, elements: rulePath.elements });
}

/** Where each rule's entries start in its host's list: the paths of the rules before it with the same host. */
function entryStarts(rules: readonly IngressRule[]): number[] {
  const counts = new Map<string, number>();
  const starts: number[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const host = rule.host ?? '';
    const start = counts.get(host) ?? 0;
    starts.push(start);
    counts.set(host, start + (rule.http?.paths?.length ?? 0));
  }
  return starts;
}

/**
 * The hosts of `rules` whose rules are those of `before`'s Ingress: at the same indexes, with
 * the same paths (path, pathType, backend) in the same order; each with `before`'s entries. None
 * when `before` has diagnostics: theirs point at the lines of its object, and would be made again.
 */
function unchangedHosts(rules: readonly IngressRule[], before: IngressPart): Map<string, readonly HostEntry[]> | undefined {
  if (before.diagnostics.length > 0) return undefined;
  const old = before.ingress.spec?.rules ?? [];
  // A host is unchanged until one of its rules, now or before, differs.
  const unchanged = new Map<string, readonly HostEntry[]>();
  const changed = new Set<string>();
  const length = Math.max(rules.length, old.length);
  for (let i = 0; i < length; i++) {
    const now = rules[i];
    const then = old[i];
    const host = now?.host ?? '';
    // The same object when the parse worker shared the rule with the version before (`patchLoaded`).
    if (now !== undefined && then !== undefined && (now === then || (host === (then.host ?? '') && sameRulePaths(now.http?.paths ?? [], then.http?.paths ?? [])))) {
      const entries = before.entries.get(host);
      if (entries !== undefined && !changed.has(host)) unchanged.set(host, entries);
      continue;
    }
    for (const differs of [now, then]) {
      if (differs === undefined) continue;
      changed.add(differs.host ?? '');
      unchanged.delete(differs.host ?? '');
    }
  }
  return unchanged;
}

function sameRulePaths(a: readonly HTTPIngressPath[], b: readonly HTTPIngressPath[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x.path !== y.path || x.pathType !== y.pathType || !sameIngressBackend(x.backend, y.backend)) return false;
  }
  return true;
}

/** Two backends of valid Ingresses that `makeRoute` makes the same route target of. */
function sameIngressBackend(a: IngressBackend, b: IngressBackend): boolean {
  if (a.service) {
    if (!b.service || a.service.name !== b.service.name) return false;
    const p = a.service.port;
    const q = b.service.port;
    return p.name || q.name ? p.name === q.name : p.number === q.number;
  }
  if (b.service) return false;
  const r = a.resource!;
  const t = b.resource!;
  return (r.apiGroup || undefined) === (t.apiGroup || undefined) && r.kind === t.kind && r.name === t.name;
}

/**
 * The part of an Ingress read again (a new object with the same namespace/name), with each
 * host's entries that equal those of its part `before` replaced by those: a file rewritten for
 * one path leaves the Ingress's other hosts' entries the same arrays, so `keptHost` keeps
 * those hosts whole (their rules and path matchers) instead of building them again.
 */
function keepUnchangedEntries(part: IngressPart, before: IngressPart | undefined): IngressPart {
  if (before === undefined) return part;
  const entries = new Map<string, readonly HostEntry[]>();
  for (let h = 0; h < part.hosts.length; h++) {
    const host = part.hosts[h]!;
    const list = part.entries.get(host)!;
    const known = before.entries.get(host);
    entries.set(host, known !== undefined && (known === list || sameEntries(known, list)) ? known : list);
  }
  return { ingress: part.ingress, entries, hosts: part.hosts, defaultRoute: part.defaultRoute, diagnostics: part.diagnostics };
}

function sameEntries(a: readonly HostEntry[], b: readonly HostEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x.kind !== y.kind || x.matchKey !== y.matchKey || x.elements !== y.elements || !sameIngressRoute(x.route, y.route)) return false;
  }
  return true;
}

/** Two routes `makeRoute` made: what they say is the same (their backend refs may be other objects). */
function sameIngressRoute(a: Route, b: Route): boolean {
  return (
    a.field === b.field &&
    a.path === b.path &&
    a.pathType === b.pathType &&
    a.host === b.host &&
    a.isDefaultBackend === b.isDefaultBackend &&
    a.origin.namespace === b.origin.namespace &&
    a.origin.name === b.origin.name &&
    sameBackend(a.backend, b.backend)
  );
}

function sameBackend(a: BackendRef, b: BackendRef): boolean {
  if (a.namespace !== b.namespace) return false;
  if ('service' in a) {
    if (!('service' in b) || a.service.name !== b.service.name) return false;
    const p = a.service.port;
    const q = b.service.port;
    return 'number' in p ? 'number' in q && p.number === q.number : 'name' in q && p.name === q.name;
  }
  if (!('resource' in b)) return false;
  return a.resource.apiGroup === b.resource.apiGroup && a.resource.kind === b.resource.kind && a.resource.name === b.resource.name;
}

/** One host's rules, merged across its Ingresses (oldest first), and its path matcher. */
interface HostPart {
  /** The Ingresses it was made of, in age order. */
  readonly ingresses: readonly Ingress[];
  /** Each one's entries for this host, in the same order: a later compile keeps the part when they are the same arrays. */
  readonly entryLists: ReadonlyArray<readonly HostEntry[]>;
  readonly rules: readonly CompiledRule[];
  readonly matcher: PathMatcher;
  /** Its conflicts. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * One host's rules and matcher, a unit of steps per `PATHS_PER_STEP` paths: one host with
 * thousands of paths is not one block of a sliced compile. (A `pathMatcher` of your own builds
 * in one piece: its factory takes all the rules at once.)
 */
function* compileHost(ingresses: readonly Ingress[], entryLists: ReadonlyArray<readonly HostEntry[]>, ages: Ages, createMatcher: PathMatcherFactory): Steps<HostPart> {
  const diagnostics: Diagnostic[] = [];
  const set = new RuleSet(ages);
  let added = 0;
  for (let k = 0; k < ingresses.length; k++) {
    const ingress = ingresses[k]!;
    const entries = entryLists[k]!;
    for (let e = 0; e < entries.length; e++) {
      if (++added % PATHS_PER_STEP === 0) yield;
      set.add(entries[e]!, ingress, diagnostics);
    }
  }
  const pathRules = set.pathRules();
  const matcher = createMatcher === createSegmentTrieMatcher ? yield* segmentTrieSteps(pathRules, PATHS_PER_STEP) : createMatcher(pathRules);
  return { ingresses, entryLists, rules: set.rules, matcher, diagnostics };
}

/**
 * `known` with the entries its Ingresses no longer have taken out of its path matcher and their
 * new ones put in (`segmentTrieWithChanges`, a few nodes copied), when the host had no conflict
 * and gets none: its rules are then every entry, oldest Ingress first, as `compileHost` makes
 * them. `ingresses`: `known`'s, in its order, some read again. Undefined (build the host
 * whole) when it had a conflict or gets one.
 */
function hostWithChangedPaths(known: HostPart, ingresses: readonly Ingress[], entryLists: ReadonlyArray<readonly HostEntry[]>): HostPart | undefined {
  if (known.diagnostics.length > 0 || known.entryLists.length !== entryLists.length) return undefined;
  const removed: PathRule[] = [];
  const added: PathRule[] = [];
  for (let k = 0; k < entryLists.length; k++) {
    const now = entryLists[k]!;
    const then = known.entryLists[k]!;
    if (now === then) continue;
    // Entries kept from the compile before are the same objects (`ingressPart`).
    const stay = new Set(now);
    for (const entry of then) if (!stay.has(entry)) removed.push({ path: entry.matchKey, kind: entry.kind, route: entry.route });
    const were = new Set(then);
    for (const entry of now) if (!were.has(entry)) added.push({ path: entry.matchKey, kind: entry.kind, route: entry.route });
  }
  const matcher = segmentTrieWithChanges(known.matcher, removed, added);
  if (matcher === undefined) return undefined;
  return { ingresses, entryLists, rules: entryLists.flat(), matcher, diagnostics: [] };
}

/**
 * `known`, when the host's Ingresses contribute the same entry arrays in the same order: as
 * is when they are the same objects, else with them as its Ingresses. Undefined (build it again)
 * when an array differs, or when an Ingress is another object and the host has conflicts: their
 * diagnostics point at the Ingress's lines and name its age, which may have changed.
 */
function keptHost(known: HostPart, now: readonly Ingress[], entryLists: ReadonlyArray<readonly HostEntry[]>): HostPart | undefined {
  if (known.ingresses.length !== now.length) return undefined;
  let i = 0;
  while (i < now.length && now[i] === known.ingresses[i]) i++;
  if (i === now.length) return known;
  // An Ingress read again (or another in its place): kept when every one gives the same entry arrays.
  if (known.diagnostics.length > 0) return undefined;
  for (; i < now.length; i++) if (entryLists[i] !== known.entryLists[i]) return undefined;
  return { ...known, ingresses: now };
}

/** What a compile keeps for the next (`CompileOptions.previous`), by the table it made. */
const COMPILED = new WeakMap<RouteTable, IngressCompileState>();

class IngressCompileState {
  readonly selection = new Map<Ingress, Selection>();
  /** The Ingress half: each accepted Ingress's part and each host's, at their indexes. */
  half: IngressHalf | undefined = undefined;
  /** The parts by Ingress, by `namespace/name` and by host: made when first asked for away from the index. */
  private partByIngress: Map<Ingress, IngressPart> | undefined;
  private partById: Map<string, IngressPart> | undefined;
  private hostPartByHost: Map<string, HostPart> | undefined;
  gatewayApi: CompiledGatewayApi | undefined = undefined;
  gatewayDiagnostics: Diagnostic[] = [];
  /** The Gateway API part's per-object work, for a later compile whose Gateway API inputs differ. */
  gatewayReuse: GatewayApiReuse | undefined = undefined;

  /** The options this compile read, but `previous`: kept whole, every state would hold all the ones before it. */
  private readonly options: Omit<CompileOptions, 'previous'>;

  constructor(
    options: CompileOptions,
    private readonly createMatcher: PathMatcherFactory,
  ) {
    const { previous: _previous, ...read } = options;
    this.options = read;
  }

  /** The part `ingress` had here (`index`: where to look first, its index in the compile asking). */
  partOf(ingress: Ingress, index: number): IngressPart | undefined {
    const half = this.half!;
    if (half.accepted[index]?.ingress === ingress) return half.parts[index];
    this.partByIngress ??= new Map(half.accepted.map((one, i) => [one.ingress, half.parts[i]!]));
    return this.partByIngress.get(ingress);
  }

  /** The part of the Ingress that was `id` here: an Ingress read again keeps the entries that did not change. */
  partOfId(id: string, index: number): IngressPart | undefined {
    const half = this.half!;
    if (half.accepted[index]?.id === id) return half.parts[index];
    this.partById ??= new Map(half.accepted.map((one, i) => [one.id, half.parts[i]!]));
    return this.partById.get(id);
  }

  /** The part `host` had here (`index`: where to look first). */
  hostPartOf(host: string, index: number): HostPart | undefined {
    const half = this.half!;
    if (half.hostOrder[index] === host) return half.hostParts[index];
    this.hostPartByHost ??= new Map(half.hostOrder.map((one, i) => [one, half.hostParts[i]!]));
    return this.hostPartByHost.get(host);
  }

  /** Compiled for the same IngressClass scope with the same path matcher: its per-Ingress and per-host work holds. */
  sameScope(options: CompileOptions, createMatcher: PathMatcherFactory): boolean {
    const before = this.options;
    return options.ingressClass === before.ingressClass && sameObjects(options.ingressClasses ?? [], before.ingressClasses ?? []) && createMatcher === this.createMatcher;
  }

  /** Every input of the Gateway API part is the same as then (the same objects, the same scope). */
  sameGatewayInputs(options: CompileOptions): boolean {
    const before = this.options;
    const lists = ['gateways', 'httpRoutes', 'grpcRoutes', 'gatewayClasses', 'referenceGrants', 'namespaces', 'secrets', 'services', 'gatewayNames'] as const;
    for (const list of lists) {
      const a = options[list];
      const b = before[list];
      if ((a === undefined) !== (b === undefined) || (a !== undefined && !sameObjects(a, b!))) return false;
    }
    return options.gatewayClass === before.gatewayClass && options.controllerName === before.controllerName;
  }
}

/**
 * Oldest first: creationTimestamp (missing: newest), then "namespace/name" ascending as one
 * string, as ingress-nginx and the Gateway API break ties.
 */
function byAge(a: AcceptedIngress, b: AcceptedIngress): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function makeRoute(
  backends: BackendInterner,
  ingress: IngressRef,
  backend: IngressBackend,
  field: string,
  host: string | undefined,
  path: string | undefined,
  pathType: PathType | undefined,
): Route {
  const ref = backends.intern(ingress.namespace, backend);
  return Object.freeze({
    backend: ref,
    backendKey: backendKey(ref),
    host,
    path,
    pathType,
    origin: Object.freeze({ kind: 'Ingress' as const, namespace: ingress.namespace, name: ingress.name }),
    field,
    isDefaultBackend: path === undefined,
    rule: undefined,
    backendFilters: undefined,
  });
}

function diagnostic(ingress: Ingress, code: Diagnostic['code'], severity: Diagnostic['severity'], field: string, message: string): Diagnostic {
  const source = manifestSourceOf(ingress, field);
  return { code, severity, object: objectName(ingress?.metadata), field, message, ...(source ? { source } : {}) };
}

function conflictDiagnostic(
  code: 'SWY_ROUTE_CONFLICT' | 'SWY_ROUTE_DEFAULT_BACKEND_CONFLICT',
  loserIngress: Ingress,
  loser: Route,
  winner: Route,
  what: string,
  ages: Ages,
): Diagnostic {
  const source = manifestSourceOf(loserIngress, loser.field);
  const winnerName = `${winner.origin.namespace}/${winner.origin.name}`;
  const loserName = `${loser.origin.namespace}/${loser.origin.name}`;
  const rule = loser.isDefaultBackend ? '' : ` (host ${loser.host ?? '<any>'}, ${loser.pathType} ${loser.path})`;
  return {
    code,
    severity: 'warning',
    object: loserName,
    field: loser.field,
    message: `${loserName} ${loser.field}${rule}: ${what} ${winnerName} ${winner.field}, ${winnerName === loserName ? 'which is listed first' : whyFirst(ages.get(winnerName), ages.get(loserName))}; this one is ignored`,
    related: { object: winnerName, field: winner.field },
    ...(source ? { source } : {}),
  };
}

/** Why the winner of a conflict won: it is older, or (same creation time, or none) its namespace/name sorts first. */
function whyFirst(winnerCreatedAt: number | undefined, loserCreatedAt: number | undefined): string {
  if (winnerCreatedAt !== loserCreatedAt) return 'which is older';
  const tie = winnerCreatedAt === Number.POSITIVE_INFINITY ? 'neither has a creationTimestamp' : 'same creation time';
  return `which comes first by namespace/name (${tie})`;
}

function checkOptions(options: CompileOptions): void {
  if (typeof options !== 'object' || options === null || !Array.isArray(options.ingresses)) {
    throw new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'compile(options): options.ingresses must be an array of Ingress objects', { field: 'ingresses' });
  }
  if (options.ingressClass !== undefined && (typeof options.ingressClass !== 'string' || options.ingressClass === '')) {
    throw new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'compile(options): options.ingressClass must be a non-empty string', { field: 'ingressClass' });
  }
  if (options.controllerName !== undefined && (typeof options.controllerName !== 'string' || options.controllerName === '')) {
    throw new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'compile(options): options.controllerName must be a non-empty string', { field: 'controllerName' });
  }
  if (options.ingressClasses !== undefined && !Array.isArray(options.ingressClasses)) {
    throw new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'compile(options): options.ingressClasses must be an array', { field: 'ingressClasses' });
  }
  if (options.version !== undefined && !Number.isSafeInteger(options.version)) {
    throw new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'compile(options): options.version must be an integer', { field: 'version' });
  }
  if (options.pathMatcher !== undefined && typeof options.pathMatcher !== 'function') {
    throw new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'compile(options): options.pathMatcher must be a function', { field: 'pathMatcher' });
  }
  if (options.validated !== undefined && (typeof options.validated !== 'object' || options.validated === null || typeof options.validated.get !== 'function')) {
    throw new SwitchyardError('SWY_COMPILE_INVALID_OPTIONS', 'compile(options): options.validated must have a get(ingress) method (a WeakMap will do)', { field: 'validated' });
  }
}
