import type { Route } from '../../route.js';
import type { PathMatcher, PathRule } from '../path-matcher.js';
import { HashIndex } from './hash-index.js';
import { FNV_OFFSET, hashPrefix, hashStep } from './path-hash.js';

const SLASH = 47;

/**
 * The path matcher Switchyard routes with. Every Prefix rule is keyed by its path without
 * a trailing slash (`/aaa/bbb`), every Exact rule by its path as written, each in a hash
 * index. A lookup scans the request path once, hashing as it goes: at each element
 * boundary the running hash is the hash of that prefix, so each candidate prefix costs one
 * probe of an Int32Array, with no substring made and no string hashed by V8. The deepest
 * Prefix hit wins; an Exact hit on the whole path wins over any Prefix, since it is never
 * shorter and wins ties. Cost: linear in the request path, independent of the number of
 * rules, and compact: two typed arrays per host instead of an object per path element.
 */
export class PrefixHashMatcher implements PathMatcher {
  private readonly rootPrefix: Route | undefined;
  private readonly prefixes: HashIndex;
  private readonly exacts: HashIndex;

  constructor(rules: readonly PathRule[]) {
    let rootPrefix: Route | undefined;
    const prefixes: Array<[string, number, Route]> = [];
    const exacts: Array<[string, number, Route]> = [];
    for (const { path, kind, route } of rules) {
      if (kind === 'exact') exacts.push([path, hashPrefix(path), route]);
      else if (path === '/') rootPrefix = route;
      else prefixes.push([path, hashPrefix(path), route]);
    }
    this.rootPrefix = rootPrefix;
    this.prefixes = new HashIndex(prefixes);
    this.exacts = new HashIndex(exacts);
  }

  match(path: string): Route | undefined {
    const prefixes = this.prefixes;
    let best = this.rootPrefix;
    const length = path.length;
    let hash = FNV_OFFSET;
    if (prefixes.size !== 0) {
      // The first character is the leading "/": a boundary at 0 would be the root, kept apart.
      hash = hashStep(hash, SLASH);
      for (let i = 1; i < length; i++) {
        const code = path.charCodeAt(i);
        if (code === SLASH) {
          const route = prefixes.get(hash, path, i);
          if (route !== undefined) best = route;
        }
        hash = hashStep(hash, code);
      }
      // A path not ending in "/" ends an element too.
      if (path.charCodeAt(length - 1) !== SLASH) {
        const route = prefixes.get(hash, path, length);
        if (route !== undefined) best = route;
      }
    } else if (this.exacts.size !== 0) {
      hash = hashPrefix(path);
    }
    if (this.exacts.size !== 0) {
      const exact = this.exacts.get(hash, path, length);
      if (exact !== undefined) return exact;
    }
    return best;
  }
}

export function createPrefixHashMatcher(rules: readonly PathRule[]): PathMatcher {
  return new PrefixHashMatcher(rules);
}
