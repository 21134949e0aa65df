import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { Reflector, connectionFromKubeConfig } from '@switchyard/kubernetes';
import { KubeApiServer } from '@switchyard/test-utils';
import { expect, test } from 'vitest';
import { ingressObject } from './helpers/ingress-object.js';

function kubeConfigFor(server: string, token?: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', ...(token ? { token } : {}) }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return config;
}

test('a KubeConfig gives the server and the credentials every request carries', async () => {
  const headers: http.IncomingHttpHeaders[] = [];
  const probe = http.createServer((req, res) => {
    headers.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'IngressList', apiVersion: 'networking.k8s.io/v1', metadata: { resourceVersion: '1' }, items: [] }));
  });
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  const connection = await connectionFromKubeConfig(kubeConfigFor(url, 'secret-token'));
  expect(connection.server).toBe(url);
  const reflector = new Reflector({ connection, path: '/apis/networking.k8s.io/v1/ingresses' }).start();
  await reflector.synced();
  await reflector.stop();
  probe.closeAllConnections();
  await new Promise((resolve) => probe.close(resolve));
  expect(headers[0]?.authorization).toBe('Bearer secret-token');
});

test('lists from the fixture through a KubeConfig built in code', async () => {
  const server = new KubeApiServer();
  const { url } = await server.start();
  server.apply(ingressObject('a'));
  const reflector = new Reflector({ connection: await connectionFromKubeConfig(kubeConfigFor(url)), path: '/apis/networking.k8s.io/v1/ingresses' }).start();
  await reflector.synced();
  expect([...reflector.store.keys()]).toEqual(['shop/a']);
  await reflector.stop();
  await server.close();
});
