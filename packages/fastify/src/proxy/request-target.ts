/**
 * The parts of a request target (RFC 9112 §3.2): origin-form `/path?query`, or absolute-form
 * `http://authority/path?query`, whose authority replaces the Host header. Anything else
 * (asterisk-form `*`, authority-form) has no path to route and is refused.
 */
export interface RequestTarget {
  /** The authority of an absolute-form target, else undefined (use the Host header). */
  readonly authority: string | undefined;
  /** The path, raw (not yet normalized). */
  readonly path: string;
  /** `?` and what follows, or ''. Forwarded as the client sent it. */
  readonly query: string;
}

/** Splits a request target; undefined for a form that has no path. */
export function parseRequestTarget(url: string): RequestTarget | undefined {
  let authority: string | undefined;
  let start = 0;
  if (url.charCodeAt(0) !== 0x2f /* / */) {
    const schemeEnd = url.startsWith('http://') ? 7 : url.startsWith('https://') ? 8 : -1;
    if (schemeEnd < 0) return undefined;
    let end = schemeEnd;
    while (end < url.length && url[end] !== '/' && url[end] !== '?') end++;
    authority = url.slice(schemeEnd, end);
    start = end;
  }
  const queryAt = url.indexOf('?', start);
  const path = queryAt < 0 ? url.slice(start) : url.slice(start, queryAt);
  return { authority, path: path.length === 0 ? '/' : path, query: queryAt < 0 ? '' : url.slice(queryAt) };
}

/**
 * Why the Host of a request cannot be trusted, or undefined when it can: RFC 9112 §3.2 wants a
 * 400 for an HTTP/1.1 request without Host (unless the target is absolute-form) and for any
 * request with more than one, since two parsers may each pick a different one.
 */
export function hostProblem(rawHeaders: readonly string[], httpVersionMinor: number, absoluteForm: boolean): string | undefined {
  let hosts = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
  }
  if (hosts > 1) return 'the request has more than one Host header';
  if (hosts === 0 && httpVersionMinor >= 1 && !absoluteForm) return 'an HTTP/1.1 request needs a Host header';
  return undefined;
}

/**
 * True when a normalized path holds a dot-segment next to an encoded slash (`/a%2F..%2Fb`):
 * the router matched one segment, but an upstream that decodes %2F would see a traversal.
 * Such paths are refused (as @fastify/reply-from refuses them too).
 */
export function hasEncodedSlashTraversal(path: string): boolean {
  const at = path.indexOf('%2');
  if (at < 0 || (path.indexOf('%2F', at) < 0 && path.indexOf('%2f', at) < 0)) return false;
  const decoded = `${path.replace(/%2f/gi, '/')}/`;
  return decoded.includes('/../') || decoded.includes('/./');
}
