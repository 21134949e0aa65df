import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedProcess } from '../common/managed-process.js';

/**
 * The event-loop delay figures prom-client's default metrics publish (`<prefix>nodejs_eventloop_lag_*_seconds`,
 * from a `perf_hooks.monitorEventLoopDelay` histogram that every scrape reads and then resets),
 * in ms. Each sample is the time between two ticks of a 10 ms timer, so an idle loop reads about
 * 10 ms: `EVENT_LOOP_SAMPLE_MS` is that interval, and what exceeds it is the delay.
 */
export interface EventLoopDelay {
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly minMs: number;
}

/** The timer interval of prom-client's event-loop histogram (monitorEventLoopDelay's default resolution, which prom-client keeps). */
export const EVENT_LOOP_SAMPLE_MS = 10;

/** How often a change is looked for while it is not routed yet. */
const POLL_INTERVAL_MS = 5;

/**
 * Reads the event-loop figures from a Prometheus text exposition, whatever the metrics' prefix;
 * undefined when it has none (a gateway built without default metrics).
 */
export function eventLoopDelayOf(exposition: string): EventLoopDelay | undefined {
  const read = (name: string): number | undefined => {
    const value = new RegExp(`^\\w*nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(exposition)?.[1];
    return value === undefined ? undefined : Number(value) * 1000;
  };
  const p99Ms = read('p99');
  const maxMs = read('max');
  const minMs = read('min');
  return p99Ms === undefined || maxMs === undefined || minMs === undefined ? undefined : { p99Ms, maxMs, minMs };
}

/**
 * Scrapes the admin `/metrics` and returns the event-loop figures since the previous scrape
 * (the histogram resets on every scrape): scraped once before a window and once after it, the
 * second read covers the window.
 */
export async function scrapeEventLoopDelay(adminUrl: string): Promise<EventLoopDelay | undefined> {
  const response = await fetch(new URL('/metrics', adminUrl));
  if (!response.ok) throw new Error(`${adminUrl}/metrics answered ${response.status}`);
  return eventLoopDelayOf(await response.text());
}

/** The path of the rule the admin `/explain` says takes a request, or null when none does. */
export async function explainedPath(adminUrl: string, host: string, path: string): Promise<string | null> {
  const url = new URL('/explain', adminUrl);
  url.searchParams.set('host', host);
  url.searchParams.set('path', path);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.href} answered ${response.status}`);
  const view = (await response.json()) as { readonly winner: { readonly path: string | null } | null };
  return view.winner?.path ?? null;
}

/**
 * Asks the admin `/explain` about `host` and `path` until a rule with exactly that path takes
 * it, and returns how long after `sinceMs` (a `performance.now()`) it first did; undefined when
 * it still did not after `giveUpMs`.
 */
export async function timeUntilRouted(adminUrl: string, host: string, path: string, sinceMs: number, giveUpMs: number): Promise<number | undefined> {
  for (;;) {
    if ((await explainedPath(adminUrl, host, path)) === path) return performance.now() - sinceMs;
    if (performance.now() - sinceMs > giveUpMs) return undefined;
    await sleep(POLL_INTERVAL_MS);
  }
}

/** The CLI's stderr line for a reload of its files, applied or not. */
export const FILES_RELOAD_LINE = /^switchyard: files changed: (reloaded, table version |reload failed)/;

/**
 * Runs `write` (a change to the CLI's files) and returns how long after it `host` `path` was
 * routed: the time until the CLI's next reload line on stderr, confirmed by one admin `/explain`.
 * Asking `/explain` every 5 ms instead (`timeUntilRouted`) put the probe's cost on the proxy's
 * core beside the change's: about 0.6 ms of CPU per answer (the host's 100 candidates, 48 KB),
 * some 30 answers per change. When the line does not come, or the path is not routed once it
 * has, this falls back to asking until it is; undefined when it never is within `giveUpMs`.
 */
export async function timeUntilReloaded(cli: Pick<ManagedProcess, 'nextStderrLine'>, adminUrl: string, host: string, path: string, write: () => void, giveUpMs: number): Promise<number | undefined> {
  const reloaded = cli.nextStderrLine((line) => FILES_RELOAD_LINE.test(line), giveUpMs).then(
    () => performance.now(),
    () => undefined,
  );
  const since = performance.now();
  write();
  const at = await reloaded;
  if (at !== undefined && (await explainedPath(adminUrl, host, path)) === path) return at - since;
  return timeUntilRouted(adminUrl, host, path, since, giveUpMs);
}
