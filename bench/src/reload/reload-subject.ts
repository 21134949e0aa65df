import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError } from '../common/errors.js';
import type { ManagedProcess } from '../common/managed-process.js';
import { median } from '../common/stats.js';
import { explainedPath, FILES_RELOAD_LINE } from '../proxy/cli-admin.js';
import { writeChurnTable } from '../proxy/churn-table.js';
import type { Pinning } from '../proxy/pinning.js';
import { launchCli } from '../proxy/process/launch.js';
import { startServer } from '../proxy/targets.js';
import { threadCpuNs } from './thread-cpu.js';

/** Nowhere: the CLI only routes here, and nothing is sent. */
const UPSTREAM_PORT = 9;

/** What the CLI prints once a reload is done: applied, or not. */

/** A thread's CPU (ns) over a stretch of time (ms). */
export interface Window {
  readonly ns: number;
  readonly ms: number;
}

export interface Measured {
  /** From the write until the CLI printed that it serves the new table. */
  readonly toTable: Window;
  /** From the write until the end of the fixed window. */
  readonly window: Window;
  /** The reloads the CLI did in the window: more than one when the writes spanned its debounce (then `toTable` is the first's). */
  readonly reloads: number;
}

/**
 * One `switchyard serve -f` on a churn table of its own (10,000 Ingress paths in 100 files),
 * idle, pinned as the proxy, whose serving thread's CPU a change is measured by. `benchDir`:
 * another checkout's bench/ (the base of a paired run), whose CLI entry and packages run.
 */
export class ReloadSubject {
  /** The serving thread's rate at rest (ns per ms), one window before each change. */
  readonly restRates: number[] = [];

  private constructor(
    readonly name: string,
    readonly dir: string,
    private readonly cli: ManagedProcess,
    private readonly pid: number,
    private readonly admin: string,
  ) {}

  static async start(name: string, pinning: Pinning, benchDir?: string): Promise<ReloadSubject> {
    const dir = mkdtempSync(join(tmpdir(), `switchyard-bench-reload-${name}-`));
    writeChurnTable(dir, UPSTREAM_PORT);
    try {
      const started = await startServer(name, launchCli(name, ['serve', '-f', dir, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off'], 'proxy', pinning, benchDir));
      const admin = started.info.admin;
      if (typeof admin !== 'string') {
        await started.owned?.stop();
        throw new BenchError('SWY_BENCH_PROCESS_FAILED', 'the CLI printed no admin URL', { subject: { kind: 'BenchProcess', name } });
      }
      return new ReloadSubject(name, dir, started.owned as ManagedProcess, started.pid, admin);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * A rest window of `windowMs`, then `change()`: the serving thread's CPU (ns) and the time (ms)
   * from it until the CLI says it serves the new table, and until the end of the window.
   */
  async measure(change: () => void, windowMs: number): Promise<Measured> {
    this.restRates.push(await this.rest(windowMs));
    const reloads = this.cli.countStderrLines((line) => FILES_RELOAD_LINE.test(line));
    const applied = this.cli.nextStderrLine((line) => FILES_RELOAD_LINE.test(line), windowMs);
    const cpu0 = threadCpuNs(this.pid);
    const t0 = performance.now();
    change();
    const line = await applied;
    const toTable = { ns: threadCpuNs(this.pid) - cpu0, ms: performance.now() - t0 };
    if (!line.includes(': reloaded, table version ')) throw this.cli.failure(`did not apply the change: ${line}`);
    await sleep(windowMs - toTable.ms);
    const window = { ns: threadCpuNs(this.pid) - cpu0, ms: performance.now() - t0 };
    return { toTable, window, reloads: reloads() };
  }

  /** Fails the run unless the admin /explain routes `host` `path` to the rule of that path. */
  async expectRouted(host: string, path: string, afterMs: number): Promise<void> {
    const routed = await explainedPath(this.admin, host, path);
    if (routed !== path) {
      throw new BenchError('SWY_BENCH_WRONG_ANSWER', `${this.name}: ${host}${path} was not routed ${afterMs} ms after its file changed (the admin /explain says ${String(routed)})`, {
        field: 'path',
        subject: { kind: 'BenchProcess', name: this.name },
      });
    }
  }

  /** Each window's CPU less the median rate at rest over its length, in ms. */
  net(windows: readonly Window[]): number[] {
    const restNsPerMs = median(this.restRates);
    return windows.map((w) => (w.ns - restNsPerMs * w.ms) / 1e6);
  }

  async stop(): Promise<void> {
    try {
      await this.cli.stop();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /** The serving thread's CPU rate (ns per ms) over `windowMs` from now, with nothing changed. */
  private async rest(windowMs: number): Promise<number> {
    const cpu0 = threadCpuNs(this.pid);
    const t0 = performance.now();
    await sleep(windowMs);
    return (threadCpuNs(this.pid) - cpu0) / (performance.now() - t0);
  }
}
