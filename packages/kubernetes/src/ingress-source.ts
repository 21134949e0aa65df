import { compile, type CompileResult, type Ingress, type IngressClass } from '@switchyard/core';
import { Coalescer } from './coalesce.js';
import { collectionPath } from './collection-path.js';
import type { Reflector, ReflectorStatus } from './reflector.js';
import type { KubeSourceOptions } from './source-options.js';
import { startReflector } from './start-reflector.js';

const DEFAULT_DEBOUNCE_MS = 100;

export interface IngressSourceOptions extends KubeSourceOptions {
  /** The IngressClass this router serves (see `compile`); all Ingresses when omitted. IngressClasses are read cluster-wide. */
  readonly ingressClass?: string;
}

/**
 * Route tables from the cluster: Ingresses and IngressClasses kept by reflectors; any change
 * recompiles (debounced and coalesced) and hands the new table, with its diagnostics, to the
 * subscribers. While the API server is unreachable the reflectors keep their last state, so
 * the last good table keeps serving.
 */
export class IngressSource {
  // Named apart from the public `ingresses()`.
  private readonly ingressReflectors: Reflector[];
  private readonly classes: Reflector;
  private readonly coalescer: Coalescer;
  private readonly subscribers = new Set<(result: CompileResult) => void>();
  private readonly objectListeners = new Set<() => void>();
  private last: CompileResult | undefined;
  /** Objects changed since `last` was compiled, with nobody subscribed to compile for: `current()` compiles. */
  private stale = false;

  constructor(private readonly options: IngressSourceOptions) {
    this.coalescer = new Coalescer(() => this.recompile(), options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    const changed = () => this.coalescer.schedule();
    this.ingressReflectors = (options.namespaces ?? [undefined]).map((ns) =>
      startReflector(options, collectionPath('/apis/networking.k8s.io/v1', 'ingresses', ns), { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' }, changed),
    );
    this.classes = startReflector(options, '/apis/networking.k8s.io/v1/ingressclasses', { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass' }, changed);
  }

  /** Calls `onTable` with the current table, if any, and with every new one. */
  subscribe(onTable: (result: CompileResult) => void): () => void {
    this.subscribers.add(onTable);
    if (this.last) onTable(this.last);
    return () => this.subscribers.delete(onTable);
  }

  /**
   * Calls `listener` after every settled burst of changes, without compiling: for a caller
   * that compiles the Ingresses with more (the Gateway API) and reads `ingresses()` itself.
   * While only such listeners are subscribed, the source compiles nothing after `ready()`.
   */
  onObjectsChanged(listener: () => void): () => void {
    const entry = () => listener();
    this.objectListeners.add(entry);
    return () => this.objectListeners.delete(entry);
  }

  /** The table of the objects held now, once `ready()` resolved (compiled here when no subscriber had it compiled). */
  current(): CompileResult | undefined {
    if (this.stale) {
      this.stale = false;
      this.last = this.compileNow();
    }
    return this.last;
  }

  /** Resolves with the first table, compiled from complete lists. */
  async ready(): Promise<CompileResult> {
    await Promise.all([...this.ingressReflectors, this.classes].map((r) => r.synced()));
    this.coalescer.flush();
    return this.current() ?? (this.last = this.compileNow());
  }

  /** The Ingresses the reflectors hold now, all of them (for spec.tls: a `CertificateStore` applies the class scope itself). */
  ingresses(): Ingress[] {
    return this.ingressReflectors.flatMap((r) => [...r.store.values()]) as unknown as Ingress[];
  }

  /** The IngressClasses held now, for the same class scope as the tables (the default-class annotation). */
  ingressClasses(): IngressClass[] {
    return [...this.classes.store.values()] as unknown as IngressClass[];
  }

  status(): Record<string, ReflectorStatus> {
    return Object.fromEntries([...this.ingressReflectors.map((r, i) => [`ingresses#${i}`, r.status()] as const), ['ingressclasses', this.classes.status()] as const]);
  }

  async close(): Promise<void> {
    this.coalescer.cancel();
    this.subscribers.clear();
    this.objectListeners.clear();
    await Promise.all([...this.ingressReflectors, this.classes].map((r) => r.stop()));
  }

  private recompile(): void {
    if (![...this.ingressReflectors, this.classes].every((r) => r.status().synced)) return;
    for (const listener of this.objectListeners) listener();
    if (this.subscribers.size === 0) {
      this.stale = this.last !== undefined;
      return;
    }
    this.stale = false;
    this.last = this.compileNow();
    for (const subscriber of this.subscribers) subscriber(this.last);
  }

  private compileNow(): CompileResult {
    return compile({
      ingresses: this.ingresses(),
      ingressClasses: this.ingressClasses(),
      ...(this.options.ingressClass ? { ingressClass: this.options.ingressClass } : {}),
      // The watch caches keep the objects that did not change: only what did is compiled again.
      ...(this.last === undefined ? {} : { previous: this.last }),
    });
  }
}
