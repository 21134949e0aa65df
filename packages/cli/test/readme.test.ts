import { readFileSync } from 'node:fs';
import { check, explain } from '@switchyard/cli';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCli } from './helpers/cli-process.js';
import { tempDir } from './helpers/manifests.js';

// The demo manifest of the README, as written there: its commands must keep working.
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const DEMO = README.match(/<!-- demo\.yaml[^>]*-->\n```yaml\n([\s\S]*?)```/)?.[1];

let dir: Awaited<ReturnType<typeof tempDir>>;
let demo: string;
beforeAll(async () => {
  dir = await tempDir();
  demo = await dir.write('demo.yaml', DEMO ?? '');
});
afterAll(() => dir.remove());

test('the README has its demo manifest', () => {
  expect(DEMO).toMatch(/kind: Ingress/);
});

test('switchyard check -f demo.yaml: clean, as the README says', async () => {
  const result = await runCli(['check', '-f', demo]);
  expect(result.stdout.trim()).toBe('0 errors, 0 warnings, 0 info: ok');
  expect(result.code).toBe(0);
  expect((await check({ files: [demo], strict: true })).ok).toBe(true);
});

test('explain of the README request: /api wins and its endpoint is the upstream on 9000', async () => {
  const { explanation, endpoints } = await explain({ files: [demo], host: 'demo.localhost', path: '/api/users' });
  expect(explanation.winner).toMatchObject({ path: '/api', backendKey: 'default/web:http' });
  expect(endpoints?.eligible.map((e) => `${e.address}:${e.port}`)).toEqual(['127.0.0.1:9000']);
});
