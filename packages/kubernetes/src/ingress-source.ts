import { compile, compileInSlices, type CompileOptions, type CompileResult, type Ingress, type IngressClass } from '@switchyard/core';
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
 *
 * Compiles run in slices (`compileInSlices`), so a compile from scratch (the first, an
 * IngressClass change) never holds the event loop for long; one runs at a time, and a change
 * that comes during one is compiled after it, from the objects held then: the newest state
 * always ends up compiled and no table is handed out after a newer one.
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
  /** Counts the compiles started; `last` is the result of compile number `lastGeneration`. */
  private generation = 0;
  private lastGeneration = 0;
  /** The compile loop in flight, and whether the objects changed since its compile began. */
  private running: Promise<void> | undefined;
  private dirty = false;
  private readonly closing = new AbortController();

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
      // Synchronous, as callers of current() expect; with `previous`, only what changed is compiled.
      const generation = ++this.generation;
      this.keep(compile(this.compileOptions()), generation);
    }
    return this.last;
  }

  /** Resolves with the first table, compiled (in slices) from complete lists. */
  async ready(): Promise<CompileResult> {
    await Promise.all([...this.ingressReflectors, this.classes].map((r) => r.synced()));
    this.coalescer.flush();
    await this.running;
    if (this.last === undefined || this.stale) {
      this.stale = false;
      await this.compileSliced();
    }
    // Closed during that compile: the objects held still answer, compiled at once.
    if (this.last === undefined) this.keep(compile(this.compileOptions()), ++this.generation);
    return this.last!;
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
    this.closing.abort();
    await this.running;
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
    this.dirty = true;
    this.running ??= this.compileWhileDirty();
  }

  /** Compiles, hands the table out, and again while changes came meanwhile: one compile at a time. */
  private async compileWhileDirty(): Promise<void> {
    try {
      while (this.dirty && !this.closing.signal.aborted) {
        this.dirty = false;
        const result = await this.compileSliced();
        if (result !== undefined) for (const subscriber of this.subscribers) subscriber(result);
      }
    } finally {
      // In the same turn as the loop's last check: a change after it starts a new loop.
      this.running = undefined;
    }
  }

  /** A compile of the objects held now, in slices; kept as `last` and returned unless a newer one was kept meanwhile or the source closed. */
  private async compileSliced(): Promise<CompileResult | undefined> {
    const generation = ++this.generation;
    let result: CompileResult;
    try {
      result = await compileInSlices(this.compileOptions(), { signal: this.closing.signal });
    } catch (error) {
      if (this.closing.signal.aborted) return undefined;
      throw error;
    }
    return this.keep(result, generation) ? result : undefined;
  }

  /** Keeps `result` as `last` unless a compile started later was kept already. */
  private keep(result: CompileResult, generation: number): boolean {
    if (generation < this.lastGeneration) return false;
    this.lastGeneration = generation;
    this.last = result;
    return true;
  }

  private compileOptions(): CompileOptions {
    return {
      ingresses: this.ingresses(),
      ingressClasses: this.ingressClasses(),
      ...(this.options.ingressClass ? { ingressClass: this.options.ingressClass } : {}),
      // The watch caches keep the objects that did not change: only what did is compiled again.
      ...(this.last === undefined ? {} : { previous: this.last }),
    };
  }
}
