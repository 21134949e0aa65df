import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeApiServer, KubeObject, RequestLogEntry } from '@switchyard/test-utils';
import { startCli, type CliProcess } from './cli-process.js';

// Replicas of `switchyard serve --kubernetes --lease` against one KubeApiServer, and what the
// status tests read off the fixture: which replica wrote which status, and the conditions written.

/** The Lease timings the replicas run with: short, so a failover fits in a CI test. */
export const LEASE = { name: 'shop/switchyard-status', durationSeconds: 2, renewDeadlineSeconds: 1.5, retryPeriodSeconds: 0.3 } as const;
/** client-go's jitter: a candidate tries again after 1 to 1 + this many retry periods. */
const JITTER_FACTOR = 1.2;
/** The longest a candidate waits between two tries. */
export const LONGEST_RETRY_MS = (1 + JITTER_FACTOR) * LEASE.retryPeriodSeconds * 1000;
/**
 * The failover bound of issue 14: two lease durations, plus one longest retry wait, since a
 * candidate only notices at its next try that the lease it watches has expired.
 */
export const FAILOVER_BOUND_MS = 2 * LEASE.durationSeconds * 1000 + LONGEST_RETRY_MS;

export const V1 = 'gateway.networking.k8s.io/v1';
export const CONTROLLER = 'switchyard.dev/gateway-controller';
/** The Gateway listener port of the tests' Gateway; each replica binds it to a port of its own. */
export const GATEWAY_PORT = 18080;

/** One `serve` process with its own Lease identity and its own kubeconfig user (bearer token). */
export interface Replica {
  readonly identity: string;
  /** The bearer token of its kubeconfig user: the fixture's request log names it. */
  readonly token: string;
  readonly cli: CliProcess;
  readonly gatewayUrl: string;
  readonly adminUrl: string;
}

/**
 * Spawns `switchyard serve --kubernetes --lease …` as `identity`, with a kubeconfig user of its
 * own, and pushes the process onto `started` at once, so a test can stop it whatever happens
 * next. (client-node sends a token over plain HTTP only with insecure-skip-tls-verify; the
 * fixture is plain HTTP on loopback.)
 */
export async function spawnReplica(api: KubeApiServer, dir: string, identity: string, started: CliProcess[]): Promise<{ identity: string; token: string; cli: CliProcess }> {
  const token = `${identity}-token`;
  const kubeconfig = join(dir, `kubeconfig-${identity}.yaml`);
  await writeFile(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: f, cluster: {server: "${api.address.url}", insecure-skip-tls-verify: true}}]\ncontexts: [{name: f, context: {cluster: f, user: ${identity}}}]\nusers: [{name: ${identity}, user: {token: ${token}}}]\ncurrent-context: f\n`,
  );
  const cli = startCli([
    'serve', '--kubernetes', '--kubeconfig', kubeconfig, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--bind', `${GATEWAY_PORT}=127.0.0.1:0`,
    '--lease', LEASE.name, '--lease-identity', identity, '--lease-duration', String(LEASE.durationSeconds),
    '--lease-renew-deadline', String(LEASE.renewDeadlineSeconds), '--lease-retry-period', String(LEASE.retryPeriodSeconds),
  ]);
  started.push(cli);
  return { identity, token, cli };
}

/** `spawnReplica`, resolved once it listens on the Gateway port (after its first sync). */
export async function startReplica(api: KubeApiServer, dir: string, identity: string, started: CliProcess[]): Promise<Replica> {
  const { token, cli } = await spawnReplica(api, dir, identity, started);
  const urls = await cli.urls();
  const line = await cli.waitFor('stderr', new RegExp(`^switchyard: serving Gateway listener port ${GATEWAY_PORT} at (http://127\\.0\\.0\\.1:\\d+)$`, 'm'), 30_000);
  return { identity, token, cli, gatewayUrl: line[1]!, adminUrl: urls.admin! };
}

/** The lines saying this replica started leading, so far. */
export function leadingLines(replica: Replica): number {
  return replica.cli.stderr.match(/^switchyard: leading Lease .* writing Gateway API status$/gm)?.length ?? 0;
}

/** Waits until `replica` has said it leads more than `before` times; resolves with when it did. */
export async function waitForLeading(replica: Replica, before: number, timeoutMs: number): Promise<number> {
  // waitFor wakes on every chunk of output: the time taken after it is when the line arrived.
  await replica.cli.waitFor('stderr', new RegExp(`(?:switchyard: leading Lease [^\\n]* writing Gateway API status\\n[\\s\\S]*?){${before + 1}}`), timeoutMs);
  return Date.now();
}

/** What a replica's /readyz says of the status write-back. */
export interface WriteBackState {
  readonly identity: string;
  readonly leading: boolean;
  readonly leader: string | null;
  readonly writes: number;
  readonly conflicts: number;
}

/** The `statusWriteBack` part of a replica's /readyz. */
export async function writeBackState(replica: Replica): Promise<WriteBackState> {
  const body = (await (await fetch(`${replica.adminUrl}/readyz`)).json()) as { status: { statusWriteBack: WriteBackState } };
  return body.status.statusWriteBack;
}

/** Every status write (a PUT to a `/status` subresource) the fixture has seen since `since` (ms). */
export function statusWrites(api: KubeApiServer, since = 0): RequestLogEntry[] {
  return api.requests.filter((r) => r.method !== 'GET' && r.path.endsWith('/status') && r.time >= since);
}

/** The successful status writes to one object's status path. */
export function writesTo(api: KubeApiServer, statusPathEnd: string, since = 0): RequestLogEntry[] {
  return statusWrites(api, since).filter((r) => r.path.endsWith(statusPathEnd) && r.status === 200);
}

/**
 * Applies `object` as `kubectl apply` changes a spec: the stored `.status` stays (the fixture's
 * `apply` plays every controller and would replace it).
 */
export function applyKeepingStatus(api: KubeApiServer, ref: string, object: KubeObject): KubeObject {
  const status = (api.get(ref as never) as { status?: unknown } | undefined)?.status;
  return api.apply({ ...object, ...(status === undefined ? {} : { status }) } as KubeObject);
}

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly observedGeneration?: number;
}

/** The condition of `type` in a list, or undefined. */
export function conditionOf(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** An HTTPRoute's `status.parents` entries. */
export function routeParents(api: KubeApiServer, name: string): Array<{ parentRef: { name: string }; controllerName: string; conditions: Condition[] }> {
  return ((api.get(`HTTPRoute/shop/${name}` as never) as { status?: { parents?: never[] } } | undefined)?.status?.parents ?? []) as never;
}

/** The conditions of our parent entry on an HTTPRoute, as `{ Accepted: 'True/Reason', … }`. */
export function ourRouteConditions(api: KubeApiServer, name: string): Record<string, string> {
  const ours = routeParents(api, name).find((p) => p.controllerName === CONTROLLER);
  return Object.fromEntries((ours?.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]));
}
