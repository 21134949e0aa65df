import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchError } from '../common/errors.js';
import type { Log } from '../common/script.js';
import { WORKING_TREE } from '../match/core-under-test.js';

/** The pnpm every install here uses: the repository's own (`packageManager`), through npx. */
const PNPM = ['-y', 'pnpm@10.34.9'];

/** A commit checked out and installed beside the repository, for as long as a compare runs. */
export interface BaseTree {
  /** The ref as given (`main`, `HEAD~3`, a commit). */
  readonly ref: string;
  readonly commit: string;
  /** The checkout: a temporary git worktree outside the repository. */
  readonly root: string;
  /** Removes the worktree (idempotent). */
  remove(): void;
}

/**
 * Materializes `ref` as a detached git worktree in a temporary directory outside the
 * repository and installs its dependencies from the warm pnpm store (offline first, then
 * preferring it), so the base's `@switchyard/core` and its server entries run with the
 * dependencies its lockfile names. The worktree is removed by `remove()`, and also when the
 * process is interrupted (SIGINT, SIGTERM) or exits before that.
 *
 * @throws BenchError `SWY_BENCH_BASE_FAILED` (field `--base`) when the ref does not name a commit, or the checkout or install fails.
 */
export function checkoutBase(ref: string, log: Log): BaseTree {
  const commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], `${ref} does not name a commit here`).trim();
  const root = mkdtempSync(join(tmpdir(), 'switchyard-compare-base-'));
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    try {
      execFileSync('git', ['worktree', 'remove', '--force', root], { cwd: WORKING_TREE, stdio: 'ignore' });
    } catch {
      // Half made (the add failed): remove the directory and let git forget it.
      rmSync(root, { recursive: true, force: true });
      spawnSync('git', ['worktree', 'prune'], { cwd: WORKING_TREE, stdio: 'ignore' });
    }
    log(`removed the base worktree ${root}`);
  };
  const interrupted = (signal: NodeJS.Signals): void => {
    remove();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', remove);
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  try {
    git(['worktree', 'add', '--detach', root, commit], `could not check out ${ref} (${commit.slice(0, 7)}) in ${root}`);
    log(`base: ${ref} = ${commit.slice(0, 10)}, checked out in ${root}; installing its dependencies`);
    const started = performance.now();
    if (!install(root, '--offline') && !install(root, '--prefer-offline')) {
      throw new BenchError('SWY_BENCH_BASE_FAILED', `pnpm install failed in the base worktree ${root}`, { field: '--base' });
    }
    log(`base: installed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { ref, commit, root, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * `tsc -b` in the base checkout, for a benchmark that runs what its packages build (the CLI's
 * parse worker runs from dist/ even from sources).
 *
 * @throws BenchError `SWY_BENCH_BASE_FAILED` (field `--base`) when the build fails.
 */
export function buildBase(base: BaseTree, log: Log): void {
  log(`base: building (tsc -b) in ${base.root}`);
  const started = performance.now();
  const result = spawnSync('npx', [...PNPM, 'exec', 'tsc', '-b'], { cwd: base.root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new BenchError('SWY_BENCH_BASE_FAILED', `tsc -b failed in the base worktree ${base.root}`, { field: '--base' });
  log(`base: built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The file a tree's bench runs for `relative` (under bench/src), if the tree has it. */
export function benchFile(root: string, relative: string): string | undefined {
  const file = join(root, 'bench', 'src', relative);
  return existsSync(file) ? file : undefined;
}

function install(root: string, mode: '--offline' | '--prefer-offline'): boolean {
  const result = spawnSync('npx', [...PNPM, 'install', '--frozen-lockfile', mode], { cwd: root, stdio: ['ignore', 2, 2] });
  return result.status === 0;
}

function git(args: readonly string[], failure: string): string {
  try {
    return execFileSync('git', args, { cwd: WORKING_TREE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new BenchError('SWY_BENCH_BASE_FAILED', `${failure}${stderr ? `: ${stderr}` : ''}`, { field: '--base', cause: error });
  }
}

/** The working tree's commit, and how many files differ from it (uncommitted changes are part of what is measured). */
export function describeWorkingTree(): { readonly commit: string; readonly changedFiles: number } {
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: WORKING_TREE, encoding: 'utf8' }).trim();
  const status = execFileSync('git', ['status', '--porcelain'], { cwd: WORKING_TREE, encoding: 'utf8' });
  return { commit, changedFiles: status.split('\n').filter((line) => line.trim() !== '').length };
}
