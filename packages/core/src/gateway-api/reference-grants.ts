import { GATEWAY_API_GROUP, type ReferenceGrant } from './model.js';

/** One side of a cross-namespace reference. */
export interface ReferenceEnd {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
}

/**
 * The ReferenceGrants of a configuration: whether an object of one kind in one namespace may
 * refer to an object in another. A grant lives in the namespace of the target, lists the
 * kinds and namespaces it accepts references `from`, and the kinds (and optionally the name)
 * it allows `to`. References within one namespace need no grant.
 */
export class ReferenceGrants {
  private readonly byNamespace = new Map<string, ReferenceGrant[]>();

  constructor(grants: readonly ReferenceGrant[]) {
    for (const grant of grants) {
      const namespace = grant.metadata.namespace || 'default';
      let list = this.byNamespace.get(namespace);
      if (list === undefined) this.byNamespace.set(namespace, (list = []));
      list.push(grant);
    }
  }

  /** True when `from` may refer to the object `to` (named `toName` in `to.namespace`). */
  permits(from: ReferenceEnd, to: ReferenceEnd, toName: string): boolean {
    if (from.namespace === to.namespace) return true;
    for (const grant of this.byNamespace.get(to.namespace) ?? []) {
      const fromOk = (grant.spec?.from ?? []).some((entry) => entry.group === from.group && entry.kind === from.kind && entry.namespace === from.namespace);
      if (!fromOk) continue;
      const toOk = (grant.spec?.to ?? []).some((entry) => entry.group === to.group && entry.kind === to.kind && (entry.name === undefined || entry.name === '' || entry.name === toName));
      if (toOk) return true;
    }
    return false;
  }
}

/** The `from` end of a reference made by an HTTPRoute. */
export function httpRouteEnd(namespace: string): ReferenceEnd {
  return routeEnd('HTTPRoute', namespace);
}

/** The `from` end of a reference made by a route of `kind` (HTTPRoute, GRPCRoute). */
export function routeEnd(kind: 'HTTPRoute' | 'GRPCRoute', namespace: string): ReferenceEnd {
  return { group: GATEWAY_API_GROUP, kind, namespace };
}

/** The `from` end of a reference made by a Gateway (its certificateRefs). */
export function gatewayEnd(namespace: string): ReferenceEnd {
  return { group: GATEWAY_API_GROUP, kind: 'Gateway', namespace };
}
