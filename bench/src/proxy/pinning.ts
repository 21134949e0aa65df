/** What a process is to the benchmark, which decides the cores it may run on. */
export type Role = 'proxy' | 'load' | 'upstream' | 'workers';

/** Which cores each role runs on (`taskset -c` lists), or null when not pinned (kept in the JSON as such). */
export interface Pinning {
  /** The taskset executable, or null when the run is not pinned. */
  readonly taskset: string | null;
  readonly cores: Readonly<Record<Role, string | null>>;
  /** Why the run is not pinned; null when it is. */
  readonly unpinnedBecause: string | null;
}

/**
 * The proxy under test gets core 0 to itself; the load generator and the upstream share core
 * 1, so the proxy's CPU time is its own and comparable across targets. Multi-process targets
 * (`serve --workers 2`) get both cores, which they then share with the load generator. With
 * no taskset, or fewer than two cores, nothing is pinned, and the report says so.
 */
export function planPinning(taskset: string | undefined, cores: number): Pinning {
  if (taskset === undefined) return unpinned('taskset is not on PATH');
  if (cores < 2) return unpinned(`${cores} core(s): nothing to separate`);
  return { taskset, cores: { proxy: '0', load: '1', upstream: '1', workers: '0,1' }, unpinnedBecause: null };
}

function unpinned(because: string): Pinning {
  return { taskset: null, cores: { proxy: null, load: null, upstream: null, workers: null }, unpinnedBecause: because };
}

/** The command and arguments that run `command args` pinned for `role` (unchanged when not pinned). */
export function pinned(pinning: Pinning, role: Role, command: string, args: readonly string[]): { command: string; args: string[] } {
  const cores = pinning.cores[role];
  if (pinning.taskset === null || cores === null) return { command, args: [...args] };
  // taskset execs the command: the pid spawn returns is the pinned program's own.
  return { command: pinning.taskset, args: ['-c', cores, command, ...args] };
}

/** One line for the report: who runs where. */
export function describePinning(pinning: Pinning): string {
  if (pinning.taskset === null) return `not pinned (${pinning.unpinnedBecause ?? 'no taskset'})`;
  const { proxy, load, upstream, workers } = pinning.cores;
  return `taskset: proxy on core ${proxy}, load generator on core ${load}, upstream on core ${upstream}, multi-worker targets on cores ${workers}; the orchestrator is not pinned (it idles while load runs)`;
}
