import { once } from 'node:events';
import http2 from 'node:http2';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AddressPolicy, type Service } from '@switchyard/core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FixedNameResolver } from '../helpers/fixed-name-resolver.js';
import { ingress, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { RawConnection, headerOf } from '../helpers/raw-http.js';

/**
 * The address policy on the proxy's connect paths. No traffic leaves loopback: the policy is
 * extended with the upstreams' own 127.0.0.1 (and ::1), and a request refused through that same
 * mechanism, with no connection reaching the upstream, proves each path asks it before it
 * connects. The link-local ranges themselves are tested on the function (core).
 */

/** Counts the TCP connections each upstream accepted: a refused connect must open none. */
let connections = 0;
let sessions = 0;
let http1: Server;
let h2c: http2.Http2Server;
let http1Port: number;
let h2cPort: number;
let denying: TestGateway;
let allowing: TestGateway;

const LOOPBACK_DENIED = new AddressPolicy({ deny: ['127.0.0.1', '::1'] });
const rules = ingress('policy', [
  ['app.test', '/h1', 'Prefix', 'h1', 80],
  ['app.test', '/h2c', 'Prefix', 'h2c', 80],
  ['app.test', '/by-name', 'Prefix', 'byname', 80],
  ['app.test', '/ws', 'Prefix', 'h1', 80],
  ['app.test', '/ext', 'Prefix', 'ext', 80],
]);

function externalService(name: string, port: number): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'ext.example.net', ports: [{ port: 80, targetPort: port }] } } as Service;
}

beforeAll(async () => {
  http1 = createServer((_req, res) => res.end('upstream'));
  http1.on('connection', () => connections++);
  http1.on('upgrade', (_req, socket: Socket) => socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'));
  h2c = http2.createServer((_req, res) => res.end('h2c upstream'));
  h2c.on('session', () => sessions++);
  http1.listen(0, '127.0.0.1');
  h2c.listen(0, '127.0.0.1');
  await Promise.all([once(http1, 'listening'), once(h2c, 'listening')]);
  http1Port = (http1.address() as AddressInfo).port;
  h2cPort = (h2c.address() as AddressInfo).port;
  const endpoints = {
    'default/h1:80': [{ address: '127.0.0.1', port: http1Port }],
    'default/h2c:80': [{ address: '127.0.0.1', port: h2cPort, protocol: 'h2c' as const }],
    // A name: Node resolves it at connect time, past any discovery.
    'default/byname:80': [{ address: 'localhost', port: http1Port }],
  };
  [denying, allowing] = await Promise.all([
    startTestGateway([rules], endpoints, { proxy: { addressPolicy: LOOPBACK_DENIED, retries: 0 } }),
    startTestGateway([rules], endpoints),
  ]);
});

afterAll(async () => {
  await Promise.all([denying?.close(), allowing?.close()]);
  http1?.close();
  h2c?.close();
});

async function get(gateway: TestGateway, path: string) {
  const response = await request(`${gateway.url}${path}`, { headers: { host: 'app.test' } });
  return { status: response.statusCode, code: response.headers['x-switchyard-error'], body: await response.body.text() };
}

describe('each connect path asks the policy before it connects', () => {
  test.each([['/h1'], ['/h2c'], ['/by-name']])('%s: refused with 502 SWY_PROXY_ADDRESS_DENIED, no connection opened; served with the default policy', async (path) => {
    const before = { connections, sessions };
    const refused = await get(denying, path);
    expect(refused).toMatchObject({ status: 502, code: 'SWY_PROXY_ADDRESS_DENIED' });
    expect({ connections, sessions }).toEqual(before);
    expect((await get(allowing, path)).status).toBe(200);
  });

  test('a WebSocket upgrade: refused with 502 SWY_PROXY_ADDRESS_DENIED, no connection opened', async () => {
    const before = connections;
    const connection = await RawConnection.open(denying.url);
    try {
      connection.write('GET /ws HTTP/1.1\r\nHost: app.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
      const response = await connection.readResponse();
      expect(response.statusCode).toBe(502);
      expect(headerOf(response, 'x-switchyard-error')).toBe('SWY_PROXY_ADDRESS_DENIED');
    } finally {
      connection.close();
    }
    expect(connections).toBe(before);
    const allowed = await RawConnection.open(allowing.url);
    try {
      allowed.write('GET /ws HTTP/1.1\r\nHost: app.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
      expect((await allowed.readResponse()).statusCode).toBe(101);
    } finally {
      allowed.close();
    }
  });
});

describe('ExternalName Services', () => {
  test('not allowed (the default): 503 SWY_PROXY_EXTERNAL_NAME_DENIED, nothing resolved', async () => {
    const resolver = new FixedNameResolver({ 'ext.example.net': ['127.0.0.1'] });
    allowing.discovery.update({ endpoints: {}, objects: [externalService('ext', http1Port)], externalNames: resolver });
    const answer = await get(allowing, '/ext');
    expect(answer).toMatchObject({ status: 503, code: 'SWY_PROXY_EXTERNAL_NAME_DENIED' });
    expect(answer.body).toContain('default/ext:80');
  });

  test('allowed: served', async () => {
    const resolver = new FixedNameResolver({ 'ext.example.net': ['127.0.0.1'] });
    allowing.discovery.update({ objects: [externalService('ext', http1Port)], externalNames: resolver, allowExternalNames: ['*.example.net'] });
    expect(await get(allowing, '/ext')).toMatchObject({ status: 200, body: 'upstream' });
  });

  test('allowed, but resolving to a denied address: never made into an endpoint (503, the set says why)', async () => {
    const resolver = new FixedNameResolver({ 'ext.example.net': ['127.0.0.1'] });
    denying.discovery.update({ objects: [externalService('ext', http1Port)], externalNames: resolver, allowExternalNames: ['ext.example.net'], addressPolicy: LOOPBACK_DENIED });
    const before = connections;
    const answer = await get(denying, '/ext');
    expect(answer).toMatchObject({ status: 503, code: 'SWY_PROXY_NO_ENDPOINT' });
    expect(answer.body).toContain('SWY_DISCOVERY_ADDRESS_DENIED');
    expect(connections).toBe(before);
    expect(denying.router.endpointsOf('default/ext:80')?.set.problem?.message).toContain('127.0.0.1 is in 127.0.0.1');
  });
});
