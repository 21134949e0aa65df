import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { BenchError } from './errors.js';

/** How long a process may take to say it is ready (a 10,000-path table compiles in well under this). */
const READY_TIMEOUT_MS = 60_000;
/** How long `stop()` waits after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5_000;
/** Lines of stderr kept, for the message when a process fails. */
const STDERR_LINES = 30;

export interface ManagedProcessOptions {
  /** A short name for messages: the target id, `upstream`, `load`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Open an IPC channel (Node children); the process says it is ready with a `{ type: 'ready' }` message. */
  readonly ipc: boolean;
  /** Without IPC: ready once this port accepts a connection (nginx). */
  readonly readyPort?: number;
}

/** What the harness needs of any process it started: its pid (for CPU time) and a way to stop it. */
export interface ProcessHandle {
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * A child process of the benchmarks (a match worker, a proxy target, the load generator):
 * started with its pinning already in `command`, its stdout discarded (the CLI's request log
 * would otherwise cost the orchestrator CPU), its last stderr lines kept for the error when it
 * fails. Asked one question at a time over IPC.
 */
export class ManagedProcess<In extends object = object, Out extends { type: string } = { type: string }> implements ProcessHandle {
  private readonly child: ChildProcess;
  private readonly stderr: string[] = [];
  private readonly exited: Promise<void>;
  private waiting: { type: string; resolve: (message: Out) => void; reject: (error: Error) => void } | undefined;
  /** Messages that came while nobody waited (a `ready` sent before `ready()` was called). */
  private readonly unasked: Out[] = [];
  private exitNote: string | undefined;
  /** The start of a stderr line whose end has not come yet. */
  private partialLine = '';
  private readonly lineListeners = new Set<(line: string) => void>();

  constructor(readonly options: ManagedProcessOptions) {
    this.child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      stdio: ['ignore', 'ignore', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
      serialization: 'advanced',
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      const lines = (this.partialLine + chunk).split('\n');
      this.partialLine = lines.pop()!;
      for (const line of lines) {
        if (line === '') continue;
        this.stderr.push(line);
        for (const listener of [...this.lineListeners]) listener(line);
      }
      if (this.stderr.length > STDERR_LINES) this.stderr.splice(0, this.stderr.length - STDERR_LINES);
    });
    this.child.on('message', (message: Out) => {
      const waiting = this.waiting;
      if (waiting === undefined) {
        this.unasked.push(message);
        return;
      }
      this.waiting = undefined;
      this.settle(waiting, message);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.exitNote = `could not start: ${error.message}`;
        this.waiting?.reject(this.failure(this.exitNote));
        this.waiting = undefined;
        resolve();
      });
      this.child.on('exit', (code, signal) => {
        this.exitNote ??= `exited (${signal ?? `code ${code}`})`;
        this.waiting?.reject(this.failure(this.exitNote));
        this.waiting = undefined;
        resolve();
      });
    });
  }

  /** The pid of the pinned program itself (taskset execs it). */
  get pid(): number {
    if (this.child.pid === undefined) throw this.failure('has no pid (it did not start)');
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.exitNote === undefined;
  }

  /** Waits for the process's `ready` message (or, without IPC, for its port to accept). */
  async ready<R extends Out>(): Promise<R> {
    const timer = setTimeout(() => {
      this.waiting?.reject(this.failure(`was not ready within ${READY_TIMEOUT_MS / 1000} s`));
      this.waiting = undefined;
    }, READY_TIMEOUT_MS);
    try {
      if (this.options.ipc) return (await this.expect('ready')) as R;
      await this.portAccepts(this.options.readyPort ?? 0);
      return { type: 'ready' } as R;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a message and waits for the answer of the given type. */
  ask<T extends Out['type']>(message: In, answer: T): Promise<Extract<Out, { type: T }>> {
    const reply = this.expect(answer);
    this.child.send(message);
    return reply as Promise<Extract<Out, { type: T }>>;
  }

  /**
   * The next whole stderr line that `accept` takes, as soon as the orchestrator reads it;
   * rejects after `timeoutMs`, or when the process exits first.
   */
  nextStderrLine(accept: (line: string) => boolean, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        this.lineListeners.delete(listener);
      };
      const listener = (line: string) => {
        if (!accept(line)) return;
        stop();
        resolve(line);
      };
      const timer = setTimeout(() => {
        stop();
        reject(this.failure(`printed no awaited line on stderr within ${timeoutMs} ms`));
      }, timeoutMs);
      this.lineListeners.add(listener);
      void this.exited.then(() => {
        if (!this.lineListeners.has(listener)) return;
        stop();
        reject(this.failure(this.exitNote ?? 'exited'));
      });
    });
  }

  /** Counts the stderr lines `accept` takes from now on; the function returned stops and gives the count. */
  countStderrLines(accept: (line: string) => boolean): () => number {
    let count = 0;
    const listener = (line: string) => {
      if (accept(line)) count += 1;
    };
    this.lineListeners.add(listener);
    return () => {
      this.lineListeners.delete(listener);
      return count;
    };
  }

  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.exitNote = 'stopped';
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** An error naming the process, with its last stderr lines. */
  failure(what: string): BenchError {
    const tail = this.stderr.length > 0 ? `\n  stderr:\n    ${this.stderr.join('\n    ')}` : '';
    return new BenchError('SWY_BENCH_PROCESS_FAILED', `${this.options.name} ${what}${tail}`, { subject: { kind: 'BenchProcess', name: this.options.name } });
  }

  private expect(type: string): Promise<Out> {
    if (this.waiting !== undefined) return Promise.reject(this.failure(`is busy (waiting for ${this.waiting.type})`));
    return new Promise((resolve, reject) => {
      const early = this.unasked.shift();
      if (early !== undefined) return this.settle({ type, resolve, reject }, early);
      if (!this.running) return reject(this.failure(this.exitNote ?? 'is not running'));
      this.waiting = { type, resolve, reject };
    });
  }

  private settle(waiting: { type: string; resolve: (message: Out) => void; reject: (error: Error) => void }, message: Out): void {
    if (message.type === 'failed') waiting.reject(this.failure(`failed: ${(message as unknown as { message: string }).message}`));
    else if (message.type !== waiting.type) waiting.reject(this.failure(`answered ${message.type}, expected ${waiting.type}`));
    else waiting.resolve(message);
  }

  private async portAccepts(port: number): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (!this.running) throw this.failure(this.exitNote ?? 'exited');
      if (await accepts(port)) return;
      if (Date.now() > deadline) throw this.failure(`did not accept connections on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
