import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCli } from './helpers/cli-process.js';
import { documents, externalNameService, ingress, tempDir } from './helpers/manifests.js';
import { get } from './helpers/http-get.js';
import { DnsTestServer, startUpstream, type Upstream } from '@switchyard/test-utils';

let dir: Awaited<ReturnType<typeof tempDir>>;
let dns: DnsTestServer;
let external: Upstream;

beforeAll(async () => {
  dir = await tempDir();
  dns = await DnsTestServer.start();
  dns.set('payments.example.net', { a: [{ address: '127.0.0.1', ttl: 60 }] });
  external = await startUpstream('payments');
  await dir.write(
    'external.yaml',
    documents(ingress('pay', { host: 'pay.example.com', paths: [{ path: '/', service: 'payments' }] }), externalNameService('payments', 'payments.example.net', external.port)),
  );
});
afterAll(async () => {
  await external.close();
  await dns.close();
  await dir.remove();
});

test('an ExternalName Service is refused by default: 503 with its code, and its name is not even looked up', async () => {
  const cli = startCli(['serve', '-f', dir.path, '--listen', '127.0.0.1:0', '--dns-servers', dns.address, '--admin', '127.0.0.1:0']);
  try {
    const { http, admin } = await cli.urls();
    const answer = await get(http, 'pay.example.com', '/charge');
    expect(answer.status).toBe(503);
    expect(answer.headers['x-switchyard-error']).toBe('SWY_PROXY_EXTERNAL_NAME_DENIED');
    expect(external.seen).toHaveLength(0);
    expect(dns.queries().map((q) => q.name)).not.toContain('payments.example.net');
    // The admin's /routes says why, and how to allow it.
    const routes = await get(admin!, '127.0.0.1', '/routes');
    expect(routes.body).toContain('SWY_DISCOVERY_EXTERNAL_NAME_DENIED');
    expect(routes.body).toContain('--allow-external-name payments.example.net');
  } finally {
    expect(await cli.stop()).toEqual({ code: 0, signal: null });
  }
});

test('an ExternalName Service allowed by --allow-external-name is resolved through the --dns-servers given, and proxied to', async () => {
  const cli = startCli(['serve', '-f', dir.path, '--listen', '127.0.0.1:0', '--no-admin', '--dns-servers', dns.address, '--allow-external-name', 'other.example.net', '--allow-external-name', 'PAYMENTS.example.net.']);
  try {
    const { http } = await cli.urls();
    const answer = await get(http, 'pay.example.com', '/charge');
    expect(answer.status).toBe(200);
    // The external server is asked by its own name, not the client's.
    expect(answer.json).toEqual({ name: 'payments', path: '/charge', host: `payments.example.net:${external.port}` });
    expect(dns.queries().map((q) => q.name)).toContain('payments.example.net');
  } finally {
    expect(await cli.stop()).toEqual({ code: 0, signal: null });
  }
});
