import { backendKey, type BackendRef, type Discovery, type EndpointSet } from '@switchyard/core';
import { afterEach, describe, expect, test } from 'vitest';
import { eventually } from './eventually.js';

/**
 * One conformance suite for every `Discovery` (as the path-matcher and balancer suites run
 * over their implementations): what core's `Discovery` and `EndpointSet` promise, and
 * DESIGN.md's "Discovery" section, whatever the source behind it.
 */

/** A discovery under test, one backend it resolves, and the hooks that change its source. */
export interface DiscoveryUnderTest {
  readonly discovery: Discovery;
  /** The backend the cases watch; its source already holds the `initial` addresses given to `setup`. */
  readonly backend: BackendRef;
  /**
   * Makes the source report exactly these IPv4 addresses for `backend` (at whatever port the
   * implementation derives). Resolves once the source holds them; the push may come later.
   * May throw after `close()` (a source may refuse changes once closed).
   */
  setAddresses(addresses: readonly string[]): void | Promise<void>;
  /** Where the implementation can: makes the source fail (unreadable, unreachable) until `restoreSource`. */
  breakSource?(): void | Promise<void>;
  restoreSource?(): void | Promise<void>;
  /** Frees what `setup` made besides the discovery (servers, files); the suite closes the discovery itself. */
  teardown?(): void | Promise<void>;
}

/** The cases of the suite, by name, for `skip`. */
export const DISCOVERY_CASES = [
  'ready() resolves',
  'watch pushes the full current set with its backendKey',
  'a change pushes the full new set, never a diff, with a higher version',
  'an unchanged set is not pushed again',
  'two watchers of one backend both get the sets',
  'unsubscribe stops pushes to that watcher and leaves the others alone',
  'close() stops pushes',
  'a failing source keeps its last good endpoints, stale with a problem, and recovers',
] as const;

export type DiscoveryCase = (typeof DISCOVERY_CASES)[number];

export interface DiscoveryConformanceOptions {
  /** Names the implementation in the test titles. */
  readonly name: string;
  /** Starts a fresh source whose `backend` resolves to `initial`; called once per case. */
  setup(initial: readonly string[]): Promise<DiscoveryUnderTest>;
  /**
   * How long to wait before concluding that nothing more is pushed (default 200 ms): longer
   * than the implementation's debounce or refresh interval, so a wrong push would be seen.
   */
  readonly settleMs?: number;
  /** Bound on each wait for a push (default 5 s). */
  readonly timeoutMs?: number;
  /** Cases to skip, each with the reason (shown in the test title). */
  readonly skip?: Partial<Record<DiscoveryCase, string>>;
}

const INITIAL = ['10.0.0.1', '10.0.0.2'] as const;

/** Everything pushed to one watcher, in order. */
class Watcher {
  readonly sets: EndpointSet[] = [];
  readonly onChange = (set: EndpointSet): void => {
    this.sets.push(set);
  };
  get last(): EndpointSet | undefined {
    return this.sets.at(-1);
  }
}

const addresses = (set: EndpointSet | undefined): string[] => (set?.endpoints.map((e) => e.address) ?? []).sort();
const sameAddresses = (set: EndpointSet | undefined, wanted: readonly string[]): boolean => JSON.stringify(addresses(set)) === JSON.stringify([...wanted].sort());

/** Registers the conformance cases for one implementation (call it at the top level of a test file). */
export function runDiscoveryConformance(options: DiscoveryConformanceOptions): void {
  const { name, setup, settleMs = 200, timeoutMs = 5_000, skip = {} } = options;
  const settle = () => new Promise((resolve) => setTimeout(resolve, settleMs));
  let current: DiscoveryUnderTest | undefined;

  const start = async (): Promise<DiscoveryUnderTest> => {
    current = await setup(INITIAL);
    return current;
  };
  /** Watches and waits for the first push, which must be the initial set. */
  const watchInitial = async (under: DiscoveryUnderTest, watcher = new Watcher()) => {
    const stop = under.discovery.watch(under.backend, watcher.onChange);
    await eventually(`${name}: the first push of ${backendKey(under.backend)}`, () => sameAddresses(watcher.last, INITIAL), timeoutMs);
    return { watcher, stop };
  };
  const withCase = (title: DiscoveryCase, body: () => Promise<void>) => {
    const reason = skip[title];
    if (reason !== undefined) test.skip(`${title} (skipped: ${reason})`, body);
    else test(title, body);
  };

  describe(`${name}: Discovery conformance`, () => {
    afterEach(async () => {
      const under = current;
      current = undefined;
      await under?.discovery.close();
      await under?.teardown?.();
    });

    withCase('ready() resolves', async () => {
      const { discovery } = await start();
      await expect(discovery.ready()).resolves.toBeUndefined();
    });

    withCase('watch pushes the full current set with its backendKey', async () => {
      const under = await start();
      await under.discovery.ready();
      const { watcher } = await watchInitial(under);
      expect(watcher.sets).toHaveLength(1);
      const [set] = watcher.sets;
      expect(set).toMatchObject({ backendKey: backendKey(under.backend), stale: false });
      expect(set!.problem).toBeUndefined();
      expect(Number.isFinite(set!.version)).toBe(true);
      for (const endpoint of set!.endpoints) {
        expect(endpoint).toMatchObject({ ready: true, serving: true, terminating: false });
        expect(endpoint.port).toBeGreaterThan(0);
      }
    });

    withCase('a change pushes the full new set, never a diff, with a higher version', async () => {
      const under = await start();
      const { watcher } = await watchInitial(under);
      // An address added: the push holds the old ones too.
      await under.setAddresses([...INITIAL, '10.0.0.3']);
      await eventually(`${name}: the added address`, () => sameAddresses(watcher.last, [...INITIAL, '10.0.0.3']), timeoutMs);
      // An address removed: the push holds what is left, not a removal.
      await under.setAddresses(['10.0.0.2', '10.0.0.3']);
      await eventually(`${name}: the removed address`, () => sameAddresses(watcher.last, ['10.0.0.2', '10.0.0.3']), timeoutMs);
      const versions = watcher.sets.map((set) => set.version);
      for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1]!);
      for (const set of watcher.sets) expect(set.backendKey).toBe(backendKey(under.backend));
    });

    withCase('an unchanged set is not pushed again', async () => {
      const under = await start();
      await under.discovery.ready();
      const { watcher } = await watchInitial(under);
      await settle();
      const pushes = watcher.sets.length;
      // The source is written again with the same content (a new resourceVersion, a rewritten file).
      await under.setAddresses(INITIAL);
      await settle();
      expect(watcher.sets).toHaveLength(pushes);
    });

    withCase('two watchers of one backend both get the sets', async () => {
      const under = await start();
      const { watcher: first } = await watchInitial(under);
      // A late watcher gets the current set without waiting for a change.
      const { watcher: second } = await watchInitial(under);
      await under.setAddresses(['10.0.0.9']);
      await eventually(`${name}: the change on both watchers`, () => sameAddresses(first.last, ['10.0.0.9']) && sameAddresses(second.last, ['10.0.0.9']), timeoutMs);
      expect(second.last!.version).toBe(first.last!.version);
    });

    withCase('unsubscribe stops pushes to that watcher and leaves the others alone', async () => {
      const under = await start();
      const { watcher: leaving, stop } = await watchInitial(under);
      const { watcher: staying } = await watchInitial(under);
      stop();
      const before = leaving.sets.length;
      await under.setAddresses(['10.0.0.7']);
      await eventually(`${name}: the change on the remaining watcher`, () => sameAddresses(staying.last, ['10.0.0.7']), timeoutMs);
      await settle();
      expect(leaving.sets).toHaveLength(before);
      stop(); // a second call is harmless
    });

    withCase('close() stops pushes', async () => {
      const under = await start();
      const { watcher } = await watchInitial(under);
      await under.discovery.close();
      const before = watcher.sets.length;
      await Promise.resolve()
        .then(() => under.setAddresses(['10.0.0.8']))
        .catch(() => undefined); // refusing changes after close is fine too
      await settle();
      expect(watcher.sets).toHaveLength(before);
    });

    withCase('a failing source keeps its last good endpoints, stale with a problem, and recovers', async () => {
      const under = await start();
      if (under.breakSource === undefined || under.restoreSource === undefined) {
        throw new Error(`${name}: give setup() breakSource and restoreSource, or skip this case with the reason`);
      }
      const { watcher } = await watchInitial(under);
      await under.breakSource();
      await eventually(`${name}: the stale set`, () => watcher.last?.stale === true, timeoutMs);
      const stale = watcher.last!;
      expect(addresses(stale)).toEqual([...INITIAL].sort());
      expect(stale.problem).toMatchObject({ code: expect.stringMatching(/\S/), message: expect.any(String), since: expect.any(Number) });
      expect(stale.version).toBeGreaterThan(watcher.sets[0]!.version);

      await under.restoreSource();
      await under.setAddresses(['10.0.0.5']);
      await eventually(`${name}: the recovered set`, () => watcher.last?.stale === false && sameAddresses(watcher.last, ['10.0.0.5']), timeoutMs);
      expect(watcher.last!.problem).toBeUndefined();
    });
  });
}
