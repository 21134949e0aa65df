import type { Ingress } from '@switchyard/core';
import Router from 'find-my-way';
import { NO_ROUTE, type AnswerKey } from './answer-key.js';

/**
 * The floor the tables are compared with: one plain find-my-way router per rule host,
 * built straight from the Ingress paths. No host tiers (the caller names the router), no
 * normalization, no conflict diagnostics, default router options, no `compile()`.
 *
 * Prefix needs two patterns in find-my-way: `/a` for the path itself and `/a/*` for
 * anything below it (`/` and `/*` for the root). find-my-way refuses a pattern twice, so
 * per pattern the oldest rule is kept, and an Exact rule takes the bare pattern from a
 * Prefix rule with the same path (Exact wins at equal length). Each route's store is a
 * `RawRoute`, so the timed loop reads a backend key as with the tables, and the check
 * compares the answer key with the reference.
 */
/** What a raw route stores: the answer as the check compares it, and the backend a proxy would read. */
export interface RawRoute {
  readonly answer: AnswerKey;
  readonly backendKey: string;
}

export function buildRawRouters(ingresses: readonly Ingress[]): Map<string, Router.Instance<Router.HTTPVersion.V1>> {
  const exact = new Map<string, Map<string, RawRoute>>();
  const prefix = new Map<string, Map<string, RawRoute>>();
  for (const ingress of [...ingresses].sort(olderFirst)) {
    const id = `${ingress.metadata.namespace || 'default'}/${ingress.metadata.name}`;
    (ingress.spec?.rules ?? []).forEach((rule, i) => {
      const host = rule.host ?? '';
      (rule.http?.paths ?? []).forEach((entry, j) => {
        const path = entry.path || '/';
        const bare = path.length > 1 && path.endsWith('/') && entry.pathType !== 'Exact' ? path.slice(0, -1) : path;
        const byPattern = mapFor(entry.pathType === 'Exact' ? exact : prefix, host);
        const service = entry.backend.service;
        const backendKey = service ? `${id.split('/')[0]}/${service.name}:${service.port.number ?? service.port.name}` : id;
        if (!byPattern.has(bare)) byPattern.set(bare, { answer: `${id} spec.rules[${i}].http.paths[${j}]`, backendKey });
      });
    });
  }
  const routers = new Map<string, Router.Instance<Router.HTTPVersion.V1>>();
  const handler = (): void => undefined;
  for (const host of new Set([...exact.keys(), ...prefix.keys()])) {
    const router = Router();
    const exactPatterns = exact.get(host) ?? new Map<string, RawRoute>();
    for (const [pattern, route] of exactPatterns) router.on('GET', pattern, handler, route);
    for (const [pattern, route] of prefix.get(host) ?? []) {
      if (!exactPatterns.has(pattern)) router.on('GET', pattern, handler, route);
      router.on('GET', pattern === '/' ? '/*' : `${pattern}/*`, handler, route);
    }
    routers.set(host, router);
  }
  return routers;
}

/** The answer key a raw lookup found, for the check. */
export function rawAnswer(routers: ReadonlyMap<string, Router.Instance<Router.HTTPVersion.V1>>, routerKey: string, path: string): AnswerKey {
  const found = routers.get(routerKey)?.find('GET', path);
  return found ? (found.store as RawRoute).answer : NO_ROUTE;
}

function mapFor(maps: Map<string, Map<string, RawRoute>>, host: string): Map<string, RawRoute> {
  let map = maps.get(host);
  if (map === undefined) maps.set(host, (map = new Map()));
  return map;
}

/** The age order compile uses: creationTimestamp, then namespace/name. */
function olderFirst(a: Ingress, b: Ingress): number {
  const at = Date.parse(String(a.metadata.creationTimestamp));
  const bt = Date.parse(String(b.metadata.creationTimestamp));
  if (at !== bt) return at - bt;
  const an = a.metadata.namespace || 'default';
  const bn = b.metadata.namespace || 'default';
  if (an !== bn) return an < bn ? -1 : 1;
  const [aName, bName] = [a.metadata.name ?? '', b.metadata.name ?? ''];
  return aName < bName ? -1 : aName > bName ? 1 : 0;
}
