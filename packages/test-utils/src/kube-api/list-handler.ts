import { decodeContinue, encodeContinue } from './continue-token.js';
import { keyOf, type ObjectStore } from './object-store.js';
import { groupVersionOf } from './resources.js';
import { failureStatus } from './status.js';
import { toTable } from './table.js';
import { selects, type WatchFilter } from './watch-stream.js';

/** A LIST answer: status and body. */
export interface ListAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Answers a LIST: a consistent snapshot (the current one, an exact older one, or the one a
 * continue token pins), filtered, paged by `limit`, as a typed list or, for kubectl, a Table.
 */
export function listAnswer(store: ObjectStore, filter: WatchFilter, query: Record<string, string>, table: boolean): ListAnswer {
  const { labels, fields } = filter;
  const { resource } = filter;
  const current = store.currentRevision;
  let snapshot = current;
  let after = '';
  const token = query['continue'];
  if (token) {
    const position = decodeContinue(token);
    if (!position) {
      return { status: 400, body: failureStatus(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)') };
    }
    if (position.resourceVersion < store.oldestRevision) {
      return { status: 410, body: failureStatus(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.') };
    }
    snapshot = position.resourceVersion;
    after = position.after;
  } else if (query['resourceVersion'] && query['resourceVersion'] !== '0') {
    const requested = parseRevision(query['resourceVersion']);
    if (requested === undefined) {
      return { status: 400, body: failureStatus(400, 'BadRequest', `resourceVersion: Invalid value: "${query['resourceVersion']}": must be an unsigned integer`) };
    }
    if (requested > current) {
      return { status: 504, body: failureStatus(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 }) };
    }
    if (query['resourceVersionMatch'] === 'Exact') snapshot = requested;
  }
  const keyed = store
    .listAt(resource, snapshot)
    .filter((object) => selects(filter, object))
    .map((object) => ({ key: keyOf(resource, object.metadata.namespace, object.metadata.name), object }))
    .filter(({ key }) => key > after);
  const limit = query['limit'] ? Number.parseInt(query['limit'], 10) : 0;
  const page = limit > 0 ? keyed.slice(0, limit) : keyed;
  const metadata: Record<string, unknown> = { resourceVersion: String(snapshot) };
  if (page.length < keyed.length) {
    metadata['continue'] = encodeContinue({ resourceVersion: snapshot, after: page[page.length - 1]!.key });
    // The API server only counts what is left when it need not filter.
    if (labels.length === 0 && fields.length === 0) metadata['remainingItemCount'] = keyed.length - page.length;
  }
  if (table) return { status: 200, body: toTable(resource, page.map(({ object }) => object), metadata) };
  // List items carry no apiVersion/kind: the real server leaves them out of typed lists.
  const items = page.map(({ object }) => {
    const { apiVersion: _apiVersion, kind: _kind, ...rest } = object;
    return rest;
  });
  return { status: 200, body: { kind: `${resource.kind}List`, apiVersion: groupVersionOf(resource), metadata, items } };
}

/** A resourceVersion parameter as a number; undefined when it is not an unsigned integer. */
export function parseRevision(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}
