import type { ResourceType } from './resources.js';

/** A request path that names a resource collection, one object, or one object's subresource. */
export interface ResourcePath {
  readonly resource: ResourceType;
  /** Undefined for a cluster-wide request. */
  readonly namespace?: string;
  /** Set for a request for one object. */
  readonly name?: string;
  /** `'status'` for `<name>/status`; the only subresource the fixture serves. */
  readonly subresource?: 'status';
}

/** Looks up a served type by group version and plural. */
export type TypeLookup = (groupVersion: string, plural: string) => ResourceType | undefined;

/**
 * Parses `/api/v1[/namespaces/NS]/PLURAL[/NAME[/status]]` and the same under `/apis/G/V`.
 * Returns undefined for anything else, including a namespaced path for a cluster-scoped type
 * and a status path for a type without that subresource.
 */
export function parseResourcePath(path: string, lookup: TypeLookup): ResourcePath | undefined {
  const segments = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
  let groupVersion: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    groupVersion = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    groupVersion = `${segments[1]}/${segments[2]}`;
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  // `namespaces/X/...` is either a namespaced request or a Namespace's own subresource (`namespaces/X/status`).
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const scoped = resolve(lookup, groupVersion, rest.slice(2), rest[1]!);
    if (scoped) return scoped;
  }
  return resolve(lookup, groupVersion, rest, undefined);
}

function resolve(lookup: TypeLookup, groupVersion: string, rest: readonly string[], namespace: string | undefined): ResourcePath | undefined {
  if (rest.length < 1 || rest.length > 3) return undefined;
  const resource = lookup(groupVersion, rest[0]!);
  if (!resource || (namespace !== undefined && !resource.namespaced)) return undefined;
  if (rest.length === 3 && (rest[2] !== 'status' || !resource.statusSubresource)) return undefined;
  const parsed: { resource: ResourceType; namespace?: string; name?: string; subresource?: 'status' } = { resource };
  if (namespace !== undefined) parsed.namespace = namespace;
  if (rest[1] !== undefined) parsed.name = rest[1];
  if (rest.length === 3) parsed.subresource = 'status';
  return parsed;
}
