import { randomBytes } from 'node:crypto';
import { applyMergePatch, isPlainObject, strategicToMergePatch } from './merge-patch.js';
import type { ObjectStore } from './object-store.js';
import type { ResourcePath } from './resource-path.js';
import { groupVersionOf, type ResourceType } from './resources.js';
import { alreadyExists, conflict, deleted, failureStatus, invalid, objectNotFound } from './status.js';
import type { KubeObject, KubeStatus } from './types.js';

/** One write as the server received it; `body` is the parsed JSON, undefined when empty. */
export interface WriteRequest {
  readonly method: string;
  readonly path: ResourcePath;
  /** The media type of the body, without parameters. */
  readonly contentType: string;
  readonly body: unknown;
}

/** What the server sends back. */
export interface WriteResponse {
  readonly status: number;
  readonly body: unknown;
}

const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
// generateName gets five characters from this alphabet, as the API server's name generator does (no vowels, no look-alikes).
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A write that cannot go ahead: the Status to answer with. */
class Refused extends Error {
  constructor(readonly status: KubeStatus) {
    super(status.message);
  }
}

/**
 * Serves POST (create), PUT (replace), PATCH (merge patch) and DELETE of one object or its
 * `status` subresource, with the API server's rules for resourceVersion preconditions, the
 * status subresource and server-owned metadata. Every change goes through `store.apply` or
 * `store.remove`, so it bumps the resourceVersion and reaches watches exactly like the test's own writes.
 */
export function handleWrite(store: ObjectStore, request: WriteRequest): WriteResponse {
  try {
    return dispatch(store, request);
  } catch (error) {
    if (error instanceof Refused) return { status: error.status.code, body: error.status };
    throw error;
  }
}

function dispatch(store: ObjectStore, { method, path, contentType, body }: WriteRequest): WriteResponse {
  const { resource, name } = path;
  const scoped = !resource.namespaced || path.namespace !== undefined;
  if (method === 'POST' && name === undefined && scoped) return create(store, path, body);
  if (name === undefined || !scoped || (method === 'DELETE' && path.subresource)) throw notAllowed();
  const current = store.get({ kind: resource.kind, name, ...(path.namespace === undefined ? {} : { namespace: path.namespace }) });
  if (!current) throw new Refused(objectNotFound(resource, name));
  switch (method) {
    case 'PUT':
      return update(store, path, current, identified(path, body), true);
    case 'PATCH':
      return update(store, path, current, identified(path, applyMergePatch(current, patchOf(resource, contentType, body))), false);
    case 'DELETE':
      return remove(store, resource, current, body);
    default:
      throw notAllowed();
  }
}

function create(store: ObjectStore, path: ResourcePath, body: unknown): WriteResponse {
  const object = identified(path, body);
  const { resource } = path;
  const { metadata } = object;
  if (!metadata.name && typeof metadata['generateName'] === 'string' && metadata['generateName'] !== '') {
    metadata.name = `${metadata['generateName']}${generatedSuffix()}`;
  }
  if (!metadata.name) throw new Refused(invalid(resource, '', 'metadata.name', 'Required value: name or generateName is required'));
  if (store.get(refOf(resource, object))) throw new Refused(alreadyExists(resource, metadata.name));
  // Server-owned fields from the client are ignored, as on create the API server sets them itself.
  delete metadata.resourceVersion;
  delete metadata.uid;
  delete metadata.creationTimestamp;
  delete metadata.generation;
  // With a status subresource, status starts empty: only a controller writes it, through /status.
  if (resource.statusSubresource) delete object['status'];
  return { status: 201, body: store.apply(object) };
}

/**
 * PUT and PATCH: `next` is the object the client wants. A `metadata.resourceVersion` in it must be
 * the stored one (a PATCH carries the stored one unless the patch sets it). Through `/status` only
 * `.status` is taken from `next`; through the object itself everything but `.status` is.
 */
function update(store: ObjectStore, path: ResourcePath, current: KubeObject, next: KubeObject, isPut: boolean): WriteResponse {
  const { resource } = path;
  const name = current.metadata.name;
  if (next.metadata.name !== name) {
    throw new Refused(failureStatus(400, 'BadRequest', `the name of the object (${next.metadata.name ?? ''}) does not match the name on the URL (${name})`));
  }
  const expected = next.metadata.resourceVersion;
  if (expected === undefined || expected === '') {
    // CRDs refuse an unconditional update; built-in types (a Lease among them) allow it.
    if (isPut && resource.crdBundle) throw new Refused(invalid(resource, name, 'metadata.resourceVersion', 'Invalid value: 0x0: must be specified for an update'));
  } else if (expected !== current.metadata.resourceVersion) {
    throw new Refused(conflict(resource, name));
  }
  let result: KubeObject;
  if (path.subresource === 'status') {
    result = structuredClone(current);
    if (next['status'] === undefined) delete result['status'];
    else result['status'] = next['status'];
  } else {
    result = next;
    if (resource.statusSubresource) {
      if (current['status'] === undefined) delete result['status'];
      else result['status'] = current['status'];
    }
  }
  return { status: 200, body: store.apply(result) };
}

function remove(store: ObjectStore, resource: ResourceType, current: KubeObject, options: unknown): WriteResponse {
  const { name, uid, resourceVersion } = current.metadata;
  const preconditions = isPlainObject(options) && isPlainObject(options['preconditions']) ? options['preconditions'] : {};
  if (preconditions['uid'] !== undefined && preconditions['uid'] !== uid) {
    throw new Refused(failedPrecondition(resource, name, `UID in precondition: ${String(preconditions['uid'])}, UID in object meta: ${uid}`));
  }
  if (preconditions['resourceVersion'] !== undefined && preconditions['resourceVersion'] !== resourceVersion) {
    throw new Refused(failedPrecondition(resource, name, `ResourceVersion in precondition: ${String(preconditions['resourceVersion'])}, ResourceVersion in object meta: ${resourceVersion}`));
  }
  store.remove(refOf(resource, current));
  // Custom resources answer with the deleted object; the built-in types the fixture serves with a Success Status.
  return { status: 200, body: resource.crdBundle ? current : deleted(resource, name, uid) };
}

/** The body as an object of the path's type, namespace filled in from the path; a 400 when it names another type or namespace. */
function identified(path: ResourcePath, body: unknown): KubeObject {
  const { resource } = path;
  if (!isPlainObject(body)) throw new Refused(failureStatus(400, 'BadRequest', 'the body of the request must be a JSON object'));
  const object = structuredClone(body) as KubeObject;
  const apiVersion = groupVersionOf(resource);
  object.apiVersion ??= apiVersion;
  object.kind ??= resource.kind;
  if (object.apiVersion !== apiVersion || object.kind !== resource.kind) {
    throw new Refused(failureStatus(400, 'BadRequest', `the API version in the data (${object.apiVersion}) or kind (${object.kind}) does not match the expected ${apiVersion}, Kind=${resource.kind}`));
  }
  if (!isPlainObject(object.metadata)) object.metadata = {} as KubeObject['metadata'];
  if (!resource.namespaced) {
    delete object.metadata.namespace;
  } else {
    if (object.metadata.namespace && object.metadata.namespace !== path.namespace) {
      throw new Refused(failureStatus(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request'));
    }
    object.metadata.namespace = path.namespace!;
  }
  return object;
}

/** The merge patch to apply; strategic merge patches are taken as merge patches (see `strategicToMergePatch`). */
function patchOf(resource: ResourceType, contentType: string, body: unknown): unknown {
  if (contentType === MERGE_PATCH) return body;
  // Custom resources have no strategic merge schema; the real server refuses the patch type for them.
  if (contentType === STRATEGIC_MERGE_PATCH && !resource.crdBundle) return strategicToMergePatch(body);
  const accepted = resource.crdBundle ? MERGE_PATCH : `${MERGE_PATCH}, ${STRATEGIC_MERGE_PATCH}`;
  throw new Refused(failureStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted}`));
}

function failedPrecondition(resource: ResourceType, name: string, detail: string): KubeStatus {
  return conflict(resource, name, `Precondition failed: ${detail}`);
}

function notAllowed(): Refused {
  return new Refused(failureStatus(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
}

function refOf(resource: ResourceType, object: KubeObject): { kind: string; namespace?: string; name: string } {
  const { name, namespace } = object.metadata;
  return resource.namespaced && namespace ? { kind: resource.kind, namespace, name } : { kind: resource.kind, name };
}

function generatedSuffix(): string {
  return [...randomBytes(5)].map((byte) => NAME_ALPHABET[byte % NAME_ALPHABET.length]).join('');
}
