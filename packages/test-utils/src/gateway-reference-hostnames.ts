/**
 * Gateway API hostnames for the reference matcher, straight from the doc comments of
 * `Listener.hostname` and `HTTPRouteSpec.hostnames`. A hostname is exact (`foo.example.com`)
 * or a wildcard (`*.example.com`), which matches ONE OR MORE labels in front of its domain
 * (`a.example.com`, `a.b.example.com`) and never the bare domain (`example.com`). Ingress's
 * wildcard matches exactly one label; this one does not.
 */

/** Stands for "every host": a listener without hostname meeting a route without hostnames. */
export const ANY_HOST = '*';

/** The request's Host as the spec matches it: lowercased, without port or a trailing dot. */
export function requestHostOf(rawHost: string): string {
  let host = rawHost.trim().toLowerCase();
  if (host.startsWith('[')) {
    // An IPv6 literal keeps its brackets; only what follows `]` can be a port.
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  if (colon !== -1) host = host.slice(0, colon);
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host;
}

export function isWildcard(hostname: string): boolean {
  return hostname.startsWith('*.');
}

/** Does `hostname` (exact, wildcard or ANY_HOST) match the request host `host`? */
export function hostnameMatches(hostname: string, host: string): boolean {
  if (hostname === ANY_HOST) return true;
  if (!isWildcard(hostname)) return hostname === host;
  const suffix = hostname.slice(1); // ".example.com"
  // One or more labels in front: "a.example.com" and "a.b.example.com", never ".example.com".
  return host.endsWith(suffix) && host.length > suffix.length;
}

/**
 * The hostnames a route answers on a listener: for each route hostname, the more specific of
 * it and the listener's hostname when one contains the other, nothing when they are disjoint.
 * A listener without hostname keeps the route's; a route without hostnames takes the
 * listener's (ANY_HOST when neither has one). An empty answer means the route does not
 * attach to this listener (the spec's `Accepted: False`, `NoMatchingListenerHostname`).
 */
export function intersectHostnames(listenerHostname: string | undefined, routeHostnames: readonly string[] | undefined): string[] {
  if (!routeHostnames || routeHostnames.length === 0) return [listenerHostname ?? ANY_HOST];
  if (listenerHostname === undefined) return [...routeHostnames];
  const answer: string[] = [];
  for (const routeHostname of routeHostnames) {
    const common = intersectTwo(listenerHostname, routeHostname);
    if (common !== undefined && !answer.includes(common)) answer.push(common);
  }
  return answer;
}

function intersectTwo(a: string, b: string): string | undefined {
  if (a === b) return a;
  // The more specific one, if every host it matches the other matches too.
  if (covers(a, b)) return b;
  if (covers(b, a)) return a;
  return undefined;
}

/** Does `general` match every host `specific` matches? (`*.example.com` covers `*.a.example.com` and `a.example.com`.) */
function covers(general: string, specific: string): boolean {
  if (!isWildcard(general)) return false;
  // A wildcard's hosts are its domain with labels in front: `*.a.example.com`'s are all covered
  // by `*.example.com` because `a.example.com` is.
  const specificDomain = isWildcard(specific) ? specific.slice(2) : specific;
  return hostnameMatches(general, specificDomain);
}
