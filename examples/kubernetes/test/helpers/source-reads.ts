import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './manifests.js';

/** One API resource a source lists and watches. */
export interface ReadResource {
  /** `''` for the core group. */
  readonly group: string;
  /** The plural: `ingresses`. */
  readonly resource: string;
  /** The cluster-wide collection path: `/apis/networking.k8s.io/v1/ingresses`. */
  readonly path: string;
  /** The source file that reads it. */
  readonly file: string;
}

export const KUBERNETES_SRC = join(REPO_ROOT, 'packages/kubernetes/src');

// `collectionPath('/apis/networking.k8s.io/v1', 'ingresses', ns)`: the helper every source
// builds its namespaced or cluster-wide paths with.
const COLLECTION_PATH_CALL = /\bcollectionPath\(\s*'([^']+)'\s*,\s*'([^']+)'/g;
const ANY_COLLECTION_PATH_CALL = /(?<!function )\bcollectionPath\(/g;
// A literal collection path: '/api/v1/services', '/apis/networking.k8s.io/v1/ingressclasses'.
const LITERAL_PATH = /'(\/api\/v1|\/apis\/[a-z0-9.-]+\/v[0-9a-z]+)\/([a-z]+)'/g;

/**
 * The resources `@switchyard/kubernetes` reads, found in its source (every file, subdirectories
 * included): the package exports no
 * list of them, so this reads the paths its sources build. A `collectionPath(...)` call whose
 * group-version and resource are not string literals throws, so a source this scan cannot see
 * fails the test instead of slipping past it.
 */
export function resourcesReadBySources(srcDir = KUBERNETES_SRC): ReadResource[] {
  const found = new Map<string, ReadResource>();
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(join(srcDir, file), 'utf8');
    const calls = [...text.matchAll(ANY_COLLECTION_PATH_CALL)].length;
    const literalCalls = [...text.matchAll(COLLECTION_PATH_CALL)];
    if (calls !== literalCalls.length) {
      throw new Error(`${file}: ${calls - literalCalls.length} collectionPath() call(s) without literal arguments; teach this scan to read them`);
    }
    for (const [, groupVersionPath, resource] of literalCalls) add(found, groupVersionPath!, resource!, file);
    for (const [, groupVersionPath, resource] of text.matchAll(LITERAL_PATH)) add(found, groupVersionPath!, resource!, file);
  }
  return [...found.values()];
}

function add(found: Map<string, ReadResource>, groupVersionPath: string, resource: string, file: string): void {
  // '/api/v1' is the core group; '/apis/<group>/<version>' a named one.
  const group = groupVersionPath === '/api/v1' ? '' : groupVersionPath.split('/')[2]!;
  const key = `${group}/${resource}`;
  if (!found.has(key)) found.set(key, { group, resource, path: `${groupVersionPath}/${resource}`, file });
}

/** `networking.k8s.io/ingresses`, `/services` for the core group. */
export function resourceKey(group: string, resource: string): string {
  return `${group}/${resource}`;
}

/** The .ts files under `dir` (subdirectories included), relative to it, sorted. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}
