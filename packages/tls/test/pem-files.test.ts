import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateStore, isTlsError, loadPemFiles } from '@switchyard/tls';
import { createTestCa, handshake, type PemPair, type TestCa } from '@switchyard/test-utils';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTlsServer } from './helpers.js';

let ca: TestCa;
let pair: PemPair;
let dir: string;

beforeAll(async () => {
  ca = await createTestCa();
  pair = await ca.issue({ hosts: ['files.example.com'] });
  dir = await mkdtemp(join(tmpdir(), 'switchyard-tls-'));
  await writeFile(join(dir, 'tls.crt'), pair.cert);
  await writeFile(join(dir, 'tls.key'), pair.key);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test('loadPemFiles reads a pair a store then serves, named by the certificate file', async () => {
  const pem = await loadPemFiles(join(dir, 'tls.crt'), join(dir, 'tls.key'));
  expect(pem).toEqual({ cert: pair.cert, key: pair.key, source: join(dir, 'tls.crt') });
  const store = new CertificateStore({ certificates: [pem] });
  expect(store.describe()).toEqual([expect.objectContaining({ host: 'files.example.com', source: join(dir, 'tls.crt') })]);
  const server = await startTlsServer(store.serverOptions());
  try {
    expect(await handshake(server.port, ca.certPem, 'files.example.com')).toMatchObject({ ok: true, sans: 'DNS:files.example.com' });
  } finally {
    await server.close();
  }
});

test('loadPemFiles passes hosts through', async () => {
  const pem = await loadPemFiles(join(dir, 'tls.crt'), join(dir, 'tls.key'), ['other.example.com']);
  expect(pem.hosts).toEqual(['other.example.com']);
});

test.each([
  ['certificate', 'missing.crt', 'tls.key', 'certFile'],
  ['key', 'tls.crt', 'missing.key', 'keyFile'],
])('a missing %s file is SWY_TLS_FILE_UNREADABLE naming it', async (_what, certName, keyName, field) => {
  const missing = join(dir, field === 'certFile' ? certName : keyName);
  let thrown: unknown;
  try {
    await loadPemFiles(join(dir, certName), join(dir, keyName));
  } catch (error) {
    thrown = error;
  }
  expect(isTlsError(thrown, 'SWY_TLS_FILE_UNREADABLE')).toBe(true);
  expect(thrown).toMatchObject({ field, subject: { kind: 'File', name: missing } });
  expect((thrown as Error).message).toContain(missing);
});
