import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiGroup, coreVersions, groupList, resourceList, versionInfo } from './discovery.js';
import { FaultQueue, type FailOptions, type RequestKind } from './fault-queue.js';
import { parseFieldSelector } from './field-selector.js';
import { parseLabelSelector, SelectorError } from './label-selector.js';
import { listAnswer, parseRevision } from './list-handler.js';
import { ExpiredError, ObjectStore } from './object-store.js';
import { openApiV3Document, openApiV3Root } from './openapi.js';
import { BodyError, readJsonBody } from './request-body.js';
import type { RequestLogEntry } from './request-log.js';
import { parseResourcePath, type ResourcePath } from './resource-path.js';
import { resourceTypeOf, type CrdBundle } from './resources.js';
import { ServedTypes } from './served-types.js';
import { failureStatus, objectNotFound, reasonForCode, unknownResource } from './status.js';
import { hasTable, toTable, wantsTable } from './table.js';
import type { KubeObject, ObjectRef, WatchEvent } from './types.js';
import { selects, toWatchEvent, WatchStream, type WatchFilter } from './watch-stream.js';
import { handleWrite } from './write-handler.js';

/** How a watch that asks for a compacted resourceVersion is told so. */
export type ExpiredWatchResponse = 'status' | 'event';

/** Options of the fixture; every one has a default. */
export interface KubeApiServerOptions {
  /** How many changes the history keeps before the oldest are compacted away; default 1000. */
  readonly historyLimit?: number;
  /** How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK; default 60 000 ms, as on a real server. */
  readonly bookmarkIntervalMs?: number;
  /** `'status'` (default): an HTTP 410 Status response; `'event'`: a 200 stream with one 410 ERROR event. */
  readonly expiredWatch?: ExpiredWatchResponse;
  /** The resourceVersion before the first change; default 100. */
  readonly firstResourceVersion?: number;
  /**
   * Whether the Gateway API CRDs start installed; default true, since most tests want them.
   * Pass false to start as a cluster without them, then `installGatewayApi()` when the test is ready.
   */
  readonly gatewayApi?: boolean;
}

/** Where the fixture listens. */
export interface KubeApiAddress {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
}

/** Options of `restart`. */
export interface RestartOptions {
  /** Renumber every object from 1, so resourceVersions go backwards, as after restoring etcd from a backup. */
  readonly resourceVersionsBackwards?: boolean;
}

const DEFAULT_HISTORY_LIMIT = 1000;
const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;
const DEFAULT_FIRST_RESOURCE_VERSION = 100;
const TRUE_VALUES = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const BEARER = /^bearer +(\S+)$/i;

/**
 * A Kubernetes API server for tests: discovery, GET, LIST, WATCH, create, replace, merge patch
 * and delete of a few types (the `status` subresource included) over real HTTP on loopback,
 * state changed by the test through `apply`/`remove` or by clients, CRDs installed and removed
 * at run time, and knobs that break it in the ways real clusters break.
 */
export class KubeApiServer {
  /** How a watch from a compacted resourceVersion is answered; may be changed at any time. */
  expiredWatch: ExpiredWatchResponse;

  private readonly store: ObjectStore;
  private readonly served: ServedTypes;
  private readonly faults = new FaultQueue();
  private readonly watches = new Set<WatchStream>();
  private readonly log: RequestLogEntry[] = [];
  private readonly bookmarkIntervalMs: number;
  private server: Server | undefined;
  private port = 0;

  constructor(options: KubeApiServerOptions = {}) {
    this.store = new ObjectStore(options.historyLimit ?? DEFAULT_HISTORY_LIMIT, options.firstResourceVersion ?? DEFAULT_FIRST_RESOURCE_VERSION);
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS;
    this.expiredWatch = options.expiredWatch ?? 'status';
    this.served = new ServedTypes(options.gatewayApi === false ? [] : ['gateway-api']);
    this.store.subscribe((event) => {
      for (const watch of [...this.watches]) watch.deliver(event);
    });
  }

  /** Listens on 127.0.0.1 on a random port (or the port of the previous run, after `restart`). */
  async start(): Promise<KubeApiAddress> {
    if (this.server) throw new Error('kube-api fixture: already started');
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.address;
  }

  /** Ends every watch cleanly and stops listening. */
  async close(): Promise<void> {
    await this.stop((watch) => watch.end('server-closed'));
  }

  /** The address; valid after `start`. */
  get address(): KubeApiAddress {
    return { url: `http://127.0.0.1:${this.port}`, port: this.port };
  }

  /** The newest resourceVersion handed out. */
  get resourceVersion(): string {
    return String(this.store.currentRevision);
  }

  /** Every request so far, oldest first (live entries: a watch's end fields fill in when it ends). */
  get requests(): readonly RequestLogEntry[] {
    return this.log;
  }

  /** How many watches are open right now. */
  get openWatches(): number {
    return this.watches.size;
  }

  /**
   * Creates or updates an object, `.status` included (the test plays every controller). On create
   * it gets a uid, a creationTimestamp and generation 1; a change to anything but metadata and
   * status bumps the generation; every change gets a new resourceVersion and an ADDED or MODIFIED
   * event. Returns the stored object. Throws a TypeError for a kind not served right now (a
   * Gateway API kind while its CRDs are not installed).
   */
  apply<T extends KubeObject>(object: T): T {
    const type = resourceTypeOf(object.apiVersion, object.kind);
    if (type && !this.served.serves(type)) throw new TypeError(`kube-api fixture: ${object.apiVersion} ${object.kind} is not installed; call installGatewayApi() first`);
    return this.store.apply(object) as T;
  }

  /** Whether the Gateway API CRDs are installed. */
  get gatewayApiInstalled(): boolean {
    return this.served.isInstalled('gateway-api');
  }

  /** Installs the Gateway API CRDs: the group appears in discovery and its kinds are served, starting empty. */
  installGatewayApi(): void {
    this.served.install('gateway-api');
  }

  /**
   * Uninstalls the Gateway API CRDs as deleting them from a cluster does: every Gateway API object
   * is deleted (open watches see DELETED), then their watches end cleanly (`endReason: 'uninstalled'`),
   * and from now on the group is absent from discovery and every request under it is a 404.
   */
  uninstallGatewayApi(): void {
    this.uninstall('gateway-api');
  }

  /** Deletes an object (`"Ingress/default/web"`, `"IngressClass/nginx"`); emits DELETED; returns whether it existed. */
  remove(ref: ObjectRef): boolean {
    return this.store.remove(ref);
  }

  /** The stored object, or undefined. */
  get(ref: ObjectRef): KubeObject | undefined {
    return this.store.get(ref);
  }

  /** Closes every watch abruptly, without the terminating chunk. */
  dropWatches(): void {
    for (const watch of [...this.watches]) watch.drop('dropped');
  }

  /**
   * Forgets the history, so a watch or a continue token from an older resourceVersion gets
   * 410 Expired. Resuming from the newest resourceVersion still works, as on a real server,
   * unless `includingCurrent` is set.
   */
  compactHistory(options: { includingCurrent?: boolean } = {}): void {
    // Compacting one past the newest revision expires it too; the next change is then the oldest resumable one.
    this.store.compact(options.includingCurrent ? this.store.currentRevision + 1 : this.store.currentRevision);
  }

  /** Stops writing to the open watches while keeping their sockets open (half-open); new watches are unaffected. */
  hangWatches(): void {
    for (const watch of this.watches) watch.hang();
  }

  /** The next `count` requests (by default any but discovery) fail with a Status; 500 unless `status` says otherwise. */
  failNext(count: number, options: FailOptions = {}): void {
    this.faults.add(count, options);
  }

  /** Writes a line that is not JSON to every open watch. */
  sendGarbageLine(line = 'this is not json {'): void {
    for (const watch of this.watches) watch.sendGarbage(line);
  }

  /**
   * Drops every connection, forgets the history and comes back on the same port, as an API
   * server restart does. With `resourceVersionsBackwards` the objects are renumbered from 1.
   */
  async restart(options: RestartOptions = {}): Promise<KubeApiAddress> {
    await this.stop((watch) => watch.drop('restarted'));
    if (options.resourceVersionsBackwards) this.store.renumber(0);
    else this.store.compact();
    this.faults.clear();
    return this.start();
  }

  private uninstall(bundle: CrdBundle): void {
    if (!this.served.isInstalled(bundle)) return;
    const types = this.served.list.filter((t) => t.crdBundle === bundle);
    for (const type of types) {
      for (const object of this.store.listAt(type)) this.store.remove({ kind: type.kind, name: object.metadata.name, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}) });
    }
    this.served.uninstall(bundle);
    for (const watch of [...this.watches]) if (watch.filter.resource.crdBundle === bundle) watch.end('uninstalled');
  }

  private async stop(endWatch: (watch: WatchStream) => void): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const watch of [...this.watches]) endWatch(watch);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const resourcePath = parseResourcePath(url.pathname, (groupVersion, plural) => this.served.at(groupVersion, plural));
    const watch = resourcePath !== undefined && TRUE_VALUES.has(query['watch'] ?? '');
    const entry: RequestLogEntry = { id: this.log.length + 1, method, path: url.pathname, query, userAgent: req.headers['user-agent'] ?? '', bearerToken: bearerToken(req.headers.authorization), time: Date.now(), watch };
    this.log.push(entry);

    const write = WRITE_METHODS.has(method);
    const kind: RequestKind = !resourcePath ? 'discovery' : write ? 'write' : watch ? 'watch' : resourcePath.name !== undefined ? 'get' : 'list';
    const fault = this.faults.take(kind);
    if (fault) {
      entry.fault = 'failNext';
      const status = fault.status ?? 500;
      const details = fault.retryAfterSeconds !== undefined ? { retryAfterSeconds: fault.retryAfterSeconds } : undefined;
      const headers = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      this.sendJson(res, entry, status, failureStatus(status, reasonForCode(status), fault.message ?? `injected failure (${status})`, details), headers);
      return;
    }
    if (write && resourcePath) {
      void this.serveWrite(req, res, entry, resourcePath);
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      // A write to a path no served type lives at is a 404, as for a CRD that is not installed.
      if (write) this.sendJson(res, entry, 404, unknownResource());
      else this.sendJson(res, entry, 405, failureStatus(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
      return;
    }
    try {
      // kubectl get asks for a Table; a watch and a kind without printer columns get plain objects, which kubectl also accepts.
      const table = !watch && resourcePath !== undefined && wantsTable(req.headers.accept) && hasTable(resourcePath.resource);
      if (resourcePath) this.serveResource(res, entry, resourcePath, query, watch, table);
      else this.serveDiscovery(res, entry, url.pathname);
    } catch (error) {
      if (error instanceof SelectorError) this.sendJson(res, entry, 400, failureStatus(400, 'BadRequest', error.message));
      else if (error instanceof ExpiredError) this.sendJson(res, entry, 410, failureStatus(410, 'Expired', error.message));
      else this.sendJson(res, entry, 500, failureStatus(500, 'InternalError', String(error)));
    }
  }

  private async serveWrite(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, path: ResourcePath): Promise<void> {
    try {
      const body = await readJsonBody(req);
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const answer = handleWrite(this.store, { method: entry.method, path, contentType, body });
      this.sendJson(res, entry, answer.status, answer.body);
    } catch (error) {
      if (error instanceof BodyError) this.sendJson(res, entry, error.statusCode, failureStatus(error.statusCode, reasonForCode(error.statusCode), error.message));
      else this.sendJson(res, entry, 500, failureStatus(500, 'InternalError', String(error)));
    }
  }

  private serveDiscovery(res: ServerResponse, entry: RequestLogEntry, path: string): void {
    const trimmed = path.replace(/\/+$/, '') || '/';
    const segments = trimmed.split('/').filter((s) => s !== '');
    let body: unknown;
    if (trimmed === '/version') body = versionInfo();
    else if (trimmed === '/api') body = coreVersions(`127.0.0.1:${this.port}`);
    else if (trimmed === '/apis') body = groupList(this.served.list);
    else if (trimmed === '/openapi/v3') body = openApiV3Root(this.served.list);
    else if (trimmed.startsWith('/openapi/v3/')) body = openApiV3Document(this.served.list, trimmed.slice('/openapi/v3/'.length));
    else if (segments[0] === 'api' && segments.length === 2) body = resourceList(this.served.list, segments[1]!);
    else if (segments[0] === 'apis' && segments.length === 2) body = apiGroup(this.served.list, segments[1]!);
    else if (segments[0] === 'apis' && segments.length === 3) body = resourceList(this.served.list, `${segments[1]}/${segments[2]}`);
    else if (trimmed === '/healthz' || trimmed === '/readyz' || trimmed === '/livez') {
      entry.status = 200;
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok');
      return;
    }
    if (body === undefined) this.sendJson(res, entry, 404, unknownResource());
    else this.sendJson(res, entry, 200, body);
  }

  private serveResource(res: ServerResponse, entry: RequestLogEntry, path: ResourcePath, query: Record<string, string>, watch: boolean, table: boolean): void {
    const labels = parseLabelSelector(query['labelSelector'] ?? '');
    let fields = parseFieldSelector(query['fieldSelector'] ?? '', path.resource);
    const filter: WatchFilter = { resource: path.resource, namespace: path.namespace, labels, fields };
    if (watch && path.subresource) {
      this.sendJson(res, entry, 405, failureStatus(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    } else if (watch) {
      // A watch on one object's path is a watch with a name field selector (the deprecated form).
      if (path.name !== undefined) fields = [...fields, { field: 'metadata.name', equals: true, value: path.name }];
      this.serveWatch(res, entry, { ...filter, fields }, query);
    } else if (path.name !== undefined) {
      this.serveGet(res, entry, path, path.name, table);
    } else {
      this.serveList(res, entry, filter, query, table);
    }
  }

  private serveGet(res: ServerResponse, entry: RequestLogEntry, path: ResourcePath, name: string, table: boolean): void {
    const ref = path.namespace !== undefined ? { kind: path.resource.kind, namespace: path.namespace, name } : { kind: path.resource.kind, name };
    const object = path.resource.namespaced && path.namespace === undefined ? undefined : this.store.get(ref);
    // A GET of `/status` answers with the whole object, as on the API server.
    if (object) this.sendJson(res, entry, 200, table ? toTable(path.resource, [object], { resourceVersion: object.metadata.resourceVersion }) : object);
    else this.sendJson(res, entry, 404, objectNotFound(path.resource, name));
  }

  private serveList(res: ServerResponse, entry: RequestLogEntry, filter: WatchFilter, query: Record<string, string>, table: boolean): void {
    const answer = listAnswer(this.store, filter, query, table);
    this.sendJson(res, entry, answer.status, answer.body);
  }

  private serveWatch(res: ServerResponse, entry: RequestLogEntry, filter: WatchFilter, query: Record<string, string>): void {
    const rv = query['resourceVersion'];
    let initial: WatchEvent[];
    let after: number;
    if (!rv || rv === '0') {
      // Unset and "0" both begin with synthetic ADDED events for the current state.
      after = this.store.currentRevision;
      initial = this.store.listAt(filter.resource).filter((o) => selects(filter, o)).map((object) => ({ type: 'ADDED', object: structuredClone(object) }));
    } else {
      const requested = parseRevision(rv);
      if (requested === undefined) {
        this.sendJson(res, entry, 400, failureStatus(400, 'BadRequest', `resourceVersion: Invalid value: "${rv}": must be an unsigned integer`));
        return;
      }
      try {
        initial = this.store.eventsAfter(filter.resource, requested).flatMap((event) => toWatchEvent(filter, event) ?? []);
      } catch (error) {
        if (!(error instanceof ExpiredError)) throw error;
        const status = failureStatus(410, 'Expired', error.message);
        if (this.expiredWatch === 'status') {
          this.sendJson(res, entry, 410, status);
          return;
        }
        const stream = this.openStream(res, entry, filter, this.store.currentRevision, query);
        stream.fail(status, 'expired');
        return;
      }
      // A resourceVersion from the future (say, before a restore) sees only changes past it, as on a real server.
      after = Math.max(requested, this.store.currentRevision);
    }
    const stream = this.openStream(res, entry, filter, after, query);
    for (const event of initial) stream.send(event);
  }

  private openStream(res: ServerResponse, entry: RequestLogEntry, filter: WatchFilter, after: number, query: Record<string, string>): WatchStream {
    const stream = new WatchStream(res, entry, filter, after, () => this.store.currentRevision, (s) => this.watches.delete(s));
    this.watches.add(stream);
    const timeoutSeconds = query['timeoutSeconds'] ? Number(query['timeoutSeconds']) : undefined;
    stream.open({
      bookmarkIntervalMs: TRUE_VALUES.has(query['allowWatchBookmarks'] ?? '') ? this.bookmarkIntervalMs : undefined,
      timeoutMs: timeoutSeconds !== undefined && Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined,
    });
    return stream;
  }

  private sendJson(res: ServerResponse, entry: RequestLogEntry, status: number, body: unknown, headers: Record<string, string> = {}): void {
    entry.status = status;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }
}

/** The token of a `Bearer` Authorization header (the scheme is case-insensitive, RFC 7235). */
function bearerToken(authorization: string | undefined): string | undefined {
  const match = BEARER.exec(authorization ?? '');
  return match?.[1];
}
