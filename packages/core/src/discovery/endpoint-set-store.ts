import type { Endpoint, EndpointSet, DiscoveryProblem } from './endpoint-set.js';

/**
 * The current set of each backend a source serves, and the watchers to tell: the part every
 * Discovery implementation shares. `publish` drops a set equal to the last one, so watchers
 * only hear of real changes, and numbers versions per backend.
 */
export class EndpointSetStore {
  private readonly current = new Map<string, EndpointSet>();
  private readonly watchers = new Map<string, Set<(set: EndpointSet) => void>>();

  /** Adds a watcher and, if the backend's set is known, hands it over at once. */
  subscribe(backendKey: string, onChange: (set: EndpointSet) => void): () => void {
    let set = this.watchers.get(backendKey);
    if (set === undefined) this.watchers.set(backendKey, (set = new Set()));
    set.add(onChange);
    const known = this.current.get(backendKey);
    if (known !== undefined) onChange(known);
    return () => {
      set.delete(onChange);
      if (set.size === 0 && this.watchers.get(backendKey) === set) this.watchers.delete(backendKey);
    };
  }

  /** The backends someone watches. */
  watched(): IterableIterator<string> {
    return this.watchers.keys();
  }

  isWatched(backendKey: string): boolean {
    return this.watchers.has(backendKey);
  }

  /** Records and pushes a backend's new set, unless it equals the last one. */
  publish(backendKey: string, endpoints: readonly Endpoint[], problem?: DiscoveryProblem, stale = false): void {
    const last = this.current.get(backendKey);
    if (last !== undefined && last.stale === stale && sameProblem(last.problem, problem) && sameEndpoints(last.endpoints, endpoints)) return;
    const set: EndpointSet = Object.freeze({
      backendKey,
      version: (last?.version ?? 0) + 1,
      endpoints: Object.freeze(endpoints.map((e) => Object.freeze({ ...e }))),
      stale,
      ...(problem ? { problem } : {}),
    });
    this.current.set(backendKey, set);
    for (const watcher of this.watchers.get(backendKey) ?? []) watcher(set);
  }

  /** Forgets everything; watchers are not told. */
  clear(): void {
    this.current.clear();
    this.watchers.clear();
  }
}

function sameProblem(a: DiscoveryProblem | undefined, b: DiscoveryProblem | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.code === b.code && a.message === b.message);
}

function sameEndpoints(a: readonly Endpoint[], b: readonly Endpoint[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    return x.address === y.address && x.port === y.port && x.ready === y.ready && x.serving === y.serving && x.terminating === y.terminating && x.zone === y.zone && x.weight === y.weight && x.externalName === y.externalName && x.protocol === y.protocol;
  });
}
