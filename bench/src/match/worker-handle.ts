import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ToWorker } from './protocol.js';

// The worker sits next to this file, as .ts under tsx and as .js once built.
const WORKER_FILE = fileURLToPath(new URL(`./worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/**
 * A forked worker process, asked one question at a time. The child inherits this
 * process's flags (tsx's loader, `--conditions=source`, `--expose-gc`).
 */
export class WorkerHandle {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private waiting: { resolve: (message: FromWorker) => void; reject: (error: Error) => void } | undefined;

  constructor(readonly name: string) {
    this.child = fork(WORKER_FILE, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: FromWorker) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (message.type === 'failed') waiting?.reject(new Error(`worker ${this.name} failed: ${message.message}`));
      else waiting?.resolve(message);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        this.waiting?.reject(new Error(`worker ${this.name} exited (code ${code}) before answering`));
        this.waiting = undefined;
        resolve(code);
      });
    });
  }

  /** Sends a message and waits for the answer of the given type. */
  ask<T extends FromWorker['type']>(message: ToWorker, answer: T): Promise<Extract<FromWorker, { type: T }>> {
    if (this.waiting !== undefined) throw new Error(`worker ${this.name} is busy`);
    return new Promise((resolve, reject) => {
      this.waiting = {
        resolve: (reply) => {
          if (reply.type === answer) resolve(reply as Extract<FromWorker, { type: T }>);
          else reject(new Error(`worker ${this.name} answered ${reply.type}, expected ${answer}`));
        },
        reject,
      };
      this.child.send(message);
    });
  }

  /** Asks the worker to leave and waits until it has; kills it if it does not within a few seconds. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ type: 'exit' } satisfies ToWorker);
    const timer = setTimeout(() => this.child.kill(), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}
