import type { GatewayApiStatus } from '@switchyard/core';
import { Backoff, type BackoffOptions } from '../backoff.js';
import { Coalescer } from '../coalesce.js';
import type { KubeError } from '../errors.js';
import { asKubeError, logKubeError } from '../kube-error-report.js';
import type { KubeConnection } from '../kube-client.js';
import { planStatusWrites, type StatusPlanInput, type StatusWrite } from './status-plan.js';
import { writeStatus, type StatusWriteOutcome } from './status-writer.js';

/** What a publish plans from: the compiler's conclusions and the objects as last observed. */
export interface StatusInputs {
  readonly status: GatewayApiStatus;
  readonly observed: StatusPlanInput['observed'];
}

export interface StatusPublisherOptions {
  readonly connection: KubeConnection;
  /** Switchyard's controller name: the `controllerName` of our route parent entries. */
  readonly controllerName: string;
  /** Whether this replica may write now: the `LeaseElector`'s `isLeader`. Checked before every write. */
  readonly isLeader: () => boolean;
  /** The latest inputs, read at each publish; undefined while there are none yet (before the first sync). */
  readonly inputs: () => StatusInputs | undefined;
  readonly addresses?: StatusPlanInput['addresses'];
  /** Quiet time before a burst of `changed()` calls publishes once. Default 100 ms. */
  readonly debounceMs?: number;
  /** Between tries after a conflict or a failure, jittered. Default 200 ms doubling to 5 s. */
  readonly retry?: BackoffOptions;
  /** Tries in a row after conflicts or failures before waiting for the next change. Default 5. */
  readonly maxRetries?: number;
  /** Hears every write and how it ended (for metrics and tests). */
  readonly onWrite?: (write: StatusWrite, outcome: StatusWriteOutcome) => void;
  /** Hears every failed write; by default a line on stderr. */
  readonly onError?: (error: KubeError) => void;
  readonly now?: () => Date;
  readonly random?: () => number;
}

const DEFAULT_RETRY: BackoffOptions = { initialMs: 200, maxMs: 5_000 };
const DEFAULT_MAX_RETRIES = 5;
const WRITE_TIMEOUT_MS = 10_000;

/**
 * Writes Gateway API status back, from the replica that leads only: each `changed()` (a
 * recompile, a watch event on a Gateway API object, leadership gained) publishes once after the
 * burst settles: the plan of `planStatusWrites` from the latest inputs, each write through the
 * status subresource with the resourceVersion it was planned against. Nothing is written when
 * nothing differs, so endpoint churn and repeated recompiles cost no writes. A conflict (the
 * object changed since it was read) or a failure plans again from the then latest inputs after
 * a jittered backoff, up to `maxRetries` times in a row; the watch event of the newer object
 * schedules a publish by itself anyway. A write planned from a resourceVersion this publisher
 * already wrote from (or was refused at) is skipped: until the watch brings the newer object,
 * such a plan is stale and could only conflict.
 */
export class StatusPublisher {
  private readonly coalescer: Coalescer;
  private readonly backoff: Backoff;
  private readonly maxRetries: number;
  private retries = 0;
  private retryTimer: NodeJS.Timeout | undefined = undefined;
  private publishing: Promise<void> | undefined = undefined;
  private again = false;
  private closed = false;
  /**
   * Objects whose write from a resourceVersion is done (written, or refused as a conflict): a
   * plan from that same version is stale, since the object has moved past it (by our write or
   * another's), and would only conflict. Skipped until the watch brings the newer object.
   * Holds the objects of the last plan only.
   */
  private doneFrom = new Map<string, string | undefined>();

  constructor(private readonly options: StatusPublisherOptions) {
    this.coalescer = new Coalescer(() => void this.publish(), options.debounceMs ?? 100);
    this.backoff = new Backoff(options.retry ?? DEFAULT_RETRY, options.random);
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  }

  /** Something the status depends on changed: publish once the burst settles. */
  changed(): void {
    if (this.closed) return;
    this.retries = 0;
    // A publish comes anyway, from newer inputs: a pending retry would only repeat the older one.
    clearTimeout(this.retryTimer);
    this.coalescer.schedule();
  }

  /** Publishes now (a pending one included) and resolves when its writes are done. */
  async flush(): Promise<void> {
    this.coalescer.cancel();
    await this.publish();
  }

  /** Stops publishing; a write in flight finishes. */
  async close(): Promise<void> {
    this.closed = true;
    this.coalescer.cancel();
    clearTimeout(this.retryTimer);
    await this.publishing;
  }

  private publish(): Promise<void> {
    // One publish at a time; a change meanwhile publishes again after it, from newer inputs.
    if (this.publishing !== undefined) {
      this.again = true;
      return this.publishing;
    }
    this.publishing = this.publishOnce().finally(() => {
      this.publishing = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        void this.publish();
      }
    });
    return this.publishing;
  }

  private async publishOnce(): Promise<void> {
    if (this.closed || !this.options.isLeader()) return;
    const inputs = this.options.inputs();
    if (inputs === undefined) return;
    const now = this.options.now?.() ?? new Date();
    const plan = planStatusWrites({ status: inputs.status, observed: inputs.observed, controllerName: this.options.controllerName, now, addresses: this.options.addresses });
    let unsettled = false;
    const doneBefore = this.doneFrom;
    this.doneFrom = new Map();
    for (const write of plan.writes) {
      // Leadership can end between two writes: the next leader converges what is left.
      if (this.closed || !this.options.isLeader()) return;
      const key = writeKey(write);
      if (doneBefore.has(key) && doneBefore.get(key) === write.resourceVersion) {
        this.doneFrom.set(key, write.resourceVersion);
        continue;
      }
      try {
        const outcome = await writeStatus(this.options.connection, write, AbortSignal.timeout(WRITE_TIMEOUT_MS));
        this.options.onWrite?.(write, outcome);
        if (outcome === 'conflict') unsettled = true;
        if (outcome !== 'gone') this.doneFrom.set(key, write.resourceVersion);
      } catch (error) {
        unsettled = true;
        this.report(write, error);
      }
    }
    // Settled, or every write skipped as stale: the watch event of the newer object publishes again.
    if (!unsettled) {
      this.backoff.reset();
      this.retries = 0;
      clearTimeout(this.retryTimer);
    } else if (this.retries < this.maxRetries && !this.closed) {
      this.retries++;
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => void this.publish(), this.backoff.next());
      this.retryTimer.unref();
    }
  }

  private report(write: StatusWrite, error: unknown): void {
    const what = `status of ${write.kind} ${write.namespace === undefined ? write.name : `${write.namespace}/${write.name}`}`;
    (this.options.onError ?? logKubeError)(asKubeError(error, what));
  }
}

function writeKey(write: StatusWrite): string {
  return `${write.kind}/${write.namespace ?? ''}/${write.name}`;
}
