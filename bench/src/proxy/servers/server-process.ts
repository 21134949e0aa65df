import type { AddressInfo, Server } from 'node:net';
import type { FromServer, ReadyMessage } from '../protocol.js';

/**
 * Helpers every server entry (target or upstream) uses: its configuration comes as one JSON
 * argument, it says `ready` over IPC once listening, and it stops on SIGTERM or when the
 * orchestrator goes away (the IPC channel closes), so no server outlives a failed run.
 */
export function readConfig<T>(): T {
  const text = process.argv[2];
  if (text === undefined) throw new Error(`${process.argv[1]}: expected the configuration as one JSON argument`);
  return JSON.parse(text) as T;
}

export function send(message: FromServer): void {
  process.send?.(message);
}

export function announce(message: Omit<ReadyMessage, 'type'>): void {
  send({ type: 'ready', ...message });
}

/** Runs `close` once on SIGTERM, SIGINT or a closed IPC channel, then exits. */
export function stopOn(close: () => Promise<unknown> | unknown): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // A server that does not close in time (a keep-alive socket) must not hold the run.
    setTimeout(() => process.exit(0), 2_000).unref();
    Promise.resolve()
      .then(close)
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}

/** Reports a failure to start to the orchestrator, then exits 1. */
export function failed(error: unknown): never {
  send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}

/** `scheme://127.0.0.1:port` of a listening server. */
export function urlOf(server: Pick<Server, 'address'>, scheme: 'http' | 'https'): string {
  const { address, port } = server.address() as AddressInfo;
  return `${scheme}://${address}:${port}`;
}

/** The loopback address every server binds. */
export const LOOPBACK = '127.0.0.1';
