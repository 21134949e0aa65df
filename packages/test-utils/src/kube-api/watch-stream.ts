import type { ServerResponse } from 'node:http';
import { matchesFields, type FieldSelector } from './field-selector.js';
import { matchesLabels, type LabelSelector } from './label-selector.js';
import type { StoreEvent } from './object-store.js';
import type { RequestLogEntry, WatchEndReason } from './request-log.js';
import { groupVersionOf, type ResourceType } from './resources.js';
import type { KubeObject, KubeStatus, WatchEvent } from './types.js';

/** What one watch selects. */
export interface WatchFilter {
  readonly resource: ResourceType;
  readonly namespace?: string | undefined;
  readonly labels: LabelSelector;
  readonly fields: FieldSelector;
}

/** Whether `object` is in the set a list or watch with `filter` selects. */
export function selects(filter: WatchFilter, object: KubeObject): boolean {
  if (filter.namespace !== undefined && object.metadata.namespace !== filter.namespace) return false;
  return matchesLabels(filter.labels, object.metadata.labels) && matchesFields(filter.fields, object);
}

/**
 * Turns a store change into what this watch sees, following the API server's watch cache:
 * an object that starts matching arrives as ADDED, one that stops matching as DELETED
 * carrying its previous content stamped with the change's resourceVersion.
 */
export function toWatchEvent(filter: WatchFilter, event: StoreEvent): WatchEvent | undefined {
  const now = event.type !== 'DELETED' && selects(filter, event.object);
  const before = event.previous !== undefined && selects(filter, event.previous);
  if (now && before) return { type: 'MODIFIED', object: event.object };
  if (now) return { type: 'ADDED', object: event.object };
  if (!before) return undefined;
  if (event.type === 'DELETED') return { type: 'DELETED', object: event.object };
  const gone = structuredClone(event.previous!);
  gone.metadata.resourceVersion = String(event.resourceVersion);
  return { type: 'DELETED', object: gone };
}

/** Timing of one stream. */
export interface WatchTiming {
  /** Undefined: no bookmarks. */
  readonly bookmarkIntervalMs?: number | undefined;
  /** Undefined: the stream stays open until something else ends it. */
  readonly timeoutMs?: number | undefined;
}

/** One open watch: a chunked response of newline-delimited JSON events. */
export class WatchStream {
  private hung = false;
  private ended = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly response: ServerResponse,
    private readonly entry: RequestLogEntry,
    readonly filter: WatchFilter,
    /** Changes at or below this resourceVersion are not sent (the watch started after them). */
    private readonly after: number,
    private readonly currentRevision: () => number,
    private readonly onEnd: (stream: WatchStream) => void,
  ) {
    response.on('close', () => this.finish('client-closed'));
  }

  /** Sends the status line and headers now, so a client sees the watch established before any event. */
  open(timing: WatchTiming): void {
    this.entry.status = 200;
    this.response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
    this.response.flushHeaders();
    if (timing.timeoutMs !== undefined) this.timers.push(setTimeout(() => this.end('timeout'), timing.timeoutMs));
    if (timing.bookmarkIntervalMs !== undefined) {
      this.timers.push(setInterval(() => this.bookmark(), timing.bookmarkIntervalMs));
    }
  }

  /** Sends a store change if this watch sees it. */
  deliver(event: StoreEvent): void {
    if (event.resource !== this.filter.resource || event.resourceVersion <= this.after) return;
    const watchEvent = toWatchEvent(this.filter, event);
    if (watchEvent) this.send(watchEvent);
  }

  /** Writes one event line, unless the stream is hung or over. */
  send(event: WatchEvent): void {
    this.write(`${JSON.stringify(event)}\n`);
  }

  /** Sends an ERROR event carrying `status`, then ends the stream as the API server does after one. */
  fail(status: KubeStatus, reason: WatchEndReason): void {
    this.send({ type: 'ERROR', object: status });
    this.end(reason);
  }

  /** Writes a line that is not JSON. */
  sendGarbage(line: string): void {
    this.write(`${line}\n`);
  }

  /** From now on writes nothing, keeps the socket open and never ends by itself: a half-open connection. */
  hang(): void {
    this.hung = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** Ends the stream cleanly (the last chunk is sent). */
  end(reason: WatchEndReason): void {
    if (this.ended) return;
    this.finish(reason);
    this.response.end();
  }

  /** Cuts the connection without ending the chunked body, as a crashed server or a broken network would. */
  drop(reason: WatchEndReason): void {
    if (this.ended) return;
    this.finish(reason);
    this.response.socket?.destroy();
    this.response.destroy();
  }

  private bookmark(): void {
    const { resource } = this.filter;
    this.send({ type: 'BOOKMARK', object: { kind: resource.kind, apiVersion: groupVersionOf(resource), metadata: { resourceVersion: String(this.currentRevision()) } } as KubeObject });
  }

  private write(text: string): void {
    if (this.hung || this.ended) return;
    this.response.write(text);
  }

  private finish(reason: WatchEndReason): void {
    if (this.ended) return;
    this.ended = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.entry.endedAt = Date.now();
    this.entry.endReason = reason;
    this.onEnd(this);
  }
}
