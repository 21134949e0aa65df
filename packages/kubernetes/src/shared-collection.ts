import type { Reflector, ReflectorStatus } from './reflector.js';

/**
 * One kind's objects another source of this package already lists and watches, lent rather
 * than watched twice: `GatewayApiSource` reads the Services of a `KubernetesDiscovery` and the
 * TLS Secrets of a `SecretSource` through this. The owner starts and stops the watches.
 */
export interface SharedCollection {
  /** The objects held now, across the namespaces read. */
  objects(): readonly object[];
  /** Resolves once every list has completed. */
  synced(): Promise<void>;
  isSynced(): boolean;
  /** Tells `listener` of every change (not debounced: the listener coalesces). Returns unsubscribe. */
  onChange(listener: () => void): () => void;
  /** The state of each watch, for `status()`. */
  status(): Record<string, ReflectorStatus>;
}

/** The reflectors of one collection (one per namespace, or one cluster-wide), whose changes reach any number of listeners. */
export class ReflectorGroup implements SharedCollection {
  private readonly listeners = new Set<() => void>();
  readonly reflectors: readonly Reflector[];

  /** `start` gets the function each reflector calls on a change. */
  constructor(
    private readonly name: string,
    start: (changed: () => void) => Reflector[],
  ) {
    this.reflectors = start(() => {
      for (const listener of this.listeners) listener();
    });
  }

  objects(): object[] {
    return this.reflectors.flatMap((r) => [...r.store.values()]);
  }

  async synced(): Promise<void> {
    await Promise.all(this.reflectors.map((r) => r.synced()));
  }

  isSynced(): boolean {
    return this.reflectors.every((r) => r.status().synced);
  }

  onChange(listener: () => void): () => void {
    // A wrapper per subscription: the same function lent twice is two subscriptions.
    const entry = () => listener();
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  status(): Record<string, ReflectorStatus> {
    return Object.fromEntries(this.reflectors.map((r, i) => [`${this.name}#${i}`, r.status()] as const));
  }

  async stop(): Promise<void> {
    this.listeners.clear();
    await Promise.all(this.reflectors.map((r) => r.stop()));
  }
}
