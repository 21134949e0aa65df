import { KubeError } from './errors.js';
import { KubeApiError, kubeGetJson, type KubeConnection } from './kube-client.js';

/** Whether an API group is served: `unknown` until the first answer, and while the server cannot be asked it stays what it was. */
export type ApiGroupServed = 'unknown' | 'installed' | 'not-installed';

export interface ApiGroupState {
  readonly served: ApiGroupServed;
  /** Why it is not installed or not known yet; undefined when installed. */
  readonly reason: string | undefined;
  /** When the server last answered (ms since the epoch). */
  readonly checkedAt: number | undefined;
}

export interface ApiGroupPresenceOptions {
  readonly connection: KubeConnection;
  /** `gateway.networking.k8s.io` */
  readonly group: string;
  /** The version that must be served (`v1`). */
  readonly version: string;
  /** How often to ask again while the group is not installed, or the server could not be asked. */
  readonly intervalMs: number;
  /** Every definite answer, with what was known before it (`unknown` before the first). */
  readonly onAnswer: (state: ApiGroupState, before: ApiGroupServed) => void;
  /** Failures to ask, once per run of failures (the next one after an answer). */
  readonly onError: (error: KubeError) => void;
}

interface ApiGroupDocument {
  versions?: Array<{ version?: string }>;
}

/**
 * Tells whether the API server serves an API group (a set of CRDs), by its discovery document
 * `GET /apis/<group>`: 404 is "not installed", as on a cluster without the CRDs. While it is not
 * installed it asks again every `intervalMs`; while it is, only when `recheck()` says something
 * looks wrong (a 404 on one of the group's lists), so a healthy cluster costs no polling.
 */
export class ApiGroupPresence {
  private current: ApiGroupState = { served: 'unknown', reason: 'not asked yet', checkedAt: undefined };
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private recheckWanted = false;
  private failing = false;
  private readonly answeredPromise: Promise<void>;
  private resolveAnswered!: () => void;

  constructor(private readonly options: ApiGroupPresenceOptions) {
    this.answeredPromise = new Promise((resolve) => (this.resolveAnswered = resolve));
  }

  start(): this {
    this.running ??= this.run();
    return this;
  }

  state(): ApiGroupState {
    return this.current;
  }

  /** Resolves after the first definite answer (installed or not). */
  answered(): Promise<void> {
    return this.answeredPromise;
  }

  /** Asks again now (coalesced with a check already under way). */
  recheck(): void {
    this.recheckWanted = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      this.recheckWanted = false;
      const answer = await this.ask();
      if (this.abort.signal.aborted) return;
      if (answer !== undefined) {
        const before = this.current.served;
        this.current = answer;
        this.resolveAnswered();
        this.options.onAnswer(answer, before);
      }
      // Installed and healthy: nothing to poll for until a list says otherwise.
      const waitFor = answer?.served === 'installed' ? undefined : this.options.intervalMs;
      if (!this.recheckWanted) await this.sleep(waitFor);
    }
  }

  /** The server's answer, or undefined when it could not be asked. */
  private async ask(): Promise<ApiGroupState | undefined> {
    const { connection, group, version } = this.options;
    try {
      const document = await kubeGetJson<ApiGroupDocument>(connection, `/apis/${group}`, {}, this.abort.signal);
      this.failing = false;
      const versions = (document.versions ?? []).map((v) => v.version);
      if (versions.includes(version)) return { served: 'installed', reason: undefined, checkedAt: Date.now() };
      return { served: 'not-installed', reason: `the API server serves ${group} only in ${versions.join(', ') || 'no version'}; ${version} is needed`, checkedAt: Date.now() };
    } catch (caught) {
      if (this.abort.signal.aborted) return undefined;
      if (caught instanceof KubeApiError && caught.status === 404) {
        this.failing = false;
        return { served: 'not-installed', reason: `the API server does not serve ${group} (GET /apis/${group}: 404): its CRDs are not installed`, checkedAt: Date.now() };
      }
      if (!this.failing) {
        this.failing = true;
        const error = caught instanceof KubeError ? caught : new KubeError('SWY_KUBE_CONNECTION_FAILED', `/apis/${group}: ${(caught as Error).message}`, { cause: caught });
        this.options.onError(error);
      }
      return undefined;
    }
  }

  /** Until `ms` passes (forever when undefined), `recheck()` or `stop()`. */
  private sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      const wake = () => done();
      this.wake = wake;
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === wake) self.wake = undefined;
        resolve();
      }
    });
  }
}
