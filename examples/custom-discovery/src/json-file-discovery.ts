import { readFile } from 'node:fs/promises';
import { backendKey, EndpointSetStore, toEndpoint, type BackendRef, type Discovery, type EndpointInput, type EndpointSet } from '@switchyard/core';

export interface JsonFileDiscoveryOptions {
  /** A JSON file mapping backend keys (`namespace/service:port`) to endpoint lists. */
  readonly file: string;
  /** How often to read it again. Default 1 s. */
  readonly intervalMs?: number;
}

const DEFAULT_INTERVAL_MS = 1_000;

/**
 * A discovery backend a user writes: it polls a JSON file such as
 *
 *   { "shop/web:80": [{ "address": "10.0.0.1", "port": 8080 }] }
 *
 * and implements the one `Discovery` interface. `EndpointSetStore` (from core) does the
 * bookkeeping every backend shares: versions, pushing only changed sets, late watchers.
 * When the file cannot be read or parsed, the last good sets stay, marked stale, with a
 * problem saying why; a backend missing from the file gets an empty set.
 */
export class JsonFileDiscovery implements Discovery {
  private readonly store = new EndpointSetStore();
  private readonly timer: NodeJS.Timeout;
  private backends: Record<string, EndpointInput[]> = {};
  private readonly firstLoad: Promise<void>;
  private failing: { code: string; message: string; since: number } | undefined;

  constructor(private readonly options: JsonFileDiscoveryOptions) {
    this.firstLoad = this.poll();
    this.timer = setInterval(() => void this.poll(), options.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.timer.unref();
  }

  watch(backend: BackendRef, onChange: (set: EndpointSet) => void): () => void {
    const key = backendKey(backend);
    const first = !this.store.isWatched(key);
    const stop = this.store.subscribe(key, onChange);
    if (first) this.publish(key);
    return stop;
  }

  ready(): Promise<void> {
    return this.firstLoad;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.store.clear();
  }

  /** Reads the file now; the timer calls it, tests may too. */
  async poll(): Promise<void> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.options.file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the file must hold one JSON object');
      this.backends = parsed as Record<string, EndpointInput[]>;
      this.failing = undefined;
    } catch (error) {
      this.failing ??= { code: 'EXAMPLE_FILE_UNREADABLE', message: `${this.options.file}: ${(error as Error).message}`, since: Date.now() };
    }
    for (const key of this.store.watched()) this.publish(key);
  }

  private publish(key: string): void {
    this.store.publish(key, (this.backends[key] ?? []).map(toEndpoint), this.failing, this.failing !== undefined);
  }
}
