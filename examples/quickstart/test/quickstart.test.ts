import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { runQuickstart } from '../src/quickstart.js';

const manifest = new URL('../ingress.yaml', import.meta.url);
const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

describe('quickstart', () => {
  test('compiles the shipped manifest without diagnostics and routes every sample', async () => {
    const { text, ok } = await runQuickstart({ manifest });
    expect(ok).toBe(true);
    expect(text).not.toMatch(/^(error|warning) /m);
    expect(text).toMatch(/shop\.example\.com \/api\/orders\/42\n {2}-> demo\/api:http/);
    expect(text).toMatch(/shop\.example\.com \/api\/health\n {2}-> demo\/health:8080/);
    expect(text).toMatch(/acme\.shop\.example\.com \/catalog\n {2}-> demo\/tenant-storefront:80/);
    expect(text).toMatch(/localhost \/nothing-here\n {2}-> demo\/fallback:80/);
  });

  test('runs as a command and explains one request', async () => {
    const { stdout } = await promisify(execFile)(tsx, ['--conditions=source', 'src/main.ts', '--host', 'SHOP.example.com:443', '--path', '/api/../api/health'], { cwd: exampleDir });
    expect(stdout).toContain('-> demo/health:8080');
    expect(stdout).toContain('Exact /api/health');
  });

  test('fails with exit code 2 when --host comes without --path', async () => {
    const run = promisify(execFile)(tsx, ['--conditions=source', 'src/main.ts', '--host', 'x'], { cwd: exampleDir });
    await expect(run).rejects.toMatchObject({ code: 2 });
  });

  test('names a missing manifest in one line and exits 1', async () => {
    const run = promisify(execFile)(tsx, ['--conditions=source', 'src/main.ts', '-f', 'missing.yaml'], { cwd: exampleDir });
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: no such file: .*missing\.yaml\n$/) });
  });

  test('reports skipped Ingresses when the class is not theirs', async () => {
    const { text, ok } = await runQuickstart({ manifest, ingressClass: 'nginx' });
    expect(ok).toBe(true);
    expect(text.match(/^info SWY_INGRESS_CLASS_SKIPPED /gm)).toHaveLength(2);
    expect(text).toMatch(/localhost \/nothing-here\n {2}-> 404/);
  });
});
