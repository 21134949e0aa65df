import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { compile as Compile, CompileOptions } from '@switchyard/core';

/** A path matcher factory, as `compile` takes it. */
export type PathMatcherFactory = NonNullable<CompileOptions['pathMatcher']>;

/** The parts of `@switchyard/core` the match benchmark times, loaded from one source tree. */
export interface CoreUnderTest {
  /** The tree's root (the repository checkout it was loaded from). */
  readonly root: string;
  /** The module file `compile` came from, for the log: proof of which tree a worker runs. */
  readonly entry: string;
  readonly compile: typeof Compile;
  readonly createSegmentTrieMatcher: PathMatcherFactory;
  readonly createPrefixHashMatcher: PathMatcherFactory;
  readonly createFindMyWayMatcher: PathMatcherFactory;
}

/** The repository this bench is part of. */
export const WORKING_TREE = fileURLToPath(new URL('../../../', import.meta.url));

const FACTORIES = ['createSegmentTrieMatcher', 'createPrefixHashMatcher', 'createFindMyWayMatcher'] as const;
/** Entry points of the package where these may live: the root, and the path-matchers subpath newer trees have. */
const SUBPATHS = ['.', './path-matchers'] as const;

/**
 * Loads `compile` and the path matcher factories from the `@switchyard/core` sources of the
 * tree at `root` (this repository, or the base of `bench:compare` checked out elsewhere), by
 * the package's own `exports` map and its `source` condition, so each tree's core, with the
 * dependencies installed for it, is what gets timed. Only public entry points are used, and
 * the factories are found whether the tree exports them from the root or from a subpath.
 */
export async function loadCore(root: string = WORKING_TREE): Promise<CoreUnderTest> {
  const packageDir = join(root, 'packages', 'core');
  const { exports } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const entries = SUBPATHS.map((subpath) => sourceFile(packageDir, exports[subpath])).filter((file): file is string => file !== undefined);
  const modules = (await Promise.all(entries.map((file) => import(pathToFileURL(file).href)))) as Array<Record<string, unknown>>;
  const find = <T>(name: string): T => {
    const found = modules.find((module) => typeof module[name] === 'function')?.[name];
    if (found === undefined) throw new Error(`${packageDir}: no ${name} in ${entries.join(', ')}`);
    return found as T;
  };
  const [segmentTrie, prefixHash, findMyWay] = FACTORIES.map((name) => find<PathMatcherFactory>(name)) as [PathMatcherFactory, PathMatcherFactory, PathMatcherFactory];
  return { root, entry: entries[0]!, compile: find('compile'), createSegmentTrieMatcher: segmentTrie, createPrefixHashMatcher: prefixHash, createFindMyWayMatcher: findMyWay };
}

/** The file an `exports` entry names for the `source` condition (else `import`, `default`, or the plain string). */
function sourceFile(packageDir: string, entry: unknown): string | undefined {
  if (typeof entry === 'string') return join(packageDir, entry);
  if (entry === null || typeof entry !== 'object') return undefined;
  const conditions = entry as Record<string, unknown>;
  for (const condition of ['source', 'import', 'default']) {
    if (conditions[condition] !== undefined) return sourceFile(packageDir, conditions[condition]);
  }
  return undefined;
}
