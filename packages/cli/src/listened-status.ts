import type { Condition, GatewayApiStatus, GatewayStatus, RouteTable } from '@switchyard/core';

/**
 * The compiler's Gateway API status with what only this process knows added: whether it listens
 * on each listener's port. A listener whose port is not listened on (below 1024 without a
 * `--bind`, or added after the start and waiting for a restart) is not `Programmed` (`Pending`,
 * with the reason), and a Gateway none of whose serving listeners is listened on is not either.
 * `kubectl get gateway` then tells the truth about traffic, not only about the configuration.
 */
export function withListenedPorts(table: RouteTable, notListened: ReadonlyMap<number, string>): GatewayApiStatus {
  const status = table.gatewayStatus;
  if (notListened.size === 0) return status;
  const portOf = new Map<string, { port: number; ready: boolean }>();
  for (const listener of table.gatewayApi?.listeners ?? []) portOf.set(`${listener.gatewayName}\n${listener.name}`, { port: listener.port, ready: listener.ready });
  return { ...status, gateways: status.gateways.map((gateway) => gatewayListened(gateway, portOf, notListened)) };
}

function gatewayListened(gateway: GatewayStatus, portOf: ReadonlyMap<string, { port: number; ready: boolean }>, notListened: ReadonlyMap<number, string>): GatewayStatus {
  let serving = 0;
  let changed = false;
  const listeners = gateway.listeners.map((listener) => {
    const placed = portOf.get(`${gateway.gateway}\n${listener.name}`);
    const why = placed === undefined ? undefined : notListened.get(placed.port);
    if (why === undefined) {
      if (placed?.ready) serving++;
      return listener;
    }
    changed = true;
    return { ...listener, conditions: replace(listener.conditions, { type: 'Programmed', status: 'False', reason: 'Pending', message: why }) };
  });
  if (!changed) return gateway;
  const conditions =
    serving > 0 ? gateway.conditions : replace(gateway.conditions, { type: 'Programmed', status: 'False', reason: 'Pending', message: 'no listener is listened on by this gateway process' });
  return { ...gateway, conditions, listeners };
}

function replace(conditions: readonly Condition[], next: Condition): Condition[] {
  const current = conditions.find((c) => c.type === next.type);
  // A listener that does not serve anyway (Invalid) keeps its own, more telling reason.
  if (current !== undefined && current.status === 'False') return [...conditions];
  return current === undefined ? [...conditions, next] : conditions.map((c) => (c === current ? next : c));
}
