import { Reflector } from '@switchyard/kubernetes';
import { eventually, KubeApiServer } from '@switchyard/test-utils';
import { afterEach, expect, test } from 'vitest';
import { ingressObject } from './helpers/ingress-object.js';

// The scenario of test-utils' fidelity test, where a raw watch, the @kubernetes/client-node
// informer and `kubectl get -w` all read exactly this sequence; our loop must read it too
// (its initial LIST counts as the ADDED of what it found).
const EXPECTED = ['ADDED a', 'ADDED b', 'MODIFIED a', 'DELETED b'];

let server: KubeApiServer | undefined;
let reflector: Reflector | undefined;
afterEach(async () => {
  await reflector?.stop();
  await server?.close();
});

test('our list+watch loop reads the sequence the informer and kubectl read', async () => {
  server = new KubeApiServer();
  const { url } = await server.start();
  server.apply(ingressObject('a', 'default'));
  const seen: string[] = [];
  reflector = new Reflector({
    connection: { server: url },
    path: '/apis/networking.k8s.io/v1/ingresses',
    onChange: (change) => {
      if (change.type === 'RELISTED') for (const object of reflector!.store.values()) seen.push(`ADDED ${object.metadata?.name}`);
      else seen.push(`${change.type} ${change.object.metadata?.name}`);
    },
  }).start();
  await reflector.synced();
  await eventually('the watch', () => server!.openWatches === 1);
  server.apply(ingressObject('b', 'other'));
  server.apply({ ...ingressObject('a', 'default'), spec: { ingressClassName: 'changed' } });
  server.remove('Ingress/other/b');
  await eventually('four events', () => seen.length >= 4);
  expect(seen).toEqual(EXPECTED);
});
