import { explain } from '@switchyard/cli';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './helpers/cli-process.js';
import { documents, endpointSlice, externalNameService, ingress, service, tempDir } from './helpers/manifests.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let file: string;

beforeAll(async () => {
  dir = await tempDir();
  file = await dir.write(
    'shop.yaml',
    documents(
      ingress('web', {
        host: 'shop.example.com',
        paths: [
          { path: '/', service: 'web' },
          { path: '/api', service: 'api' },
          { path: '/api/v1', pathType: 'Exact', service: 'api-v1' },
        ],
        defaultBackend: 'fallback',
      }),
      ingress('wild', { host: '*.example.com', paths: [{ path: '/', service: 'wild' }] }),
      service('api', 'shop', 9000),
      {
        ...endpointSlice('api', 9000, ['10.0.0.1']),
        endpoints: [
          { addresses: ['10.0.0.1'], conditions: { ready: true } },
          { addresses: ['10.0.0.2'], conditions: { ready: false, serving: true, terminating: true } },
        ],
      },
    ),
  );
});
afterAll(() => dir.remove());

interface JsonExplanation {
  host: string;
  path: string;
  winner: { backendKey: string; field: string; path?: string; isDefaultBackend: boolean } | null;
  candidates: Array<{ outcome: string; tier: string; route: { field: string; path?: string }; reason: string }>;
  endpoints: { backendKey: string; set: { endpoints: Array<{ address: string; port: number; ready: boolean }>; problem?: { code: string } }; eligible: Array<{ address: string }> } | null;
}

describe('switchyard explain', () => {
  test('text: the winner, every candidate in precedence order, the endpoints', async () => {
    const result = await runCli(['explain', '-f', file, '--host', 'Shop.Example.com:8443', '--path', '/api/users?x=1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('request: host shop.example.com, path /api/users');
    expect(lines[1]).toBe('winner: Prefix /api on shop.example.com → shop/api:80 (shop/web spec.rules[0].http.paths[1])');
    const candidates = lines.filter((l) => /^ {2}\d+\. /.test(l)).map((l) => l.trim().split(/\s+/).slice(1, 3));
    expect(candidates).toEqual([
      ['won', 'exact-host'],
      ['lost', 'exact-host'],
      ['no-match', 'exact-host'],
      ['not-reached', 'wildcard-host'],
      ['not-reached', 'default-backend'],
    ]);
    expect(result.stdout).toMatch(/^endpoints of shop\/api:80:\n {2}10\.0\.0\.1:9000 \(ready\)\n {2}10\.0\.0\.2:9000 \(serving, terminating, not used\)$/m);
  });

  test('--json: the explanation as data, with the endpoints', async () => {
    const result = await runCli(['explain', '--json', '-f', file, '--host', 'shop.example.com', '--path', '/api/v1']);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as JsonExplanation;
    expect(body.winner).toMatchObject({ backendKey: 'shop/api-v1:80', field: 'spec.rules[0].http.paths[2]', isDefaultBackend: false });
    expect(body.candidates.map((c) => [c.outcome, c.route.field])).toEqual([
      ['won', 'spec.rules[0].http.paths[2]'],
      ['lost', 'spec.rules[0].http.paths[1]'],
      ['lost', 'spec.rules[0].http.paths[0]'],
      ['not-reached', 'spec.rules[0].http.paths[0]'],
      ['not-reached', 'spec.defaultBackend'],
    ]);
    // api-v1 has no Service in the file: an empty set that says why.
    expect(body.endpoints).toMatchObject({ backendKey: 'shop/api-v1:80', set: { endpoints: [], problem: { code: 'SWY_DISCOVERY_SERVICE_NOT_FOUND' } }, eligible: [] });
  });

  test('falls through to the wildcard, then the default backend; no route says so', async () => {
    const wildcard = JSON.parse((await runCli(['explain', '--json', '-f', file, '--host', 'a.example.com', '--path', '/'])).stdout) as JsonExplanation;
    expect(wildcard.winner).toMatchObject({ backendKey: 'shop/wild:80' });
    const fallback = JSON.parse((await runCli(['explain', '--json', '-f', file, '--host', 'other.org', '--path', '/'])).stdout) as JsonExplanation;
    expect(fallback.winner).toMatchObject({ backendKey: 'shop/fallback:80', isDefaultBackend: true });
    const none = await runCli(['explain', '-f', dir.path, '--ingress-class', 'nothing-here', '--host', 'shop.example.com', '--path', '/']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^winner: none/m);
  });

  test('a path no request can carry is a bad value (exit 2), not a stack', async () => {
    const result = await runCli(['explain', '-f', file, '--host', 'shop.example.com', '--path', '/a%zz']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^switchyard: .*\[SWY_CLI_BAD_VALUE\]\n$/);
  });
});

describe('explain()', () => {
  test('returns the explanation and the eligible endpoints', async () => {
    const result = await explain({ files: [file], host: 'shop.example.com', path: '/api' });
    expect(result.explanation.winner?.backendKey).toBe('shop/api:80');
    expect(result.endpoints?.set.endpoints.map((e) => e.address)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(result.endpoints?.eligible.map((e) => `${e.address}:${e.port}`)).toEqual(['10.0.0.1:9000']);
  });

  test('bad host input names the field', async () => {
    await expect(explain({ files: [file], host: 'a b', path: '/' })).rejects.toMatchObject({ code: 'SWY_CLI_BAD_VALUE', field: 'host' });
  });
});

describe('switchyard explain: an ExternalName winner', () => {
  let external: string;
  beforeAll(async () => {
    external = await dir.write('external.yaml', documents(ingress('pay', { host: 'pay.example.com', paths: [{ path: '/', service: 'payments' }] }), externalNameService('payments', 'payments.example.net', 8443)));
  });

  test('not allowed: its set says SWY_DISCOVERY_EXTERNAL_NAME_DENIED and how to allow it', async () => {
    const result = await runCli(['explain', '-f', external, '--host', 'pay.example.com', '--path', '/', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as JsonExplanation & { endpoints: { set: { problem?: { code: string; message: string } } } };
    expect(json.endpoints?.set.problem?.code).toBe('SWY_DISCOVERY_EXTERNAL_NAME_DENIED');
    expect(json.endpoints?.set.problem?.message).toContain('--allow-external-name payments.example.net');
  });

  test('allowed: explain does not resolve it (no DNS), and says so', async () => {
    const result = await explain({ files: [external], host: 'pay.example.com', path: '/', allowExternalNames: ['payments.example.net'] });
    expect(result.endpoints?.set.problem?.code).toBe('SWY_DISCOVERY_EXTERNAL_NAME_UNSUPPORTED');
  });
});
