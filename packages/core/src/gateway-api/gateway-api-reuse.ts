import type { Diagnostic } from '../diagnostics.js';
import type { Service } from '../discovery/kubernetes-types.js';
import type { Secret } from '../secret.js';
import { sameObjects } from '../same-objects.js';
import type { HTTPRouteStatus } from './conditions.js';
import type { CompiledRoute } from './http-route-rules.js';
import type { PathIndex } from './path-index.js';
import type { Gateway, GatewayClass, GRPCRoute, HTTPRoute, Namespace, ReferenceGrant } from './model.js';
import type { Validated } from './validated.js';

/** A route's compiled rules, with the diagnostics compiling it gave. */
export interface CompiledRouteEntry {
  readonly compiled: CompiledRoute;
  readonly diagnostics: readonly Diagnostic[];
}

/** An object's validation, and its name (`namespace/name`, or `name`) for the duplicate check. */
export interface ValidationEntry<T> {
  readonly validated: Validated<T>;
  readonly id: string;
}

/**
 * One listener hostname's sealed path index, and the routes whose matches it was made of, in
 * the order added (a route's matches are its own: the same route object, the same matches).
 */
export interface PathIndexEntry {
  readonly routes: readonly CompiledRoute[];
  readonly index: PathIndex;
}

/**
 * What attaching one compiled route gave, to give again while its listeners are made of the same
 * objects: each attachment's listener by its Gateway (`namespace/name`) and its index in
 * `spec.listeners` (listeners are made again each compile), its status (none when it names no
 * served Gateway) and its diagnostics.
 * Kept only for a route whose attachment no other route's claim cut short (`RouteKindClaims`).
 */
export interface AttachmentEntry {
  readonly attached: readonly { readonly gateway: string; readonly listener: number; readonly hostnames: readonly string[] }[];
  readonly status: HTTPRouteStatus | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Everything the served listeners, and whether a route's namespace may attach to them, are made
 * of: the listener part of the Gateway API input (`GatewayApiObjects`).
 */
export interface ListenerContext {
  /** Serve the Gateways of this GatewayClass (narrowing `controllerName`'s classes when both are given); every Gateway when both are undefined. */
  readonly gatewayClass: string | undefined;
  /** Serve the Gateways of the classes (among `gatewayClassObjects`) whose `spec.controllerName` is this; from files: undefined. */
  readonly controllerName: string | undefined;
  /** Only these Gateways (`namespace/name`) of the class; all when undefined. */
  readonly gateways: readonly string[] | undefined;
  readonly gatewayClassObjects: readonly GatewayClass[];
  readonly gatewayObjects: readonly Gateway[];
  readonly referenceGrants: readonly ReferenceGrant[];
  readonly namespaces: readonly Namespace[];
  /** For HTTPS listeners' certificateRefs. */
  readonly secrets: readonly Secret[];
}

/** What a route's compiled rules and its attachment were made against: the listeners' objects, and the Services. */
export interface CompileContext extends ListenerContext {
  /** The Services given; undefined when backendRefs are not checked against Services. */
  readonly services: readonly Service[] | undefined;
}

function sameListenerContext(a: ListenerContext, b: ListenerContext): boolean {
  return (
    a.gatewayClass === b.gatewayClass &&
    a.controllerName === b.controllerName &&
    (a.gateways === undefined ? b.gateways === undefined : b.gateways !== undefined && sameObjects(a.gateways, b.gateways)) &&
    sameObjects(a.gatewayClassObjects, b.gatewayClassObjects) &&
    sameObjects(a.gatewayObjects, b.gatewayObjects) &&
    sameObjects(a.referenceGrants, b.referenceGrants) &&
    sameObjects(a.namespaces, b.namespaces) &&
    sameObjects(a.secrets, b.secrets)
  );
}

/**
 * What one compile's Gateway API part made per object, kept for the next compile
 * (`CompileOptions.previous`): each object's validation by the object as given (a validator
 * reads nothing else), and each route's compiled rules by its validated copy, which hold while
 * the ReferenceGrants and Services they were resolved against are the same objects; each
 * compiled route's attachment, which holds while the listeners are made of the same objects
 * (`ListenerContext`) and no claim of another route now cuts it short; and each listener
 * hostname's path index by listener and hostname, which holds while the same routes (a route
 * compiled again is a new object) are added in the same order. Holds only what this compile
 * used, so it never grows past one configuration.
 */
export class GatewayApiReuse {
  readonly validations = new Map<unknown, ValidationEntry<unknown>>();
  readonly routes = new Map<HTTPRoute | GRPCRoute, CompiledRouteEntry>();
  /** Kept while the listeners are made of the same objects. */
  readonly attachments = new Map<CompiledRoute, AttachmentEntry>();
  /** By `pathIndexKey`. */
  readonly paths = new Map<string, PathIndexEntry>();
  /** This compile's input, as what its routes were compiled against and its listeners made of. */
  input: CompileContext | undefined = undefined;

  /** The routes' compiled rules hold for these ReferenceGrants and Services. */
  sameRouteContext({ referenceGrants, services }: CompileContext): boolean {
    const last = this.input;
    if (last === undefined || (services === undefined) !== (last.services === undefined)) return false;
    return sameObjects(referenceGrants, last.referenceGrants) && (services === undefined || sameObjects(services, last.services!));
  }

  /** The routes' attachments hold for listeners made of `context`. */
  sameListeners(context: ListenerContext): boolean {
    return this.input !== undefined && sameListenerContext(this.input, context);
  }
}

/** The reuse of one compile: what the last one kept (if any), and what this one keeps. */
export interface GatewayReuseStep {
  readonly before: GatewayApiReuse | undefined;
  readonly now: GatewayApiReuse;
}

/** A listener hostname's key in `GatewayApiReuse.paths`. */
export function pathIndexKey(gateway: string, listener: string, port: number, hostname: string | undefined): string {
  return `${gateway} ${listener} ${port} ${hostname ?? '*'}`;
}
