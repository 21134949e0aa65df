import { afterAll, beforeAll, expect, test } from 'vitest';
import { request } from 'undici';
import { createCustomGateway, type CustomGateway } from '../src/custom-gateway.js';
import { startDemoService } from '../src/demo-services.js';

let services: Array<Awaited<ReturnType<typeof startDemoService>>>;
let gateway: CustomGateway;
let url: string;

beforeAll(async () => {
  services = await Promise.all(['web', 'api-zone-a', 'api-zone-b', 'admin'].map(startDemoService));
  const [web, apiA, apiB, admin] = services as [typeof services[0], typeof services[0], typeof services[0], typeof services[0]];
  gateway = await createCustomGateway({ ports: { web: web.port, api: [apiA.port, apiB.port], admin: admin.port }, zone: 'zone-a', apiZones: ['zone-a', 'zone-b'], adminToken: 'secret' });
  url = await gateway.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await gateway.close();
  await Promise.all(services.map((s) => s.close()));
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await request(`${url}${path}`, { headers: { host: 'app.example.com', ...headers } });
  return { status: response.statusCode, body: await response.body.text() };
}

test('routes built in code send each path to its service', async () => {
  expect(JSON.parse((await get('/')).body).service).toBe('web');
  expect(JSON.parse((await get('/api/users')).body).path).toBe('/api/users');
  expect(JSON.parse((await get('/nothing', { host: 'other.test' })).body).service).toBe('web');
});

test('the custom picker keeps api requests in the gateway zone', async () => {
  for (let i = 0; i < 10; i++) expect(JSON.parse((await get('/api/x')).body).service).toBe('api-zone-a');
});

test('the custom picker falls back to another zone when its own has no endpoint', async () => {
  const zoneA = services[1]!;
  await zoneA.close();
  // The refused zone-a endpoint is retried on zone-b within the same request.
  for (let i = 0; i < 5; i++) expect(JSON.parse((await get('/api/x')).body).service).toBe('api-zone-b');
});

test('the auth hook guards the admin Ingress only', async () => {
  expect((await get('/admin')).status).toBe(401);
  expect((await get('/admin', { authorization: 'Bearer wrong' })).status).toBe(401);
  const allowed = await get('/admin/panel', { authorization: 'Bearer secret' });
  expect(allowed.status).toBe(200);
  expect(JSON.parse(allowed.body).service).toBe('admin');
  expect((await get('/')).status).toBe(200);
});

test('the auth hook guards WebSocket upgrades to the admin Ingress too', async () => {
  const { connect } = await import('node:net');
  const { port } = new URL(url);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write('GET /admin/live HTTP/1.1\r\nHost: app.example.com\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'),
    );
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
  expect(answer).toMatch(/^HTTP\/1\.1 401 /);
  expect(answer).not.toContain('"service":"admin"');
});

test("the app's own route wins over the proxy", async () => {
  const info = await get('/gateway/info');
  expect(JSON.parse(info.body)).toMatchObject({ zone: 'zone-a', tableVersion: gateway.router.table.version });
});
