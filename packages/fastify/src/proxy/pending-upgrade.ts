import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { IncomingRequest } from './incoming-request.js';

/** What an upgrade request carries from the server's `upgrade` event into Fastify's routing. */
export interface PendingUpgrade {
  readonly socket: Duplex;
  readonly head: Buffer;
}

const PENDING_UPGRADE = Symbol('switchyard.pendingUpgrade');
type UpgradeRequest = IncomingMessage & { [PENDING_UPGRADE]?: PendingUpgrade };

/** Marks a request as an upgrade whose socket and head wait for the proxy's handler. */
export function markPendingUpgrade(request: IncomingMessage, pending: PendingUpgrade): void {
  (request as UpgradeRequest)[PENDING_UPGRADE] = pending;
}

/** The socket and head of an upgrade request that came through `routeUpgrade`, if it is one. */
export function pendingUpgradeOf(request: IncomingRequest): PendingUpgrade | undefined {
  return (request as Partial<UpgradeRequest>)[PENDING_UPGRADE];
}
