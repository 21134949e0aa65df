import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { KubeApiServer } from '@switchyard/test-utils';
import { getJson, startFixture } from './helpers.js';

let server: KubeApiServer;
let url: string;
beforeEach(async () => ({ server, url } = await startFixture()));
afterEach(() => server.close());

describe('discovery', () => {
  test('start() listens on a random loopback port', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.address.port).toBeGreaterThan(0);
  });

  test('/version names a 1.x server', async () => {
    const { status, body } = await getJson(`${url}/version`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ major: '1', gitVersion: expect.stringMatching(/^v1\./) });
  });

  test('/api lists v1', async () => {
    const { body } = await getJson(`${url}/api`);
    expect(body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });

  test('/apis lists networking.k8s.io/v1 and discovery.k8s.io/v1 as preferred versions', async () => {
    const { body } = await getJson(`${url}/apis`);
    expect(body.kind).toBe('APIGroupList');
    const preferred = body.groups.map((g: any) => g.preferredVersion.groupVersion);
    expect(preferred).toEqual(expect.arrayContaining(['networking.k8s.io/v1', 'discovery.k8s.io/v1']));
  });

  test.each([
    ['/api/v1', 'v1', [['services', 'Service', true], ['endpoints', 'Endpoints', true], ['secrets', 'Secret', true]]],
    ['/apis/networking.k8s.io/v1', 'networking.k8s.io/v1', [['ingresses', 'Ingress', true], ['ingressclasses', 'IngressClass', false]]],
    ['/apis/discovery.k8s.io/v1', 'discovery.k8s.io/v1', [['endpointslices', 'EndpointSlice', true]]],
  ] as const)('%s is an APIResourceList with kind, namespaced and verbs', async (path, groupVersion, expected) => {
    const { body } = await getJson(`${url}${path}`);
    expect(body).toMatchObject({ kind: 'APIResourceList', groupVersion });
    for (const [name, kind, namespaced] of expected) {
      const resource = body.resources.find((r: any) => r.name === name);
      expect(resource).toMatchObject({ kind, namespaced });
      expect(resource.verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch']));
    }
  });

  test('an unknown path is a 404 Status', async () => {
    const { status, body } = await getJson(`${url}/apis/example.com/v1`);
    expect(status).toBe(404);
    expect(body).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
  });
});
