import { createBackendBalancer, type BackendBalancer, type RouteTable } from '@switchyard/core';
import type { ResolvedOptions } from '../options.js';

/**
 * One balancer per backend, made on the first request to it and kept across endpoint pushes
 * (so in-flight counts and ejections survive them). When the router swaps in a table that no
 * longer references a backend, its balancer goes too, so the map stays as large as the table.
 */
export class BackendBalancers {
  private readonly byBackend = new Map<string, BackendBalancer>();
  private seenTable: RouteTable;

  constructor(private readonly options: ResolvedOptions) {
    this.seenTable = options.router.table;
  }

  /** The balancer of a backend. O(1); a table swap since the last call prunes first. */
  of(backendKey: string): BackendBalancer {
    const table = this.options.router.table;
    if (table !== this.seenTable) this.prune(table);
    let balancer = this.byBackend.get(backendKey);
    if (balancer === undefined) {
      const policy = this.options.policies.get(backendKey) ?? this.options.defaultPolicy;
      const options = { outlierDetection: this.options.outlierDetection };
      balancer = this.options.createBalancer?.(backendKey, policy, options) ?? createBackendBalancer(policy, options);
      this.byBackend.set(backendKey, balancer);
    }
    return balancer;
  }

  /** The balancers alive now, by backend key (for metrics and tests). */
  entries(): IterableIterator<[string, BackendBalancer]> {
    return this.byBackend.entries();
  }

  private prune(table: RouteTable): void {
    this.seenTable = table;
    const watched = new Set(this.options.router.watchedBackends());
    for (const key of this.byBackend.keys()) if (!watched.has(key)) this.byBackend.delete(key);
  }
}
