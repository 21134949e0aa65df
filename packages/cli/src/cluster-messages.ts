import type { RunningServer } from './serve.js';

/**
 * The messages between the primary and its workers (`process.send` / `worker.send`), all
 * tagged `switchyard:`. Metrics: a worker's /metrics asks the primary, which collects every
 * ready worker's registry as JSON and answers with the sum.
 */
export type WorkerMessage =
  /** The worker is listening. */
  | { readonly type: 'switchyard:listening'; readonly urls: RunningServer['urls']; readonly description: string }
  /** /metrics was asked for on this worker: the primary answers with the whole cluster's. */
  | { readonly type: 'switchyard:metrics-request'; readonly id: number }
  /** This worker's metrics, as `registry.getMetricsAsJSON()` gives them. */
  | { readonly type: 'switchyard:metrics-part'; readonly id: number; readonly metrics?: unknown[]; readonly error?: string };

export type PrimaryMessage =
  | { readonly type: 'switchyard:metrics-collect'; readonly id: number }
  | { readonly type: 'switchyard:metrics-answer'; readonly id: number; readonly contentType?: string; readonly body?: string; readonly error?: string };

/** Environment variable telling a worker its slot (0 to workers - 1); slot 0 reports diagnostics. */
export const WORKER_SLOT_ENV = 'SWITCHYARD_WORKER_SLOT';

export function isMessage<T extends { type: string }>(value: unknown, type: T['type']): value is T {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}
