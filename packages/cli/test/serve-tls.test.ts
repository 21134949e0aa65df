import { createTestCa, startUpstream, type TestCa, tlsSecret, type Upstream } from '@switchyard/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, startCli, type CliProcess } from './helpers/cli-process.js';
import { backend, documents, ingress, tempDir } from './helpers/manifests.js';
import { httpsGet, servedNames } from './helpers/tls-client.js';
import { get } from './helpers/http-get.js';

describe('switchyard serve --tls-listen with Secrets from the files', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let ca: TestCa;
  let app: Upstream;
  let cli: CliProcess;
  let urls: Awaited<ReturnType<CliProcess['urls']>>;

  beforeAll(async () => {
    dir = await tempDir();
    ca = await createTestCa();
    app = await startUpstream('app');
    const fallback = await ca.issue({ hosts: ['fallback.invalid'] });
    const certFile = await dir.write('default.crt.pem', fallback.cert);
    const keyFile = await dir.write('default.key.pem', fallback.key);
    const manifests = await dir.write(
      'app.yaml',
      documents(
        { ...ingress('app', { host: 'secure.example.com', paths: [{ path: '/', service: 'app' }] }), spec: { ...ingress('app', { host: 'secure.example.com', paths: [{ path: '/', service: 'app' }] }).spec, tls: [{ hosts: ['secure.example.com'], secretName: 'app-tls' }] } },
        ingress('plain', { host: 'plain.example.com', paths: [{ path: '/', service: 'app' }] }),
        tlsSecret('app-tls', 'shop', await ca.issue({ hosts: ['secure.example.com'] })),
        ...backend('app', app.port),
      ),
    );
    cli = startCli(['serve', '-f', manifests, '--listen', '127.0.0.1:0', '--tls-listen', '127.0.0.1:0', '--tls-cert', certFile, '--tls-key', keyFile, '--no-admin']);
    urls = await cli.urls();
  }, 60_000);
  afterAll(async () => {
    await cli?.stop();
    await app?.close();
    await dir?.remove();
  });

  test('prints the https URL', () => {
    expect(urls.https).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.admin).toBeUndefined();
  });

  test('SNI picks the Secret of the spec.tls host; other names and no SNI get the default certificate', async () => {
    expect(await servedNames(urls.https!, 'secure.example.com', ca.certPem)).toEqual(['secure.example.com']);
    expect(await servedNames(urls.https!, 'other.example.com', ca.certPem)).toEqual(['fallback.invalid']);
    expect(await servedNames(urls.https!, undefined, ca.certPem)).toEqual(['fallback.invalid']);
  });

  test('HTTPS requests are proxied; plain HTTP for a TLS host is redirected, for others served', async () => {
    const secure = await httpsGet(urls.https!, 'secure.example.com', '/pay', ca.certPem);
    expect(secure.status).toBe(200);
    expect(JSON.parse(secure.body)).toMatchObject({ upstream: 'app', url: '/pay' }); // test-utils' upstream echoes its name and the request target
    const redirected = await get(urls.http, 'secure.example.com', '/pay');
    expect(redirected.status).toBe(308);
    expect(redirected.headers.location).toBe(`https://secure.example.com:${new URL(urls.https!).port}/pay`);
    expect((await get(urls.http, 'plain.example.com', '/')).json?.name).toBe('app');
  });
});

test('switchyard check reports TLS problems: a spec.tls Secret that is missing', async () => {
  const dir = await tempDir();
  try {
    const file = await dir.write(
      'tls.yaml',
      documents({ ...ingress('app', { host: 'a.example.com', paths: [{ path: '/', service: 'app' }] }), spec: { ...ingress('app', { host: 'a.example.com', paths: [{ path: '/', service: 'app' }] }).spec, tls: [{ hosts: ['a.example.com'], secretName: 'nowhere' }] } }),
    );
    const result = await runCli(['check', '--json', '-f', file]);
    expect(result.code).toBe(1);
    const { diagnostics } = JSON.parse(result.stdout) as { diagnostics: unknown[] };
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SWY_TLS_SECRET_NOT_FOUND', severity: 'error', object: 'shop/app', field: 'spec.tls[0].secretName' })]);
  } finally {
    await dir.remove();
  }
});

test('serve with a --tls-cert file that does not exist: one line, exit 2', async () => {
  const dir = await tempDir();
  try {
    const file = await dir.write('a.yaml', documents(ingress('a', { paths: [{ path: '/', service: 'a' }] })));
    const result = await runCli(['serve', '-f', file, '--tls-listen', '127.0.0.1:0', '--tls-cert', `${dir.path}/none.pem`, '--tls-key', `${dir.path}/none.key`, '--no-admin']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^switchyard: --tls-cert .*none\.pem: no such file or directory \[SWY_CLI_FILE_UNREADABLE\]\n$/);
  } finally {
    await dir.remove();
  }
});
