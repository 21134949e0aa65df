import { ApiException, CoordinationV1Api, KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { KubeApiServer } from '@switchyard/test-utils';
import { startFixture } from './helpers.js';

let server: KubeApiServer;
let api: CoordinationV1Api;
beforeEach(async () => {
  let url: string;
  ({ server, url } = await startFixture());
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'fixture', server: url, skipTLSVerify: true }],
    users: [{ name: 'nobody' }],
    contexts: [{ name: 'fixture', cluster: 'fixture', user: 'nobody' }],
    currentContext: 'fixture',
  });
  api = config.makeApiClient(CoordinationV1Api);
});
afterEach(() => server.close());

const namespace = 'shop';
const name = 'switchyard-status-writer';
const now = () => new Date();

function leaseFor(holder: string): V1Lease {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: { holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: now(), renewTime: now(), leaseTransitions: 0 } };
}

/** The HTTP status a client-node call failed with. */
async function failure(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiException) return error.code;
    throw error;
  }
  throw new Error('expected the call to fail');
}

test("two candidates race as client-go's leader election does: one create wins, the loser's stale replace is a 409", async () => {
  const created = await api.createNamespacedLease({ namespace, body: leaseFor('replica-a') });
  expect(created.spec?.holderIdentity).toBe('replica-a');
  expect(await failure(api.createNamespacedLease({ namespace, body: leaseFor('replica-b') }))).toBe(409);

  // B reads the lease and waits for it to expire; meanwhile A renews.
  const seenByB = await api.readNamespacedLease({ name, namespace });
  const renewed = await api.replaceNamespacedLease({ name, namespace, body: { ...created, spec: { ...created.spec, renewTime: now() } } });
  expect(Number(renewed.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

  // B's takeover is based on what it read, which is now stale.
  const takeover = { ...seenByB, spec: { ...seenByB.spec, holderIdentity: 'replica-b', leaseTransitions: 1 } };
  expect(await failure(api.replaceNamespacedLease({ name, namespace, body: takeover }))).toBe(409);
  expect(server.get(`Lease/${namespace}/${name}`)?.['spec']).toMatchObject({ holderIdentity: 'replica-a' });

  // With the current resourceVersion the takeover succeeds.
  const current = await api.readNamespacedLease({ name, namespace });
  const taken = await api.replaceNamespacedLease({ name, namespace, body: { ...current, spec: { ...current.spec, holderIdentity: 'replica-b', leaseTransitions: 1 } } });
  expect(taken.spec).toMatchObject({ holderIdentity: 'replica-b', leaseTransitions: 1 });
  expect(server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'POST 409', 'PUT 200', 'PUT 409', 'PUT 200']);
});
