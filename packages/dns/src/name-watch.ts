import type { DiscoveryProblem, Endpoint, EndpointSet } from '@switchyard/core';
import type { Resolver } from 'node:dns/promises';
import type { ResolvedDnsOptions } from './options.js';
import { resolveAddresses, type LookupOutcome } from './resolve-addresses.js';

/** One subscriber of a name: the port and backend key its sets carry. */
export interface NameWatcher {
  readonly port: number;
  readonly backendKey: string;
  readonly onChange: (set: EndpointSet) => void;
}

/** A definitive answer kept for a name nobody watches (see `DnsDiscovery`'s idle cache). */
export interface CachedAnswer {
  /** Empty for a negative answer. */
  readonly addresses: readonly string[];
  readonly problem: DiscoveryProblem | undefined;
  /** When the answer's TTL (clamped) runs out, ms since the epoch. */
  readonly expiresAt: number;
  /** When the answer was received, ms since the epoch: the stale window counts from it. */
  readonly receivedAt: number;
  readonly version: number;
}

/** What the watchers were last told. */
interface Published {
  readonly addresses: readonly string[];
  readonly problem: DiscoveryProblem | undefined;
  readonly stale: boolean;
}

/**
 * The resolution loop of one name, shared by every watcher of it. One query at a time: the
 * next is scheduled when the last has answered, after the record TTL clamped to
 * [minTtlMs, maxTtlMs], after negativeTtlMs for a negative answer, or with backoff after a
 * failure. While the server fails the last good answer is served stale until staleForMs after
 * it was received; then the set empties. Sets are pushed only when they change.
 */
export class NameWatch {
  readonly watchers = new Set<NameWatcher>();
  /** Resolves when the first outcome (of any kind) has been pushed. */
  readonly settled: Promise<void>;
  private settle!: () => void;
  private published: Published | undefined;
  private version: number;
  private lastGood: { readonly addresses: readonly string[]; readonly at: number } | undefined;
  /** Set while the current answer is definitive (positive or negative): when it runs out. */
  private expiresAt: number | undefined;
  private failures = 0;
  private refreshTimer: NodeJS.Timeout | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly hostname: string,
    private readonly resolver: Resolver,
    private readonly options: ResolvedDnsOptions,
    private readonly report: (error: unknown) => void,
    cached?: CachedAnswer,
  ) {
    this.settled = new Promise((resolve) => (this.settle = resolve));
    this.version = cached?.version ?? 0;
    if (cached !== undefined && cached.expiresAt > Date.now()) {
      // Start from the kept answer; `version` continues so a backend's versions keep increasing.
      this.published = { addresses: cached.addresses, problem: cached.problem, stale: false };
      if (cached.problem === undefined) this.lastGood = { addresses: cached.addresses, at: cached.receivedAt };
      this.expiresAt = cached.expiresAt;
      this.settle();
      this.schedule(cached.expiresAt - Date.now());
    } else {
      void this.refresh();
    }
  }

  /** Adds a watcher and hands it the current set at once, if one is known. */
  add(watcher: NameWatcher): void {
    this.watchers.add(watcher);
    if (this.published !== undefined) this.deliver(watcher, this.published);
  }

  /** The answer to keep once nobody watches: only a definitive one that has not run out. */
  cachedAnswer(): CachedAnswer | undefined {
    if (this.published === undefined || this.expiresAt === undefined || this.expiresAt <= Date.now()) return undefined;
    const { addresses, problem } = this.published;
    return { addresses, problem, expiresAt: this.expiresAt, receivedAt: this.lastGood?.at ?? Date.now(), version: this.version };
  }

  /** Stops the loop: timers cleared, an answer still in flight is dropped. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.staleTimer);
    this.refreshTimer = this.staleTimer = undefined;
    this.settle();
  }

  private async refresh(): Promise<void> {
    this.refreshTimer = undefined;
    let outcome: LookupOutcome;
    try {
      outcome = await resolveAddresses(this.resolver, this.hostname, this.options.family);
    } catch (error) {
      // resolveAddresses does not reject; should it ever, count it as a server failure.
      outcome = { kind: 'failed', code: 'SWY_DNS_SERVER_FAILED', reason: String(error) };
    }
    if (this.stopped || outcome.kind === 'cancelled') return;
    const now = Date.now();
    const { minTtlMs, maxTtlMs, negativeTtlMs, staleForMs } = this.options;
    if (outcome.kind === 'answer') {
      const delay = clamp(outcome.ttlSeconds * 1000, minTtlMs, maxTtlMs);
      this.failures = 0;
      this.lastGood = { addresses: outcome.addresses, at: now };
      this.expiresAt = now + delay;
      this.clearStaleTimer();
      this.publish({ addresses: outcome.addresses, problem: undefined, stale: false });
      this.schedule(delay);
    } else if (outcome.kind === 'not-found') {
      // A negative answer is an answer: the name is gone, so the last good addresses go too.
      const what = outcome.reason === 'ENODATA' ? `has no ${recordTypes(this.options.family)} records` : 'does not exist';
      this.failures = 0;
      this.lastGood = undefined;
      this.expiresAt = now + negativeTtlMs;
      this.clearStaleTimer();
      this.publish({ addresses: [], problem: this.problem('SWY_DNS_NOT_FOUND', `${this.hostname} ${what} (${outcome.reason})`, now), stale: false });
      this.schedule(negativeTtlMs);
    } else {
      this.failures++;
      this.expiresAt = undefined;
      const what = outcome.code === 'SWY_DNS_TIMEOUT' ? 'timed out' : 'failed';
      const problem = this.problem(outcome.code, `resolving ${this.hostname}: the DNS server ${what} (${outcome.reason})`, now);
      const good = this.lastGood;
      if (good !== undefined && now - good.at < staleForMs) {
        this.publish({ addresses: good.addresses, problem, stale: true });
        this.staleTimer ??= this.timer(good.at + staleForMs - now, () => this.expireStale());
      } else {
        this.lastGood = undefined;
        this.publish({ addresses: [], problem, stale: false });
      }
      this.schedule(Math.min(minTtlMs * 2 ** Math.min(this.failures - 1, 30), maxTtlMs));
    }
    this.settle();
  }

  /** The stale window closed with the server still failing: the last good addresses go. */
  private expireStale(): void {
    this.staleTimer = undefined;
    this.lastGood = undefined;
    const problem = this.published?.problem;
    if (this.published?.stale === true && problem !== undefined) this.publish({ addresses: [], problem, stale: false });
  }

  /** A problem of `code`; `since` is kept while the same kind of trouble goes on. */
  private problem(code: string, message: string, now: number): DiscoveryProblem {
    const last = this.published?.problem;
    const continuing = last !== undefined && (last.code === code || (code !== 'SWY_DNS_NOT_FOUND' && last.code !== 'SWY_DNS_NOT_FOUND'));
    return { code, message, since: continuing ? last.since : now };
  }

  /** Records and pushes `next` unless it equals what the watchers have (addresses, staleness, problem code). */
  private publish(next: Published): void {
    const last = this.published;
    if (last !== undefined && last.stale === next.stale && last.problem?.code === next.problem?.code && sameAddresses(last.addresses, next.addresses)) return;
    this.version++;
    this.published = next;
    for (const watcher of this.watchers) this.deliver(watcher, next);
  }

  private deliver(watcher: NameWatcher, published: Published): void {
    const endpoints = published.addresses.map(
      (address): Endpoint => Object.freeze({ address, port: watcher.port, ready: true, serving: true, terminating: false, externalName: this.hostname }),
    );
    const set: EndpointSet = Object.freeze({
      backendKey: watcher.backendKey,
      version: this.version,
      endpoints: Object.freeze(endpoints),
      stale: published.stale,
      ...(published.problem === undefined ? {} : { problem: published.problem }),
    });
    try {
      watcher.onChange(set);
    } catch (error) {
      // One watcher's bug must not stop the others or the loop.
      this.report(error);
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = this.timer(delay, () => void this.refresh());
  }

  private timer(delay: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(run, Math.max(0, delay));
    timer.unref();
    return timer;
  }

  private clearStaleTimer(): void {
    clearTimeout(this.staleTimer);
    this.staleTimer = undefined;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function sameAddresses(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((address, i) => address === b[i]);
}

function recordTypes(family: ResolvedDnsOptions['family']): string {
  return family === 'ipv4' ? 'A' : family === 'ipv6' ? 'AAAA' : 'A or AAAA';
}
