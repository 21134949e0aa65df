import type { ScenarioId } from '../options.js';
import type { AbsentTarget, Target } from '../target.js';

export type SuiteId = 'proxy' | ScenarioId | 'compare';

/** One table of the report: targets measured side by side in interleaved rounds. */
export interface Suite {
  readonly id: SuiteId;
  readonly title: string;
  /** What one completed unit of load is: a request and its response, an echoed WebSocket message, or a gRPC call. */
  readonly unit: 'request' | 'message' | 'call';
  /** The target every req/s ratio divides by, when it runs. */
  readonly baseline: string | undefined;
  /** The target every CPU-per-request ratio divides by, when it runs. */
  readonly cpuFloor: string | undefined;
  readonly targets: readonly Target[];
  readonly absent: readonly AbsentTarget[];
  readonly durationS: number;
  /** Any error, timeout, non-2xx answer or failed round check fails the run (table swaps). */
  readonly errorFree: boolean;
  /** Show MiB/s (the 1 MiB body). */
  readonly throughput: boolean;
  /** Show the upstream's CPU per unit too (gRPC: the upstream costs as much as the proxy). */
  readonly upstreamCpu?: boolean;
  readonly notes: readonly string[];
  /** After the rounds, profile the targets that can be (Switchyard's route-lookup share), unless `--no-profile`. */
  readonly profiled?: boolean;
  /** Targets come in groups of this many, measured back to back in each round (`roundOrder`); 1 when absent. */
  readonly groupSize?: number;
  /** Judges what a target's `duringLoad` returned for one round; a string is a failure. */
  verifyRound?(during: Readonly<Record<string, number>>): string | undefined;
}
