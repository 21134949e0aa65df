import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { KubeApiServer } from '@switchyard/test-utils';
import { GATEWAYS, gateway, lease, programmedStatus } from './gateway-api-objects.js';
import { getJson, sendJson, startFixture, summary, WatchReader } from './helpers.js';

let server: KubeApiServer;
let url: string;
let reader: WatchReader | undefined;
beforeEach(async () => ({ server, url } = await startFixture()));
afterEach(async () => {
  reader?.close();
  await server.close();
});

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/shop/leases';
const SHOP_GATEWAYS = `${GATEWAYS}/namespaces/shop/gateways`;

describe('POST create', () => {
  test('201 with server-set metadata; the namespace comes from the path; a second create is 409 AlreadyExists', async () => {
    const { namespace: _ns, ...metadata } = lease('leader', 'a').metadata;
    const created = await sendJson('POST', `${url}${LEASES}`, { ...lease('leader', 'a'), metadata: { ...metadata, uid: 'mine', resourceVersion: '1' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'Lease', metadata: { name: 'leader', namespace: 'shop', generation: 1, resourceVersion: server.resourceVersion } });
    expect(created.body.metadata.uid).not.toBe('mine');
    const again = await sendJson('POST', `${url}${LEASES}`, lease('leader', 'b'));
    expect(again).toMatchObject({
      status: 409,
      body: { kind: 'Status', status: 'Failure', reason: 'AlreadyExists', code: 409, message: 'leases.coordination.k8s.io "leader" already exists', details: { name: 'leader', group: 'coordination.k8s.io', kind: 'leases' } },
    });
    expect(server.get('Lease/shop/leader')?.['spec']).toMatchObject({ holderIdentity: 'a' });
  });

  test('generateName makes a name; a body for another namespace is a 400; no name at all is a 422', async () => {
    const generated = await sendJson('POST', `${url}${LEASES}`, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { generateName: 'lock-' }, spec: {} });
    expect(generated.body.metadata.name).toMatch(/^lock-[a-z0-9]{5}$/);
    expect((await sendJson('POST', `${url}${LEASES}`, lease('x', 'a', 'other'))).body).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect((await sendJson('POST', `${url}${LEASES}`, { spec: {} })).body).toMatchObject({ code: 422, reason: 'Invalid' });
  });

  test('creating a kind with a status subresource drops the status', async () => {
    const created = await sendJson('POST', `${url}${SHOP_GATEWAYS}`, { ...gateway('web'), status: programmedStatus(1) });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('status');
  });
});

describe('PUT replace', () => {
  test('replaces with the current resourceVersion; a stale one is 409 Conflict; a missing object is 404', async () => {
    const stored = server.apply(lease('leader', 'a'));
    const replaced = await sendJson('PUT', `${url}${LEASES}/leader`, { ...stored, spec: { ...(stored['spec'] as object), holderIdentity: 'b' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.spec.holderIdentity).toBe('b');
    expect(Number(replaced.body.metadata.resourceVersion)).toBeGreaterThan(Number(stored.metadata.resourceVersion));
    const stale = await sendJson('PUT', `${url}${LEASES}/leader`, { ...stored, spec: { holderIdentity: 'c' } });
    expect(stale).toMatchObject({ status: 409, body: { reason: 'Conflict', message: expect.stringContaining('Operation cannot be fulfilled on leases.coordination.k8s.io "leader"') } });
    expect((await sendJson('PUT', `${url}${LEASES}/nope`, lease('nope', 'a'))).body).toMatchObject({ code: 404, reason: 'NotFound', message: 'leases.coordination.k8s.io "nope" not found' });
  });

  test('a built-in type allows an update without resourceVersion; a custom resource answers 422, as on the API server', async () => {
    server.apply(lease('leader', 'a'));
    expect((await sendJson('PUT', `${url}${LEASES}/leader`, lease('leader', 'b'))).status).toBe(200);
    server.apply(gateway('web'));
    const unconditional = await sendJson('PUT', `${url}${SHOP_GATEWAYS}/web`, gateway('web', 'shop', 'other'));
    expect(unconditional.body).toMatchObject({ code: 422, reason: 'Invalid', details: { causes: [{ field: 'metadata.resourceVersion' }] } });
  });

  test('the name in the body must be the name in the path', async () => {
    const stored = server.apply(lease('leader', 'a'));
    const renamed = await sendJson('PUT', `${url}${LEASES}/leader`, { ...stored, metadata: { ...stored.metadata, name: 'other' } });
    expect(renamed.body).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  test('a write to the object of a kind with a status subresource keeps the stored status', async () => {
    const stored = server.apply({ ...gateway('web'), status: programmedStatus(1) });
    const replaced = await sendJson('PUT', `${url}${SHOP_GATEWAYS}/web`, { ...stored, status: { conditions: [] } });
    expect(replaced.body.status).toEqual(programmedStatus(1));
    const patched = await sendJson('PATCH', `${url}${SHOP_GATEWAYS}/web`, { status: null, spec: { gatewayClassName: 'other' } });
    expect(patched.body.status).toEqual(programmedStatus(1));
    expect(patched.body.spec.gatewayClassName).toBe('other');
  });
});

describe('PATCH', () => {
  test('a merge patch merges objects, replaces lists and deletes keys set to null', async () => {
    server.apply({ ...gateway('web'), metadata: { name: 'web', namespace: 'shop', labels: { a: '1', b: '2' } } });
    const patched = await sendJson('PATCH', `${url}${SHOP_GATEWAYS}/web`, { metadata: { labels: { b: null, c: '3' } }, spec: { listeners: [{ name: 'https', port: 443, protocol: 'HTTPS' }] } });
    expect(patched.status).toBe(200);
    expect(patched.body.metadata.labels).toEqual({ a: '1', c: '3' });
    expect(patched.body.spec).toEqual({ gatewayClassName: 'switchyard', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS' }] });
  });

  test('a resourceVersion in the patch is a precondition', async () => {
    const stored = server.apply(lease('leader', 'a'));
    server.apply(lease('leader', 'b'));
    const stale = await sendJson('PATCH', `${url}${LEASES}/leader`, { metadata: { resourceVersion: stored.metadata.resourceVersion }, spec: { holderIdentity: 'c' } });
    expect(stale.body).toMatchObject({ code: 409, reason: 'Conflict' });
    const fresh = await sendJson('PATCH', `${url}${LEASES}/leader`, { metadata: { resourceVersion: server.resourceVersion }, spec: { holderIdentity: 'c' } });
    expect(fresh.body.spec.holderIdentity).toBe('c');
  });

  test('a strategic merge patch is applied as a merge patch without its $-directives on built-in types, and refused with 415 on custom resources', async () => {
    server.apply(lease('leader', 'a'));
    const strategic = await sendJson('PATCH', `${url}${LEASES}/leader`, { $patch: 'merge', spec: { holderIdentity: 'b' } }, 'application/strategic-merge-patch+json');
    expect(strategic.status).toBe(200);
    expect(strategic.body).not.toHaveProperty('$patch');
    expect(strategic.body.spec).toMatchObject({ holderIdentity: 'b', leaseDurationSeconds: 15 });
    server.apply(gateway('web'));
    expect((await sendJson('PATCH', `${url}${SHOP_GATEWAYS}/web`, { spec: {} }, 'application/strategic-merge-patch+json')).body).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    expect((await sendJson('PATCH', `${url}${LEASES}/leader`, [], 'application/json-patch+json')).status).toBe(415);
  });
});

describe('DELETE', () => {
  test('a built-in type answers a Success Status, a custom resource the deleted object; then 404', async () => {
    const stored = server.apply(lease('leader', 'a'));
    expect(await sendJson('DELETE', `${url}${LEASES}/leader`)).toEqual({
      status: 200,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'leader', group: 'coordination.k8s.io', kind: 'leases', uid: stored.metadata.uid } },
    });
    expect(server.get('Lease/shop/leader')).toBeUndefined();
    expect((await sendJson('DELETE', `${url}${LEASES}/leader`)).status).toBe(404);
    server.apply(gateway('web'));
    expect((await sendJson('DELETE', `${url}${SHOP_GATEWAYS}/web`)).body).toMatchObject({ kind: 'Gateway', metadata: { name: 'web' } });
  });

  test('preconditions in the DeleteOptions are checked', async () => {
    const stored = server.apply(lease('leader', 'a'));
    server.apply(lease('leader', 'b'));
    const stale = await sendJson('DELETE', `${url}${LEASES}/leader`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: stored.metadata.resourceVersion } });
    expect(stale.body).toMatchObject({ code: 409, reason: 'Conflict', message: expect.stringContaining('Precondition failed: ResourceVersion in precondition') });
    expect(server.get('Lease/shop/leader')).toBeDefined();
  });
});

test('every write bumps the resourceVersion and reaches watches, exactly like apply()', async () => {
  reader = await WatchReader.open(`${url}${GATEWAYS}/gateways?watch=true`);
  const versions = [server.resourceVersion];
  const created = await sendJson('POST', `${url}${SHOP_GATEWAYS}`, gateway('web'));
  versions.push(server.resourceVersion);
  await sendJson('PUT', `${url}${SHOP_GATEWAYS}/web`, { ...created.body, spec: { ...created.body.spec, gatewayClassName: 'b' } });
  versions.push(server.resourceVersion);
  await sendJson('PATCH', `${url}${SHOP_GATEWAYS}/web/status`, { status: programmedStatus(2) });
  versions.push(server.resourceVersion);
  await sendJson('DELETE', `${url}${SHOP_GATEWAYS}/web`);
  versions.push(server.resourceVersion);
  const events = await reader.take(4);
  expect(summary(events)).toEqual(['ADDED web', 'MODIFIED web', 'MODIFIED web', 'DELETED web']);
  expect(events.map((e) => ('object' in e ? e.object.metadata.resourceVersion : ''))).toEqual(versions.slice(1));
  expect(new Set(versions).size).toBe(versions.length);
});

test('an unchanged PUT is a no-op: same resourceVersion, no event', async () => {
  const stored = server.apply(lease('leader', 'a'));
  const again = await sendJson('PUT', `${url}${LEASES}/leader`, stored);
  expect(again.body.metadata.resourceVersion).toBe(stored.metadata.resourceVersion);
  expect(server.resourceVersion).toBe(stored.metadata.resourceVersion);
});

test("failNext(n, { only: 'write' }) fails writes and leaves reads alone; the log records each write's method and path", async () => {
  server.failNext(1, { only: 'write', status: 503 });
  expect((await getJson(`${url}${LEASES}`)).status).toBe(200);
  expect((await sendJson('POST', `${url}${LEASES}`, lease('leader', 'a'))).body).toMatchObject({ code: 503, reason: 'ServiceUnavailable' });
  expect(server.get('Lease/shop/leader')).toBeUndefined();
  expect((await sendJson('POST', `${url}${LEASES}`, lease('leader', 'a'))).status).toBe(201);
  server.failNext(1, { only: 'write', status: 500 });
  expect((await sendJson('PATCH', `${url}${LEASES}/leader`, { spec: { holderIdentity: 'b' } })).status).toBe(500);
  expect(server.requests.map((r) => [r.method, r.path, r.status, r.fault])).toEqual([
    ['GET', LEASES, 200, undefined],
    ['POST', LEASES, 503, 'failNext'],
    ['POST', LEASES, 201, undefined],
    ['PATCH', `${LEASES}/leader`, 500, 'failNext'],
  ]);
});
