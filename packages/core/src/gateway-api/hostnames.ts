/**
 * Gateway API hostnames (listener `hostname`, HTTPRoute `hostnames`): a lowercase DNS name, or
 * `*.` + one. Unlike Ingress, a wildcard matches one **or more** labels: `*.example.com` matches
 * `a.example.com` and `a.b.example.com`, never `example.com` itself.
 */

/** True when `pattern` (a hostname or wildcard) matches the normalized request host `host`. */
export function hostnameMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host;
  const suffix = pattern.slice(1); // '.example.com'
  return host.length > suffix.length && host.endsWith(suffix);
}

/**
 * True when every host `specific` matches is also matched by `general` (both hostnames or
 * wildcards): `*.example.com` covers `a.example.com`, `*.a.example.com` and itself.
 */
export function hostnameCovers(general: string, specific: string): boolean {
  if (!general.startsWith('*.')) return general === specific;
  if (specific === general) return true;
  const suffix = general.slice(1);
  // A wildcard's own domain (`*.a.example.com` → `a.example.com`) must be a host the general one matches.
  const specificDomain = specific.startsWith('*.') ? specific.slice(2) : specific;
  return specificDomain.length > suffix.length && specificDomain.endsWith(suffix);
}

/**
 * The hostnames a route serves on a listener: the intersection of the listener's hostname and
 * the route's (HTTPRoute `spec.hostnames` doc comment). Each pair that overlaps gives the more
 * specific of the two. A listener without hostname takes the route's as they are; a route
 * without hostnames takes the listener's (`[]`: any host, when neither has one).
 *
 * @returns the effective hostnames, `[]` for any host, or undefined when none overlap (the
 *   route does not attach: `NoMatchingListenerHostname`).
 */
export function intersectHostnames(listenerHostname: string | undefined, routeHostnames: readonly string[]): string[] | undefined {
  if (routeHostnames.length === 0) return listenerHostname === undefined ? [] : [listenerHostname];
  if (listenerHostname === undefined) return [...new Set(routeHostnames)];
  const effective = new Set<string>();
  for (const hostname of routeHostnames) {
    if (hostnameCovers(listenerHostname, hostname)) effective.add(hostname);
    else if (hostnameCovers(hostname, listenerHostname)) effective.add(listenerHostname);
  }
  return effective.size === 0 ? undefined : [...effective];
}
