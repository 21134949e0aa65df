import type { Diagnostic } from '../diagnostics.js';
import type { Steps } from '../steps.js';
import { attachRoute, type Attachment } from './attachment.js';
import type { HTTPRouteStatus } from './conditions.js';
import type { AttachmentEntry, GatewayApiReuse } from './gateway-api-reuse.js';
import type { CompiledRoute } from './http-route-rules.js';
import type { ResolvedGateway } from './listeners.js';
import type { Namespace } from './model.js';
import { RouteKindClaims } from './route-kind-claims.js';

/** Every route's attachments in route order, and the status of each route that names a served Gateway. */
export interface AttachedRoutes {
  readonly attachments: readonly Attachment[];
  readonly httpRoutes: readonly HTTPRouteStatus[];
  readonly grpcRoutes: readonly HTTPRouteStatus[];
}

/**
 * Attaches the compiled routes, oldest first (the order the HTTPRoute/GRPCRoute hostname rule
 * accepts them in), one step per route attached. With `known` (the last compile's, when its
 * listeners were made of the same objects), a route it attached uncontested is attached the same
 * way again without being worked out, unless a route of the other kind now claims one of its
 * listener hostnames: then it is attached afresh, as a compile without `known` would. What this
 * compile attached uncontested goes to `now`.
 */
export function* attachRoutes(
  compiledRoutes: readonly CompiledRoute[],
  gateways: ReadonlyMap<string, ResolvedGateway>,
  /** Every route's namespace among them. */
  namespaces: ReadonlyMap<string, Namespace>,
  diagnostics: Diagnostic[],
  known: GatewayApiReuse | undefined,
  now: GatewayApiReuse | undefined,
): Steps<AttachedRoutes> {
  const attachments: Attachment[] = [];
  const claims = new RouteKindClaims();
  const httpRoutes: HTTPRouteStatus[] = [];
  const grpcRoutes: HTTPRouteStatus[] = [];
  for (const compiled of compiledRoutes) {
    const last = known?.attachments.get(compiled);
    let entry: AttachmentEntry;
    let contested = false;
    const reused = last !== undefined && reattach(compiled, last, gateways, claims, attachments);
    if (reused) entry = last;
    else {
      const own: Diagnostic[] = [];
      const attached = attachRoute(compiled, gateways, namespaces, claims, own);
      for (const attachment of attached.attachments) attachments.push(attachment);
      contested = attached.contested;
      entry = {
        attached: attached.attachments.map(({ listener, hostnames }) => ({ gateway: listener.gatewayName, listener: listener.index, hostnames })),
        status: attached.parents.length === 0 ? undefined : { route: compiled.id, parents: attached.parents },
        diagnostics: own,
      };
    }
    if (entry.diagnostics.length > 0) diagnostics.push(...entry.diagnostics);
    if (entry.status !== undefined) (compiled.kind === 'GRPCRoute' ? grpcRoutes : httpRoutes).push(entry.status);
    if (!contested) now?.attachments.set(compiled, entry);
    if (!reused) yield;
  }
  return { attachments, httpRoutes, grpcRoutes };
}

/**
 * Attaches `compiled` as `entry` says, to this compile's listeners, and claims its hostnames;
 * false, with nothing attached or claimed, when a route of the other kind holds one of them.
 */
function reattach(compiled: CompiledRoute, entry: AttachmentEntry, gateways: ReadonlyMap<string, ResolvedGateway>, claims: RouteKindClaims, attachments: Attachment[]): boolean {
  const count = attachments.length;
  for (const { gateway, listener: index, hostnames } of entry.attached) {
    const listener = gateways.get(gateway)!.listeners[index]!;
    if (claims.conflict(listener, compiled.kind, hostnames) !== undefined) {
      attachments.length = count;
      return false;
    }
    attachments.push({ route: compiled, listener, hostnames });
  }
  for (let i = count; i < attachments.length; i++) claims.claim(attachments[i]!.listener, compiled.kind, compiled.id, attachments[i]!.hostnames);
  return true;
}
