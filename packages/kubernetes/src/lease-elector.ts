import { KubeError } from './errors.js';
import { asKubeError, logKubeError } from './kube-error-report.js';
import { KubeApiError, kubeGetJson, kubeWriteJson, type KubeConnection } from './kube-client.js';
import { leasePath, microTime, recordKey, type Lease, type LeaseSpec } from './lease-record.js';

/** client-go's leader election timings: `LeaseDuration`, `RenewDeadline`, `RetryPeriod`. */
export interface LeaseTimings {
  /** How long a lease stays held after the last renewal a candidate saw; whole seconds (the Lease stores seconds). Default 15. */
  readonly leaseDurationSeconds?: number;
  /** The leader stops leading when it could not renew for this long. Default 10 000 ms; less than the lease duration. */
  readonly renewDeadlineMs?: number;
  /** Between tries: the leader renews this often; a candidate tries every 1 to 2.2 of these (client-go's jitter). Default 2 000 ms. */
  readonly retryPeriodMs?: number;
}

export interface LeaseElectorOptions extends LeaseTimings {
  readonly connection: KubeConnection;
  readonly namespace: string;
  readonly name: string;
  /** This replica's holder identity: unique per replica (the pod name). */
  readonly identity: string;
  readonly onStartedLeading?: () => void;
  /** Called when this replica stops leading: it could not renew within the deadline, or it was stopped. */
  readonly onStoppedLeading?: () => void;
  /** Called when the holder this replica sees changes ('' when nobody holds the lease). */
  readonly onNewLeader?: (identity: string) => void;
  /** Called for every failed try; by default a line on stderr. The elector goes on by itself. */
  readonly onError?: (error: KubeError) => void;
  readonly now?: () => number;
  readonly random?: () => number;
}

const DEFAULTS = { leaseDurationSeconds: 15, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } as const;
/** client-go's `JitterFactor`: a candidate waits a retry period plus up to 1.2 more between tries. */
const JITTER_FACTOR = 1.2;

/**
 * Leader election on a `coordination.k8s.io/v1` Lease with client-go's semantics, so replicas of
 * Switchyard and any client-go controller read the same Lease the same way:
 * - a candidate takes the Lease when nobody holds it, or when the record it last saw has not
 *   changed for the record's `leaseDurationSeconds` (time is measured on the candidate's own
 *   clock from when it saw the record change, never from the timestamps in it, so clock skew
 *   between replicas does not matter);
 * - every write is a PUT with the resourceVersion read (a create for a missing Lease): of two
 *   candidates only one wins, the other gets 409 and stays a candidate;
 * - the leader renews every retry period and stops leading once it could not renew for the
 *   renew deadline; `isLeader` turns false at that deadline even while a request hangs;
 * - `stop()` releases a held Lease (holder '' and a 1-s duration), so another replica takes
 *   over at its next try instead of after the lease duration.
 */
export class LeaseElector {
  private readonly leaseDurationSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private leading = false;
  /** When the last successful renewal started (the conservative end of our hold). */
  private renewedAt = 0;
  /** The record last read or written, when it was first seen, and the Lease carrying it. */
  private observedKey: string | undefined = undefined;
  private observedAt = 0;
  private lease: Lease | undefined = undefined;
  private holder: string | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;
  private inFlight: AbortController | undefined = undefined;
  private running: Promise<void> | undefined = undefined;
  private stopped = true;

  constructor(private readonly options: LeaseElectorOptions) {
    this.leaseDurationSeconds = options.leaseDurationSeconds ?? DEFAULTS.leaseDurationSeconds;
    this.renewDeadlineMs = options.renewDeadlineMs ?? DEFAULTS.renewDeadlineMs;
    this.retryPeriodMs = options.retryPeriodMs ?? DEFAULTS.retryPeriodMs;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    validate(options.identity, this.leaseDurationSeconds, this.renewDeadlineMs, this.retryPeriodMs);
  }

  /** True while this replica holds the Lease and its last renewal is within the renew deadline. */
  get isLeader(): boolean {
    return this.leading && this.now() - this.renewedAt < this.renewDeadlineMs;
  }

  /** The holder this replica saw last ('' when released), or undefined before the first read. */
  get leader(): string | undefined {
    return this.holder;
  }

  /** Starts trying at once; returns immediately. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops trying; releases the Lease if this replica holds it (unless `release` is false, as a crash would leave it). */
  async stop({ release = true }: { release?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.inFlight?.abort();
    await this.running;
    const wasLeading = this.leading;
    if (wasLeading && release && this.lease !== undefined) await this.release(this.lease);
    if (wasLeading) this.stopLeading();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    const startedAt = this.now();
    const controller = new AbortController();
    this.inFlight = controller;
    // A try never outlives the renew deadline: a hanging request must not keep a leader leading.
    const deadline = setTimeout(() => controller.abort(), this.renewDeadlineMs);
    let won = false;
    try {
      won = await this.tryAcquireOrRenew(startedAt, controller.signal);
    } catch (error) {
      if (!this.stopped) this.report(error);
    } finally {
      clearTimeout(deadline);
      this.inFlight = undefined;
    }
    if (this.stopped) return;
    if (won) {
      this.renewedAt = startedAt;
      if (!this.leading) {
        this.leading = true;
        this.options.onStartedLeading?.();
      }
    } else if (this.leading && this.now() - this.renewedAt >= this.renewDeadlineMs) {
      this.stopLeading();
    }
    this.schedule(this.leading ? this.retryPeriodMs : this.retryPeriodMs * (1 + this.random() * JITTER_FACTOR));
  }

  /** One try: true when this replica holds the Lease after it. */
  private async tryAcquireOrRenew(now: number, signal: AbortSignal): Promise<boolean> {
    const { connection, namespace, name, identity } = this.options;
    // The leader's fast path: renew on the Lease it wrote last; anything else reads first.
    if (this.leading && this.lease !== undefined) {
      const renewed = await this.write(this.lease, identity, now, signal).catch(() => undefined);
      if (renewed !== undefined) return true;
    }
    let current: Lease;
    try {
      current = await kubeGetJson<Lease>(connection, leasePath(namespace, name), {}, signal);
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 404)) throw error;
      return this.create(now, signal);
    }
    this.observe(current, now);
    const holder = current.spec?.holderIdentity ?? '';
    const durationMs = (current.spec?.leaseDurationSeconds ?? this.leaseDurationSeconds) * 1000;
    if (holder !== '' && holder !== identity && now < this.observedAt + durationMs) return false;
    return (await this.write(current, identity, now, signal)) !== undefined;
  }

  private async create(now: number, signal: AbortSignal): Promise<boolean> {
    const { connection, namespace, name, identity } = this.options;
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace },
      spec: { holderIdentity: identity, leaseDurationSeconds: this.leaseDurationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
    };
    try {
      this.observe(await kubeWriteJson<Lease>(connection, 'POST', leasePath(namespace), lease, signal), now);
      return true;
    } catch (error) {
      // Another replica created it first: it holds the Lease for now.
      if (error instanceof KubeApiError && error.status === 409) return false;
      throw error;
    }
  }

  /** PUTs the Lease as held by `holder` ('' releases it); undefined on a conflict (someone else wrote first). */
  private async write(current: Lease, holder: string, now: number, signal: AbortSignal, durationSeconds = this.leaseDurationSeconds): Promise<Lease | undefined> {
    const { connection, namespace, name, identity } = this.options;
    const old: LeaseSpec = current.spec ?? {};
    const sameHolder = (old.holderIdentity ?? '') === identity;
    const spec: LeaseSpec = {
      holderIdentity: holder,
      leaseDurationSeconds: durationSeconds,
      acquireTime: sameHolder && old.acquireTime !== undefined ? old.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: sameHolder || holder === '' ? (old.leaseTransitions ?? 0) : (old.leaseTransitions ?? 0) + 1,
    };
    try {
      const written = await kubeWriteJson<Lease>(connection, 'PUT', leasePath(namespace, name), { ...current, spec }, signal);
      this.observe(written, now);
      return written;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 409) return undefined;
      throw error;
    }
  }

  private async release(lease: Lease): Promise<void> {
    try {
      await this.write(lease, '', this.now(), AbortSignal.timeout(this.renewDeadlineMs), 1);
    } catch (error) {
      // Not released: the others take over once the lease duration passes.
      this.report(error);
    }
  }

  private observe(lease: Lease, now: number): void {
    this.lease = lease;
    const key = recordKey(lease.spec);
    if (key !== this.observedKey) {
      this.observedKey = key;
      this.observedAt = now;
    }
    const holder = lease.spec?.holderIdentity ?? '';
    if (holder !== this.holder) {
      this.holder = holder;
      this.options.onNewLeader?.(holder);
    }
  }

  private stopLeading(): void {
    this.leading = false;
    this.options.onStoppedLeading?.();
  }

  private report(error: unknown): void {
    (this.options.onError ?? logKubeError)(asKubeError(error, `Lease ${this.options.namespace}/${this.options.name}`));
  }
}

/** client-go's checks on the timings (`NewLeaderElector`), and a holder identity. */
function validate(identity: string, leaseDurationSeconds: number, renewDeadlineMs: number, retryPeriodMs: number): void {
  const invalid = (field: string, why: string) => new KubeError('SWY_KUBE_LEASE_OPTIONS_INVALID', `LeaseElector: ${field} ${why}`, { field });
  if (identity.length === 0) throw invalid('identity', 'must not be empty: each replica needs its own (the pod name)');
  if (!Number.isInteger(leaseDurationSeconds) || leaseDurationSeconds < 1) throw invalid('leaseDurationSeconds', `must be a whole number of seconds, 1 or more, got ${leaseDurationSeconds}`);
  if (!(retryPeriodMs > 0)) throw invalid('retryPeriodMs', `must be more than 0, got ${retryPeriodMs}`);
  if (!(renewDeadlineMs < leaseDurationSeconds * 1000)) throw invalid('renewDeadlineMs', `(${renewDeadlineMs}) must be less than the lease duration (${leaseDurationSeconds * 1000} ms)`);
  if (!(renewDeadlineMs > JITTER_FACTOR * retryPeriodMs)) throw invalid('renewDeadlineMs', `(${renewDeadlineMs}) must be more than ${JITTER_FACTOR} times the retry period (${retryPeriodMs} ms)`);
}
