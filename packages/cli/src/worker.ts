import cluster from 'node:cluster';
import { GatewayMetrics } from '@switchyard/fastify';
import type { CliIo } from './cli-io.js';
import { isMessage, WORKER_SLOT_ENV, type PrimaryMessage, type WorkerMessage } from './cluster-messages.js';
import { serve } from './serve.js';
import type { ServeOptions } from './serve-options.js';
import { shutdownSignal } from './shutdown-signal.js';

/** How long a worker's /metrics waits for the primary to gather the cluster's. */
const METRICS_TIMEOUT_MS = 10_000;

/**
 * Metrics of one worker whose /metrics answers for the whole cluster: `scrape()` asks the
 * primary, which sums every worker's registry (prom-client's `AggregatorRegistry.aggregate`).
 * Recording stays local and free of IPC: only a scrape crosses processes.
 */
class ClusterMetrics extends GatewayMetrics {
  private nextId = 0;
  private readonly pending = new Map<number, (message: Extract<PrimaryMessage, { type: 'switchyard:metrics-answer' }>) => void>();

  constructor() {
    super();
    process.on('message', (message: unknown) => {
      if (isMessage<Extract<PrimaryMessage, { type: 'switchyard:metrics-collect' }>>(message, 'switchyard:metrics-collect')) {
        this.registry.getMetricsAsJSON().then(
          (metrics) => send({ type: 'switchyard:metrics-part', id: message.id, metrics }),
          (error: unknown) => send({ type: 'switchyard:metrics-part', id: message.id, error: String((error as Error)?.message ?? error) }),
        );
      } else if (isMessage<Extract<PrimaryMessage, { type: 'switchyard:metrics-answer' }>>(message, 'switchyard:metrics-answer')) {
        this.pending.get(message.id)?.(message);
      }
    });
  }

  override scrape(): Promise<{ contentType: string; body: string }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('the primary did not gather the metrics in time'));
      }, METRICS_TIMEOUT_MS);
      this.pending.set(id, (answer) => {
        clearTimeout(timer);
        this.pending.delete(id);
        if (answer.body !== undefined && answer.contentType !== undefined) resolve({ contentType: answer.contentType, body: answer.body });
        else reject(new Error(answer.error ?? 'no metrics'));
      });
      send({ type: 'switchyard:metrics-request', id });
    });
  }
}

/**
 * A worker of `switchyard serve --workers N`: serves like a single process, on the ports the
 * primary shares among the workers. Only slot 0 reports diagnostics and reloads (the workers
 * read the same files, so N copies of each line say nothing more). Drains on SIGTERM (sent by
 * the primary) or SIGINT (Ctrl-C reaches the whole process group).
 */
export async function runWorker(options: ServeOptions, io: CliIo): Promise<number> {
  const reports = process.env[WORKER_SLOT_ENV] === '0';
  // The primary forwards a terminal's SIGINT as SIGTERM: a second signal is expected, not urgent.
  const signal = shutdownSignal();
  try {
    // Slot 0 alone runs for the Lease: the workers of a pod share its identity, and one writer per pod is enough.
    const server = await serve({ ...options, report: reports ? (line) => void io.stderr.write(`${line}\n`) : () => undefined }, { metrics: new ClusterMetrics(), writesStatus: reports });
    send({ type: 'switchyard:listening', urls: server.urls, description: server.describe() });
    await signal;
    await server.close();
    return 0;
  } finally {
    // The IPC channel would keep the process alive: let go of it so the worker ends. Through
    // cluster.worker, not process.disconnect(): on a disconnect it did not ask for, Node's
    // cluster code exits the worker with 0 whatever the exit code says.
    if (process.connected) cluster.worker?.disconnect();
  }
}

function send(message: WorkerMessage): void {
  if (process.connected) process.send!(message);
}
