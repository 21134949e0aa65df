import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, test, vi } from 'vitest';

// The README's example, as written there: it must keep running and printing what it says.
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const EXAMPLE = README.match(/## Example\n[\s\S]*?```ts\n([\s\S]*?)```/)?.[1];

let dir: string | undefined;
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

test('the README example runs: a diagnostic for the missing Secret, the assignments, and a handshake by SNI', async () => {
  expect(EXAMPLE).toBeDefined();
  dir = await mkdtemp(join(tmpdir(), 'switchyard-tls-readme-'));
  const file = join(dir, 'example.ts');
  await writeFile(file, EXAMPLE!);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import(pathToFileURL(file).href);
    expect(log.mock.calls.map(([value]) => value)).toEqual([
      ['SWY_TLS_SECRET_NOT_FOUND default/shop spec.tls[1].secretName'],
      ['api.example.com none', 'shop.example.com Secret default/shop-tls'],
      'DNS:shop.example.com',
    ]);
  } finally {
    log.mockRestore();
  }
});
