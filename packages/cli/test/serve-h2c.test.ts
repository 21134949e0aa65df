import { once } from 'node:events';
import { connect, type IncomingHttpHeaders } from 'node:http2';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startUpstream, type SeenRequest, type Upstream } from '@switchyard/test-utils';
import { parseCommandLine } from '../src/command-line.js';
import { startCli } from './helpers/cli-process.js';
import { get } from './helpers/http-get.js';
import { backend, documents, ingress, tempDir } from './helpers/manifests.js';

// `switchyard serve --h2c`: the plain listener takes HTTP/2 with prior knowledge next to HTTP/1.1.

let dir: Awaited<ReturnType<typeof tempDir>>;
let shop: Upstream;

beforeAll(async () => {
  dir = await tempDir();
  shop = await startUpstream('shop');
  await dir.write('shop.yaml', documents(ingress('shop', { host: 'shop.example.com', paths: [{ path: '/', service: 'shop' }] }), ...backend('shop', shop.port)));
});
afterAll(async () => {
  await shop.close();
  await dir.remove();
});

/** One h2c request with prior knowledge; rejects when the listener does not speak HTTP/2. */
async function h2cGet(url: string, authority: string, path: string): Promise<{ status: number; echo: SeenRequest }> {
  const session = connect(url);
  try {
    const failed = once(session, 'error').then(([error]) => Promise.reject(error as Error));
    const stream = session.request({ ':authority': authority, ':path': path });
    const [headers] = (await Promise.race([once(stream, 'response'), failed])) as [IncomingHttpHeaders];
    let body = '';
    stream.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    await once(stream, 'end');
    return { status: Number(headers[':status']), echo: JSON.parse(body) as SeenRequest };
  } finally {
    session.destroy();
  }
}

test('--h2c is read into the serve options; without it h2c is off', () => {
  const on = parseCommandLine(['serve', '-f', 'x.yaml', '--h2c']);
  const off = parseCommandLine(['serve', '-f', 'x.yaml']);
  expect(on.command === 'serve' && on.options.h2c).toBe(true);
  expect(off.command === 'serve' && off.options.h2c).toBeUndefined();
});

test('serve --h2c: an h2c client and an HTTP/1.1 client on the same port are both routed', async () => {
  const cli = startCli(['serve', '-f', dir.path, '--listen', '127.0.0.1:0', '--no-admin', '--h2c']);
  try {
    const { http } = await cli.urls();
    const h2 = await h2cGet(http, 'shop.example.com', '/h2c');
    expect(h2.status).toBe(200);
    expect(h2.echo).toMatchObject({ upstream: 'shop', url: '/h2c' });
    expect(h2.echo.headers.host).toBe('shop.example.com');
    const h1 = await get(http, 'shop.example.com', '/http1');
    expect(h1.status).toBe(200);
    expect(h1.json).toMatchObject({ name: 'shop', path: '/http1' });
    // The log line names the protocol.
    await cli.waitFor('stdout', /"protocol":"h2c"[^\n]*"path":"\/h2c"/);
    await cli.waitFor('stdout', /"protocol":"http1"[^\n]*"path":"\/http1"/);
  } finally {
    expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }
});

test('serve without --h2c: the plain listener speaks HTTP/1.1 only', async () => {
  const cli = startCli(['serve', '-f', dir.path, '--listen', '127.0.0.1:0', '--no-admin']);
  try {
    const { http } = await cli.urls();
    await expect(h2cGet(http, 'shop.example.com', '/')).rejects.toBeDefined();
    expect((await get(http, 'shop.example.com', '/')).status).toBe(200);
  } finally {
    expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }
});
