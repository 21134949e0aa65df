import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { assertAppendable } from './access-log.js';
import type { CliIo } from './cli-io.js';
import { isMessage, WORKER_SLOT_ENV, type PrimaryMessage, type WorkerMessage } from './cluster-messages.js';
import { CliError, EXIT_FAILURE } from './errors.js';
import { assertReadable } from './manifest-config.js';
import { printServing } from './print-serving.js';
import type { ServeOptions } from './serve-options.js';
import { shutdownSignal } from './shutdown-signal.js';

/** How long the primary waits for one worker's part of a metrics scrape; a worker that is late is left out. */
const METRICS_PART_TIMEOUT_MS = 5_000;
/** Restart delays after a worker dies: doubled while restarted workers die young, up to the maximum. */
const RESTART_DELAY_MS = { initial: 100, max: 10_000 } as const;
/** A worker that lived this long died of something other than its start: the delay starts over. */
const HEALTHY_LIFETIME_MS = 10_000;


interface Slot {
  worker: Worker | undefined;
  listening: boolean;
  startedAt: number;
  restartDelayMs: number;
}

/**
 * The primary of `switchyard serve --workers N` (node:cluster): forks N workers that listen on
 * the same ports (the primary accepts and hands connections out round-robin), prints the URLs
 * once the first worker listens, restarts a worker that dies unexpectedly (with a growing delay
 * while replacements die young), and on SIGTERM or SIGINT sends SIGTERM to every worker and
 * waits for them to drain.
 *
 * The admin listener is served by the workers, like the proxy: /healthz, /readyz, /routes and
 * /explain answer from whichever worker takes the connection (they all read the same
 * configuration). /metrics answers for the whole cluster: the worker asks the primary, which
 * gathers every listening worker's registry and sums them with prom-client's
 * `AggregatorRegistry.aggregate` (counters and histograms add up; a scrape never depends on
 * which worker it reached).
 *
 * If a worker dies before any worker is listening (an address in use, manifests that do not
 * parse), the start failed: the others are stopped and the primary exits 1
 * (`SWY_CLI_WORKER_FAILED`, after the worker's own line saying why).
 */
export async function runPrimary(options: ServeOptions, count: number, io: CliIo): Promise<number> {
  // What can be found wrong before forking is reported once, here, not once per worker.
  if (options.files) await assertReadable(options.files, '-f');
  if (options.https?.defaultCertificate) {
    await assertReadable([options.https.defaultCertificate.certFile], '--tls-cert');
    await assertReadable([options.https.defaultCertificate.keyFile], '--tls-key');
  }
  if (typeof options.kubernetes === 'object' && options.kubernetes.kubeconfig !== undefined) await assertReadable([options.kubernetes.kubeconfig], '--kubeconfig');
  if (typeof options.accessLog === 'object') await assertAppendable(options.accessLog.file);

  const slots: Slot[] = Array.from({ length: count }, () => ({ worker: undefined, listening: false, startedAt: 0, restartDelayMs: RESTART_DELAY_MS.initial }));
  let started = false;
  let stopping = false;
  let failure: string | undefined;
  let printed = false;
  let resolveStarted!: () => void;
  const startup = new Promise<void>((resolve) => (resolveStarted = resolve));
  const exits = new Set<Promise<number>>();
  let worstExit = 0;

  const fork = (index: number) => {
    const slot = slots[index]!;
    const worker = cluster.fork({ [WORKER_SLOT_ENV]: String(index) });
    slot.worker = worker;
    slot.listening = false;
    slot.startedAt = Date.now();
    exits.add(
      new Promise<number>((resolve) => {
        worker.once('exit', (code, signal) => {
          // Only the drain decides the exit status: a worker that died earlier was replaced.
          if (stopping && code !== 0) worstExit = EXIT_FAILURE;
          onExit(index, worker, code, signal);
          resolve(code ?? 1);
        });
      }),
    );
    worker.on('message', (message: unknown) => onMessage(index, worker, message));
  };

  const onMessage = (index: number, worker: Worker, message: unknown) => {
    if (isMessage<Extract<WorkerMessage, { type: 'switchyard:listening' }>>(message, 'switchyard:listening')) {
      slots[index]!.listening = true;
      if (!printed) {
        printed = true;
        printServing(message.urls, `${message.description}, with ${count} workers`, io);
      }
      if (slots.every((s) => s.listening)) {
        started = true;
        resolveStarted();
      }
    } else if (isMessage<Extract<WorkerMessage, { type: 'switchyard:metrics-request' }>>(message, 'switchyard:metrics-request')) {
      gatherMetrics(slots).then(
        ({ contentType, body }) => reply(worker, { type: 'switchyard:metrics-answer', id: message.id, contentType, body }),
        (error: unknown) => reply(worker, { type: 'switchyard:metrics-answer', id: message.id, error: String((error as Error)?.message ?? error) }),
      );
    }
  };

  const onExit = (index: number, worker: Worker, code: number | null, signal: string | null) => {
    const slot = slots[index]!;
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    slot.listening = false;
    if (stopping) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!started) {
      failure = `worker ${worker.process.pid} exited with ${how} before the gateway was listening`;
      resolveStarted();
      return;
    }
    const lived = Date.now() - slot.startedAt;
    slot.restartDelayMs = lived >= HEALTHY_LIFETIME_MS ? RESTART_DELAY_MS.initial : Math.min(slot.restartDelayMs * 2, RESTART_DELAY_MS.max);
    const delay = lived >= HEALTHY_LIFETIME_MS ? 0 : slot.restartDelayMs;
    io.stderr.write(`switchyard: worker ${worker.process.pid} exited with ${how}; starting another${delay ? ` in ${delay} ms` : ''}\n`);
    setTimeout(() => {
      if (!stopping && slot.worker === undefined) fork(index);
    }, delay).unref();
  };

  // A second signal while the workers drain exits at once, as a single process does.
  const signal = shutdownSignal((again) => {
    io.stderr.write(`switchyard: ${again} again: exiting without waiting for the workers to drain\n`);
    for (const slot of slots) slot.worker?.process.kill('SIGKILL');
    process.exit(EXIT_FAILURE);
  });
  for (let i = 0; i < count; i++) fork(i);
  await Promise.race([startup, signal]);

  if (failure !== undefined) {
    stopping = true;
    stopAll(slots);
    await Promise.all(exits);
    throw new CliError('SWY_CLI_WORKER_FAILED', failure);
  }
  const received = await signal;
  stopping = true;
  io.stderr.write(`switchyard: ${received}: draining ${slots.filter((s) => s.worker).length} workers\n`);
  stopAll(slots);
  await Promise.all(exits);
  io.stderr.write('switchyard: drained\n');
  return worstExit;
}

function stopAll(slots: readonly Slot[]): void {
  for (const slot of slots) slot.worker?.process.kill('SIGTERM');
}

function reply(worker: Worker, message: PrimaryMessage): void {
  if (worker.isConnected()) worker.send(message);
}

let collectId = 0;

/** Every listening worker's registry as JSON, summed: the cluster's /metrics. */
async function gatherMetrics(slots: readonly Slot[]): Promise<{ contentType: string; body: string }> {
  const workers = slots.filter((s) => s.listening && s.worker?.isConnected()).map((s) => s.worker!);
  const id = collectId++;
  const parts = await Promise.all(workers.map((worker) => collectPart(worker, id)));
  const registry = AggregatorRegistry.aggregate(parts.filter((part): part is unknown[] => part !== undefined));
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** One worker's metrics, or undefined if it fails, exits or is late: a scrape shows the others rather than nothing. */
function collectPart(worker: Worker, id: number): Promise<unknown[] | undefined> {
  return new Promise((resolve) => {
    const done = (part: unknown[] | undefined) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      resolve(part);
    };
    const onMessage = (message: unknown) => {
      if (isMessage<Extract<WorkerMessage, { type: 'switchyard:metrics-part' }>>(message, 'switchyard:metrics-part') && message.id === id) done(message.metrics);
    };
    const onExit = () => done(undefined);
    const timer = setTimeout(() => done(undefined), METRICS_PART_TIMEOUT_MS);
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.send({ type: 'switchyard:metrics-collect', id } satisfies PrimaryMessage);
  });
}

