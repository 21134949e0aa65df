import { resourceTypeAt, type ResourceType } from './resources.js';

/** A request path that names a resource collection or one object. */
export interface ResourcePath {
  readonly resource: ResourceType;
  /** Undefined for a cluster-wide request. */
  readonly namespace?: string;
  /** Set for a request for one object. */
  readonly name?: string;
}

/**
 * Parses `/api/v1[/namespaces/NS]/PLURAL[/NAME]` and `/apis/G/V[/namespaces/NS]/PLURAL[/NAME]`.
 * Returns undefined for anything else, including a namespaced path for a cluster-scoped type.
 */
export function parseResourcePath(path: string): ResourcePath | undefined {
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
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1]!;
    rest = rest.slice(2);
  }
  if (rest.length < 1 || rest.length > 2) return undefined;
  const resource = resourceTypeAt(groupVersion, rest[0]!);
  if (!resource || (namespace !== undefined && !resource.namespaced)) return undefined;
  const parsed: { resource: ResourceType; namespace?: string; name?: string } = { resource };
  if (namespace !== undefined) parsed.namespace = namespace;
  if (rest[1] !== undefined) parsed.name = rest[1];
  return parsed;
}
