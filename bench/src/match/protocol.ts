import type { Mismatch } from './check.js';
import type { BenchRequest } from './requests.js';
import type { TableSize } from './sizes.js';
import type { SubjectId } from './subjects.js';

/** The two halves of the sample, timed separately. */
export type RequestKind = 'hits' | 'misses';

/** What the orchestrator asks a worker, one message at a time. */
export type ToWorker =
  | {
      readonly type: 'setup';
      readonly subject: SubjectId;
      /** The repository whose `@switchyard/core` the worker loads and times (`loadCore`). */
      readonly coreRoot: string;
      readonly size: TableSize;
      readonly seed: number;
      /** The workload's hash in the orchestrator: the worker must rebuild the same one. */
      readonly fingerprint: string;
      readonly hits: readonly BenchRequest[];
      readonly misses: readonly BenchRequest[];
      /** Keep compiling for compile-time samples until this much time is spent. */
      readonly compileBudgetMs: number;
      /** New string objects for every call (see `PassMaker`), or the sample's strings over and over. */
      readonly freshStrings: boolean;
    }
  | { readonly type: 'warm-up'; readonly ms: number; readonly batchMs: number }
  | { readonly type: 'measure'; readonly kind: RequestKind };

export interface BuildStats {
  /** Every timed build, in ms, the first (cold) one included. */
  readonly compileMs: readonly number[];
  /** Heap still used after the build and a full GC, minus before: what the table holds. */
  readonly heapBytes: number;
}

/** What a worker answers. */
export type FromWorker =
  | { readonly type: 'ready'; readonly build: BuildStats | undefined; readonly mismatches: readonly Mismatch[]; /** The core module it loaded. */ readonly coreEntry: string }
  | { readonly type: 'warmed'; readonly passes: Readonly<Record<RequestKind, number>> }
  | { readonly type: 'measured'; readonly kind: RequestKind; readonly nsPerOp: number }
  | { readonly type: 'failed'; readonly message: string };
