import { GATEWAY_API_GROUP, type GatewayStatus } from '@switchyard/core';
import { mergeConditions } from './merge-conditions.js';
import { arrayOf, recordOf, stampOf } from './observed-status.js';
import { GATEWAY_CONDITION_TYPES, LISTENER_CONDITION_TYPES } from './owned-condition-types.js';
import type { GatewayStatusAddress, GatewayStatusDocument, ListenerStatusDocument, ObservedObject } from './status-documents.js';

/** What a Gateway's status document needs besides the compiler's status and the observed object. */
export interface GatewayDocumentOptions {
  /** The caller's clock: the `lastTransitionTime` of every condition whose status changes. */
  readonly now: Date;
  /** The addresses the Gateway is reachable at; when undefined, the observed `addresses` stay as they are. */
  readonly addresses?: readonly GatewayStatusAddress[] | undefined;
}

/**
 * The `.status` a Gateway should have: its conditions (Accepted, Programmed) merged into the
 * observed ones; one `listeners` entry per listener of the spec, in its order (the listener list is
 * the controller's: entries of listeners no longer in the spec go), each with `supportedKinds`
 * (group written out), `attachedRoutes` and its conditions merged into the observed listener's of
 * the same name; `addresses` when given. Fields Switchyard does not own are kept as observed.
 */
export function gatewayStatusDocument(status: GatewayStatus, observed: ObservedObject, options: GatewayDocumentOptions): GatewayStatusDocument {
  const { addresses: observedAddresses, ...current } = recordOf(observed.status);
  const stamp = stampOf(observed, options.now);
  const observedListeners = new Map<string, Readonly<Record<string, unknown>>>();
  for (const entry of arrayOf(current['listeners'])) {
    const listener = recordOf(entry);
    if (typeof listener['name'] === 'string' && !observedListeners.has(listener['name'])) observedListeners.set(listener['name'], listener);
  }
  const addresses = options.addresses?.map(({ type, value }) => ({ type, value })) ?? (Array.isArray(observedAddresses) ? (observedAddresses as GatewayStatusAddress[]) : undefined);
  const listeners = status.listeners.map(
    (listener): ListenerStatusDocument => ({
      name: listener.name,
      supportedKinds: listener.supportedKinds.map((kind) => ({ group: kind.group ?? GATEWAY_API_GROUP, kind: kind.kind })),
      attachedRoutes: listener.attachedRoutes,
      conditions: mergeConditions(listener.conditions, observedListeners.get(listener.name)?.['conditions'], LISTENER_CONDITION_TYPES, stamp),
    }),
  );
  return {
    ...current,
    ...(addresses === undefined ? {} : { addresses }),
    conditions: mergeConditions(status.conditions, current['conditions'], GATEWAY_CONDITION_TYPES, stamp),
    listeners,
  };
}
