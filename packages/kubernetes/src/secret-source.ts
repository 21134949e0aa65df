import { TLS_SECRET_TYPE, type Secret } from '@switchyard/core';
import { Coalescer } from './coalesce.js';
import { collectionPath } from './collection-path.js';
import type { ReflectorStatus } from './reflector.js';
import { ReflectorGroup, type SharedCollection } from './shared-collection.js';
import type { KubeSourceOptions } from './source-options.js';
import { startReflector } from './start-reflector.js';

const DEFAULT_DEBOUNCE_MS = 100;
/** Only TLS Secrets are listed and watched: the API server filters, so other Secrets never reach this process. */
const TLS_FIELD_SELECTOR = `type=${TLS_SECRET_TYPE}`;

/**
 * The cluster's `kubernetes.io/tls` Secrets, for a `CertificateStore`: one reflector per
 * namespace (or one cluster-wide) lists and watches them with a `type` field selector; any
 * change hands the whole current set to the subscribers, debounced and coalesced as
 * `IngressSource` does. While the API server is unreachable the last set stays.
 */
export class SecretSource {
  private readonly reflectors: ReflectorGroup;
  private readonly coalescer: Coalescer;
  private readonly subscribers = new Set<(secrets: Secret[]) => void>();
  private last: Secret[] | undefined;

  constructor(options: KubeSourceOptions) {
    this.coalescer = new Coalescer(() => this.publish(), options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    const changed = () => this.coalescer.schedule();
    this.reflectors = new ReflectorGroup('secrets', (onSecrets) =>
      (options.namespaces ?? [undefined]).map((namespace) =>
        startReflector(options, collectionPath('/api/v1', 'secrets', namespace), { apiVersion: 'v1', kind: 'Secret' }, onSecrets, { fieldSelector: TLS_FIELD_SELECTOR }),
      ),
    );
    this.reflectors.onChange(changed);
  }

  /** Calls `onSecrets` with the current Secrets, if any yet, and with every new set. Returns unsubscribe. */
  subscribe(onSecrets: (secrets: Secret[]) => void): () => void {
    this.subscribers.add(onSecrets);
    if (this.last) onSecrets(this.last);
    return () => this.subscribers.delete(onSecrets);
  }

  /** The latest set, once `ready()` resolved. */
  current(): Secret[] | undefined {
    return this.last;
  }

  /** The TLS Secrets watched here, for another source that needs them (a `GatewayApiSource`): one watch, not two. */
  sharedSecrets(): SharedCollection {
    return this.reflectors;
  }

  /** Resolves with the first set, from complete lists. */
  async ready(): Promise<Secret[]> {
    await this.reflectors.synced();
    this.coalescer.flush();
    return (this.last ??= this.snapshot());
  }

  status(): Record<string, ReflectorStatus> {
    return this.reflectors.status();
  }

  async close(): Promise<void> {
    this.coalescer.cancel();
    this.subscribers.clear();
    await this.reflectors.stop();
  }

  private publish(): void {
    if (!this.reflectors.isSynced()) return;
    this.last = this.snapshot();
    for (const subscriber of this.subscribers) subscriber(this.last);
  }

  private snapshot(): Secret[] {
    return this.reflectors.objects() as Secret[];
  }
}
