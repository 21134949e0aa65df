import type { KubernetesObject } from '@switchyard/core';
import { Backoff, type BackoffOptions } from './backoff.js';
import { KubeError, isKubeError } from './errors.js';
import { KubeApiError, kubeGet, kubeGetJson, type KubeConnection } from './kube-client.js';
import { asKubeError, logKubeError } from './kube-error-report.js';
import { ndjsonLines } from './ndjson-lines.js';

export interface ReflectorOptions {
  readonly connection: KubeConnection;
  /** The collection's API path: `/apis/networking.k8s.io/v1/ingresses`, `/api/v1/namespaces/shop/services`. */
  readonly path: string;
  /**
   * `apiVersion` and `kind` of the collection's objects: a LIST leaves them out of its items,
   * so the reflector writes them in, and every object in the store says what it is.
   */
  readonly objectType?: { readonly apiVersion: string; readonly kind: string };
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Items per LIST page. Default 500. */
  readonly pageSize?: number;
  /** A watch asks the server to end it after this many seconds, jittered up to twice that. Default 300. */
  readonly watchTimeoutSeconds?: number;
  /** A watch with no event or bookmark for this long is taken for a dead connection and restarted. Default 90 s. */
  readonly inactivityTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  /** Called after every change to the store: one event, or a whole relist. */
  readonly onChange?: (change: ReflectorChange) => void;
  /** Called for every failure the loop recovers from; by default a line on stderr. The loop goes on by itself. */
  readonly onError?: (error: KubeError) => void;
  readonly random?: () => number;
}

export type ReflectorChange = { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: KubernetesObject } | { readonly type: 'RELISTED' };

/** What the loop is doing, for logs and an admin endpoint. */
export interface ReflectorStatus {
  readonly synced: boolean;
  readonly resourceVersion: string | undefined;
  readonly lists: number;
  readonly watches: number;
  readonly consecutiveFailures: number;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: number } | undefined;
}

const DEFAULTS = { pageSize: 500, watchTimeoutSeconds: 300, inactivityTimeoutMs: 90_000, backoff: { initialMs: 800, maxMs: 30_000 } } as const;
/** A watch shorter than this that brought nothing counts as a failure. */
const MIN_WATCH_MS = 1_000;
/** After this many watch failures in a row, list again instead of resuming. */
const RELIST_AFTER_FAILURES = 3;

/** Failures after which the loop lists again instead of resuming. */
function isGone(error: unknown): boolean {
  return isKubeError(error, 'SWY_KUBE_WATCH_EXPIRED') || isKubeError(error, 'SWY_KUBE_RESOURCE_VERSION_BACKWARDS');
}

interface ListResponse {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubernetesObject[];
}

interface WatchEvent {
  type?: string;
  object?: KubernetesObject & { code?: number; reason?: string; message?: string };
}

/**
 * Keeps a local copy of one collection in step with the API server, in the manner of
 * client-go's reflector, and never stops until `stop()`: LIST (paged), then WATCH from the
 * list's resourceVersion with bookmarks on and a jittered `timeoutSeconds`; a watch that
 * ends is resumed from the last resourceVersion seen; 410 Gone (as an HTTP status or an
 * in-stream ERROR event) means relist; a stream that goes silent past the inactivity deadline
 * (a half-open connection) is dropped and resumed; every other failure is retried with
 * exponential backoff and jitter (honouring Retry-After), and reported through `onError`.
 * The store keeps serving its last good state throughout.
 */
export class Reflector {
  /** The objects, by `namespace/name` (or `name` when cluster-scoped). */
  readonly store = new Map<string, KubernetesObject>();
  private readonly options: ReflectorOptions;
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private resourceVersion: string | undefined;
  private running: Promise<void> | undefined;
  private lists = 0;
  private watches = 0;
  private failures = 0;
  private lastError: ReflectorStatus['lastError'];
  private syncedFlag = false;
  /** True from a list until the first watch event after it. */
  private freshList = false;
  /** The server's history went back (etcd restored): a resourceVersion held may now name other content. */
  private historyReset = false;
  private readonly syncedPromise: Promise<void>;
  private resolveSynced!: () => void;

  constructor(options: ReflectorOptions) {
    this.options = options;
    this.backoff = new Backoff(options.backoff ?? DEFAULTS.backoff, options.random);
    this.syncedPromise = new Promise((resolve) => (this.resolveSynced = resolve));
  }

  /** Starts the loop (once). */
  start(): this {
    this.running ??= this.run();
    return this;
  }

  /** Resolves after the first complete LIST. */
  synced(): Promise<void> {
    return this.syncedPromise;
  }

  status(): ReflectorStatus {
    return { synced: this.syncedFlag, resourceVersion: this.resourceVersion, lists: this.lists, watches: this.watches, consecutiveFailures: this.failures, lastError: this.lastError };
  }

  /** Ends the loop and any request in flight. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    let needList = true;
    while (!this.stopped) {
      try {
        if (needList) {
          await this.list();
          needList = false;
        }
        await this.watch();
      } catch (caught) {
        if (this.stopped) return;
        const error = asKubeError(caught, this.options.path);
        this.report(error);
        const gone = isGone(error);
        if (isKubeError(error, 'SWY_KUBE_RESOURCE_VERSION_BACKWARDS')) this.historyReset = true;
        if (gone || ++this.failures >= RELIST_AFTER_FAILURES) {
          needList = true;
          // Relist at once, as the server asked; but a 410 on the list's own resourceVersion
          // means relisting does not help yet, so that one waits like any failure.
          if (gone && !this.freshList) continue;
        }
        const retryAfter = error instanceof KubeApiError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
        await this.sleep(Math.max(retryAfter, this.backoff.next()));
      }
    }
  }

  private async list(): Promise<void> {
    const items: KubernetesObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const query: Record<string, string> = { limit: String(this.options.pageSize ?? DEFAULTS.pageSize), ...this.selectors() };
      if (continueToken) query.continue = continueToken;
      let page: ListResponse;
      try {
        page = await kubeGetJson<ListResponse>(this.options.connection, this.options.path, query, this.abort.signal);
      } catch (error) {
        // An expired continue token: start the list over (the error is not a failure of the server).
        if (continueToken && error instanceof KubeApiError && error.status === 410) {
          items.length = 0;
          continueToken = undefined;
          continue;
        }
        throw error;
      }
      items.push(...(page.items ?? []));
      continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion;
    } while (continueToken);
    // A relist hands out a new object for every item, changed or not; keeping the one held when
    // it is the same version lets consumers that reuse work by object identity (an incremental
    // compile) redo only what changed, rather than everything after every relist.
    const reuse = !this.historyReset && resourceVersion !== undefined && !wentBackwards(resourceVersion, this.resourceVersion);
    const next = new Map<string, KubernetesObject>();
    for (const item of items) {
      const key = keyOf(item);
      const held = reuse ? this.store.get(key) : undefined;
      next.set(key, held !== undefined && sameVersion(held, item) ? held : this.typed(item));
    }
    this.store.clear();
    for (const [key, object] of next) this.store.set(key, object);
    this.historyReset = false;
    this.failures = 0;
    this.resourceVersion = resourceVersion;
    this.lists++;
    this.freshList = true;
    if (!this.syncedFlag) {
      this.syncedFlag = true;
      this.resolveSynced();
    }
    this.options.onChange?.({ type: 'RELISTED' });
  }

  private async watch(): Promise<void> {
    const controller = new AbortController();
    const onStop = () => controller.abort();
    this.abort.signal.addEventListener('abort', onStop, { once: true });
    // stop() may have come between the list and here, when no listener could hear it.
    if (this.stopped) controller.abort();
    const inactivityMs = this.options.inactivityTimeoutMs ?? DEFAULTS.inactivityTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let inactive = false;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        inactive = true;
        controller.abort();
      }, inactivityMs);
    };
    const minTimeout = this.options.watchTimeoutSeconds ?? DEFAULTS.watchTimeoutSeconds;
    const random = this.options.random ?? Math.random;
    const query: Record<string, string> = {
      watch: 'true',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(Math.round(minTimeout * (1 + random()))),
      ...this.selectors(),
      ...(this.resourceVersion ? { resourceVersion: this.resourceVersion } : {}),
    };
    const started = Date.now();
    let lines = 0;
    try {
      arm();
      const response = await kubeGet(this.options.connection, this.options.path, query, controller.signal);
      this.watches++;
      for await (const line of ndjsonLines(response)) {
        arm();
        lines++;
        this.apply(parseEvent(line));
        this.freshList = false;
        this.failures = 0;
        this.backoff.reset();
      }
      // A watch the server ends at once, empty, is a fault (a proxy cutting it): back off rather than spin.
      if (lines === 0 && Date.now() - started < MIN_WATCH_MS && !this.stopped) {
        throw new KubeError('SWY_KUBE_WATCH_ENDED_AT_ONCE', `watch ${this.options.path} ended at once with no event`);
      }
    } catch (error) {
      if (inactive && !this.stopped) throw new KubeError('SWY_KUBE_WATCH_INACTIVE', `watch ${this.options.path} was silent for ${inactivityMs} ms; reconnecting`);
      if (error instanceof KubeApiError && error.status === 410) throw new KubeError('SWY_KUBE_WATCH_EXPIRED', `watch ${this.options.path}: ${error.message}; relisting`, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', onStop);
    }
  }

  private apply(event: WatchEvent): void {
    const object = event.object;
    if (event.type === 'ERROR') {
      if (object?.code === 410) throw new KubeError('SWY_KUBE_WATCH_EXPIRED', `watch ${this.options.path}: ${object.message ?? 'resourceVersion expired'}; relisting`);
      throw new KubeError('SWY_KUBE_WATCH_BAD_EVENT', `watch ${this.options.path}: ERROR event ${object?.code ?? ''} ${object?.reason ?? ''} ${object?.message ?? ''}`.trim());
    }
    const resourceVersion = object?.metadata?.resourceVersion;
    if (resourceVersion && wentBackwards(resourceVersion, this.resourceVersion)) {
      // The server's history restarted below us (etcd restored from a backup): what we hold may be gone.
      throw new KubeError('SWY_KUBE_RESOURCE_VERSION_BACKWARDS', `watch ${this.options.path}: resourceVersion went back from ${this.resourceVersion} to ${resourceVersion}; relisting`);
    }
    if (event.type === 'BOOKMARK') {
      if (resourceVersion) this.resourceVersion = resourceVersion;
      return;
    }
    if (!object || (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED')) {
      throw new KubeError('SWY_KUBE_WATCH_BAD_EVENT', `watch ${this.options.path}: unexpected event ${JSON.stringify(event).slice(0, 200)}`);
    }
    if (event.type === 'DELETED') this.store.delete(keyOf(object));
    else this.store.set(keyOf(object), this.typed(object));
    if (resourceVersion) this.resourceVersion = resourceVersion;
    this.options.onChange?.({ type: event.type, object });
  }

  private typed(object: KubernetesObject): KubernetesObject {
    const type = this.options.objectType;
    if (type === undefined || (object.apiVersion && object.kind)) return object;
    return { ...object, apiVersion: type.apiVersion, kind: type.kind };
  }

  private selectors(): Record<string, string> {
    return {
      ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
      ...(this.options.fieldSelector ? { fieldSelector: this.options.fieldSelector } : {}),
    };
  }

  private report(error: KubeError): void {
    this.lastError = { code: error.code, message: error.message, at: Date.now() };
    (this.options.onError ?? logKubeError)(error);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

function parseEvent(line: string): WatchEvent {
  try {
    return JSON.parse(line) as WatchEvent;
  } catch {
    throw new KubeError('SWY_KUBE_WATCH_BAD_EVENT', `watch stream sent a line that is not JSON: ${JSON.stringify(line.slice(0, 100))}`);
  }
}

/**
 * resourceVersions are opaque by contract, but every API server hands out etcd revisions,
 * which only grow; a smaller one from the same watch means the history was reset.
 */
function wentBackwards(next: string, current: string | undefined): boolean {
  if (current === undefined || !DECIMAL.test(next) || !DECIMAL.test(current)) return false;
  return next.length < current.length || (next.length === current.length && next < current);
}

const DECIMAL = /^[0-9]+$/;

/** The same object at the same version: the same uid and resourceVersion (both present). */
function sameVersion(held: KubernetesObject, listed: KubernetesObject): boolean {
  const a = held.metadata;
  const b = listed.metadata;
  return a?.resourceVersion !== undefined && a.resourceVersion === b?.resourceVersion && a.uid === b.uid;
}

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function keyOf(object: KubernetesObject): string {
  const { namespace, name } = object.metadata ?? {};
  return namespace ? `${namespace}/${name}` : (name ?? '');
}
