import { randomUUID } from 'node:crypto';
import { sameJson, specChanged } from './generation.js';
import { findResourceType, resourceTypeOf, type ResourceType } from './resources.js';
import type { KubeObject, ObjectRef } from './types.js';

/** A change to one object, kept in the history so watches and paginated lists can be resumed. */
export interface StoreEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly resourceVersion: number;
  readonly resource: ResourceType;
  readonly key: string;
  /** After the change; for DELETED the last state stamped with the deletion's resourceVersion. */
  readonly object: KubeObject;
  /** Before the change; absent for ADDED. */
  readonly previous?: KubeObject;
}

/** Thrown when the state a caller asks about has been compacted away (the API server's 410 Expired). */
export class ExpiredError extends Error {
  override readonly name = 'ExpiredError';
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

/**
 * The fixture's etcd and watch cache in one: current objects, one resourceVersion counter
 * shared by every type (as etcd's revision is), and a bounded history of changes. Events
 * after `compactedAt` are all kept, so anything at or after it can be replayed exactly.
 */
export class ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  private history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private revision: number;
  private compactedAt: number;

  constructor(private readonly historyLimit: number, firstRevision: number) {
    this.revision = firstRevision;
    this.compactedAt = firstRevision;
  }

  /** The newest resourceVersion handed out. */
  get currentRevision(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch may resume from. */
  get oldestRevision(): number {
    return this.compactedAt;
  }

  /** Creates or updates; a no-op update changes nothing and emits nothing, as on the API server. */
  apply(input: KubeObject): KubeObject {
    const resource = resourceTypeOf(input.apiVersion, input.kind);
    if (!resource) throw new TypeError(`kube-api fixture: no served type for ${input.apiVersion} ${input.kind}`);
    if (!input.metadata?.name) throw new TypeError('kube-api fixture: metadata.name is required');
    const object = structuredClone(input);
    if (resource.namespaced) object.metadata.namespace ||= 'default';
    else delete object.metadata.namespace;
    const key = keyOf(resource, object.metadata.namespace, object.metadata.name);
    const previous = this.objects.get(key);
    if (previous) {
      object.metadata.uid = previous.metadata.uid!;
      object.metadata.creationTimestamp = previous.metadata.creationTimestamp!;
      object.metadata.generation = previous.metadata.generation ?? 1;
      object.metadata.resourceVersion = previous.metadata.resourceVersion!;
      if (sameJson(object, previous)) return structuredClone(previous);
      // Generation follows the desired state alone, never metadata or status.
      if (specChanged(previous, object)) object.metadata.generation += 1;
    } else {
      object.metadata.uid = randomUUID();
      object.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      object.metadata.generation = 1;
    }
    object.metadata.resourceVersion = String(++this.revision);
    this.objects.set(key, object);
    this.record(previous ? { type: 'MODIFIED', resourceVersion: this.revision, resource, key, object, previous } : { type: 'ADDED', resourceVersion: this.revision, resource, key, object });
    return structuredClone(object);
  }

  /** Deletes; returns whether the object existed. */
  remove(ref: ObjectRef): boolean {
    const { resource, key } = this.resolve(ref);
    const previous = this.objects.get(key);
    if (!previous) return false;
    this.objects.delete(key);
    const object = structuredClone(previous);
    object.metadata.resourceVersion = String(++this.revision);
    this.record({ type: 'DELETED', resourceVersion: this.revision, resource, key, object, previous });
    return true;
  }

  /** The current object, or undefined. */
  get(ref: ObjectRef): KubeObject | undefined {
    const { key } = this.resolve(ref);
    const object = this.objects.get(key);
    return object && structuredClone(object);
  }

  /** The objects of one type as they were at `revision` (the current state when omitted), ordered by key. */
  listAt(resource: ResourceType, revision?: number): KubeObject[] {
    const state = new Map<string, KubeObject>();
    for (const [key, object] of this.objects) if (key.startsWith(prefixOf(resource))) state.set(key, object);
    if (revision !== undefined && revision < this.revision) {
      if (revision < this.compactedAt) throw new ExpiredError(revision, this.compactedAt);
      // Undo the newer changes, newest first.
      for (let i = this.history.length - 1; i >= 0; i--) {
        const event = this.history[i]!;
        if (event.resourceVersion <= revision) break;
        if (event.resource !== resource) continue;
        if (event.previous) state.set(event.key, event.previous);
        else state.delete(event.key);
      }
    }
    return [...state.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, object]) => object);
  }

  /** The changes to `resource` after `revision`; throws ExpiredError when some were compacted away. */
  eventsAfter(resource: ResourceType, revision: number): StoreEvent[] {
    if (revision < this.compactedAt) throw new ExpiredError(revision, this.compactedAt);
    return this.history.filter((e) => e.resourceVersion > revision && e.resource === resource);
  }

  /** Calls `listener` with every change from now on; returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets the history up to `through` (the current revision when omitted). */
  compact(through = this.revision): void {
    this.compactedAt = Math.max(this.compactedAt, through);
    this.history = this.history.filter((e) => e.resourceVersion > this.compactedAt);
  }

  /**
   * Renumbers every object from `firstRevision` in key order and forgets the history, as a
   * cluster restored from an older etcd backup would look; used by `restart`.
   */
  renumber(firstRevision: number): void {
    this.revision = firstRevision;
    for (const key of [...this.objects.keys()].sort()) {
      this.objects.get(key)!.metadata.resourceVersion = String(++this.revision);
    }
    this.history = [];
    this.compactedAt = this.revision;
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedAt = dropped[dropped.length - 1]!.resourceVersion;
    }
    for (const listener of [...this.listeners]) listener(event);
  }

  private resolve(ref: ObjectRef): { resource: ResourceType; key: string } {
    const parts = typeof ref === 'string' ? parseRef(ref) : ref;
    const resource = findResourceType(parts.kind);
    if (!resource) throw new TypeError(`kube-api fixture: unknown kind ${parts.kind}`);
    const namespace = resource.namespaced ? parts.namespace || 'default' : undefined;
    return { resource, key: keyOf(resource, namespace, parts.name) };
  }
}

/** The store key, ordered the way etcd orders `/registry/<plural>/<namespace>/<name>`. */
export function keyOf(resource: ResourceType, namespace: string | undefined, name: string): string {
  return `${prefixOf(resource)}${namespace ? `${namespace}/` : ''}${name}`;
}

function prefixOf(resource: ResourceType): string {
  return `/registry/${resource.group || 'core'}/${resource.plural}/`;
}

function parseRef(ref: string): { kind: string; namespace?: string; name: string } {
  const parts = ref.split('/');
  if (parts.length === 2) return { kind: parts[0]!, name: parts[1]! };
  if (parts.length === 3) return { kind: parts[0]!, namespace: parts[1]!, name: parts[2]! };
  throw new TypeError(`kube-api fixture: expected "Kind/namespace/name" or "Kind/name", got ${JSON.stringify(ref)}`);
}
