import { afterEach, beforeEach, expect, test } from 'vitest';
import type { KubeApiServer } from '@switchyard/test-utils';
import { humanDuration } from '../../src/kube-api/table.js';
import { GATEWAYS, gateway, httpRoute } from './gateway-api-objects.js';
import { startFixture } from './helpers.js';

let server: KubeApiServer;
let url: string;
beforeEach(async () => ({ server, url } = await startFixture()));
afterEach(() => server.close());

// What kubectl get sends.
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const getTable = async (path: string): Promise<any> => (await fetch(`${url}${path}`, { headers: { accept: TABLE_ACCEPT } })).json();

test('a LIST asking for a Table gets Name plus the CRD columns, null for what the path does not find', async () => {
  server.apply(gateway('web'));
  const table = await getTable(`${GATEWAYS}/gateways`);
  expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: server.resourceVersion } });
  expect(table.columnDefinitions.map((c: any) => [c.name, c.type, c.priority])).toEqual([
    ['Name', 'string', 0],
    ['Class', 'string', 0],
    ['Address', 'string', 0],
    ['Programmed', 'string', 0],
    ['Age', 'date', 0],
  ]);
  expect(table.columnDefinitions[1].description).toBe('Custom resource definition column (in JSONPath format): .spec.gatewayClassName');
  expect(table.rows).toEqual([{ cells: ['web', 'switchyard', null, null, expect.stringMatching(/^\d+s$/)], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: server.get('Gateway/shop/web')!.metadata } }]);
});

test('a GET asking for a Table gets one row; a list column prints as JSON; watches and kinds without columns answer plain objects', async () => {
  server.apply(httpRoute('store'));
  expect((await getTable(`${GATEWAYS}/namespaces/shop/httproutes/store`)).rows[0].cells.slice(0, 2)).toEqual(['store', '["store.example.com"]']);
  // Watch events stay plain objects (the fixture renders no Table events).
  server.apply(gateway('web'));
  const watched = await (await fetch(`${url}${GATEWAYS}/gateways?watch=true&timeoutSeconds=1`, { headers: { accept: TABLE_ACCEPT } })).text();
  expect(JSON.parse(watched.split('\n')[0]!)).toMatchObject({ type: 'ADDED', object: { kind: 'Gateway' } });
  expect((await getTable('/apis/networking.k8s.io/v1/ingresses')).kind).toBe('IngressList');
});

test.each([
  [-5_000, '<invalid>'],
  [-500, '0s'],
  [0, '0s'],
  [119_000, '119s'],
  [200_000, '3m20s'],
  [180_000, '3m'],
  [25 * 60_000, '25m'],
  [(5 * 60 + 10) * 60_000, '5h10m'],
  [30 * 3_600_000, '30h'],
  [(3 * 24 + 4) * 3_600_000, '3d4h'],
  [100 * 24 * 3_600_000, '100d'],
  [(365 + 20) * 24 * 3_600_000 * 2, '2y40d'],
  [10 * 365 * 24 * 3_600_000, '10y'],
])('humanDuration(%i) is %s, as apimachinery renders ages', (ms, text) => {
  expect(humanDuration(ms)).toBe(text);
});
