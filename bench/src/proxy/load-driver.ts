import { entryFile, nodeArgs } from './process/launch.js';
import { BenchError } from '../common/errors.js';
import { ManagedProcess } from '../common/managed-process.js';
import { pinned, type Pinning } from './pinning.js';
import type { FromLoad, LoadOutcome, LoadSpec, ToLoad } from './protocol.js';
import { runH2load } from './load/h2load.js';
import { runWrk } from './load/wrk.js';

/**
 * The load generator: one long-lived process pinned to the load core running autocannon, the
 * WebSocket client or the grpc-js client per request, and wrk (also pinned) for the targets faster than
 * autocannon can drive, when wrk is installed and allowed.
 */
export class LoadDriver {
  private constructor(
    private readonly process: ManagedProcess<ToLoad, FromLoad>,
    private readonly pinning: Pinning,
    private readonly wrk: string | undefined,
    private readonly scratchDir: string,
    private readonly h2load: string | undefined,
  ) {}

  static async start(pinning: Pinning, wrk: string | undefined, scratchDir: string, h2load?: string): Promise<LoadDriver> {
    const { command, args } = pinned(pinning, 'load', process.execPath, nodeArgs(entryFile('load/load-process')));
    const child = new ManagedProcess<ToLoad, FromLoad>({ name: 'load generator', command, args, ipc: true });
    await child.ready();
    return new LoadDriver(child, pinning, wrk, scratchDir, h2load);
  }

  /** The autocannon process's pid (its CPU share shows whether it was the limit). */
  get pid(): number {
    return this.process.pid;
  }

  /** Which tool a spec will be run with. */
  toolFor(spec: LoadSpec, fast: boolean): LoadOutcome['tool'] {
    if (spec.kind === 'ws') return 'ws-client';
    if (spec.kind === 'grpc') return 'grpc-js';
    if (spec.h2 !== undefined) return 'h2load';
    return fast && this.wrk !== undefined && spec.pipelining === 1 ? 'wrk' : 'autocannon';
  }

  async run(spec: LoadSpec, fast: boolean): Promise<LoadOutcome> {
    if (spec.kind === 'http' && spec.h2 !== undefined) {
      if (this.h2load === undefined) throw new BenchError('SWY_BENCH_PROCESS_FAILED', 'an HTTP/2 target needs h2load (Debian: nghttp2-client)', { subject: { kind: 'BenchProcess', name: 'h2load' } });
      return runH2load(this.h2load, this.pinning, this.scratchDir, { ...spec, h2: spec.h2 });
    }
    if (spec.kind === 'http' && this.toolFor(spec, fast) === 'wrk') return runWrk(this.wrk!, this.pinning, this.scratchDir, spec);
    const answer = await this.process.ask({ type: 'run', spec }, 'result');
    return answer.outcome;
  }

  close(): Promise<void> {
    return this.process.stop();
  }
}
