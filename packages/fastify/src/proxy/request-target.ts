/**
 * An absolute-form request target (RFC 9112 §3.2.2), `http://authority/path?query`, whose
 * authority replaces the Host header. Origin-form targets (`/path?query`) are split inline by
 * `decideRequest`, on the hot path; anything else (asterisk-form `*`, authority-form) has no path to
 * route and is refused.
 */
export interface AbsoluteTarget {
  readonly authority: string;
  /** The path, raw (not yet normalized); `/` when the URL has none. */
  readonly path: string;
  /** `?` and what follows, or ''. Forwarded as the client sent it. */
  readonly query: string;
}

/** Splits an absolute-form http(s) target; undefined for any other form. */
export function parseAbsoluteTarget(url: string): AbsoluteTarget | undefined {
  const schemeEnd = url.startsWith('http://') ? 7 : url.startsWith('https://') ? 8 : -1;
  if (schemeEnd < 0) return undefined;
  let end = schemeEnd;
  while (end < url.length && url[end] !== '/' && url[end] !== '?') end++;
  const queryAt = url.indexOf('?', end);
  const path = queryAt < 0 ? url.slice(end) : url.slice(end, queryAt);
  return { authority: url.slice(schemeEnd, end), path: path.length === 0 ? '/' : path, query: queryAt < 0 ? '' : url.slice(queryAt) };
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
 * Why the authority of an HTTP/2 request cannot be trusted, or undefined when it can: a Host
 * header that names another authority than `:authority` (RFC 9113 §8.3.1: malformed, since
 * two parsers may each pick a different one), or a `:path` that is not origin-form (HTTP/2
 * has no absolute-form: the authority is `:authority`'s alone). Compared without case, as
 * hosts are; both are then normalized as one.
 */
export function authorityProblem(authority: string | undefined, host: string | undefined, path: string): string | undefined {
  if (authority !== undefined && host !== undefined && (authority.length !== host.length || authority.toLowerCase() !== host.toLowerCase())) {
    return 'the :authority and Host of the request name different authorities';
  }
  if (path.charCodeAt(0) !== 0x2f /* / */) return 'an HTTP/2 request :path must start with /';
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
