import { check, serve } from '@switchyard/cli';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './helpers/cli-process.js';
import { backend, documents, externalNameService, ingress, service, tempDir } from './helpers/manifests.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let good: string;
let invalid: string;
let broken: string;
let conflicting: string;

beforeAll(async () => {
  dir = await tempDir();
  good = await dir.write('good.yaml', documents(ingress('web', { host: 'shop.example.com', paths: [{ path: '/', service: 'web' }] }), ...backend('web', 8080)));
  // Document 2 is an Ingress whose second path is relative: an error on spec.rules[0].http.paths[1].path.
  invalid = await dir.write(
    'invalid.yaml',
    documents(
      ...backend('web', 8080),
      ingress('bad', { host: 'shop.example.com', paths: [{ path: '/', service: 'web' }, { path: 'relative', service: 'web' }] }),
    ),
  );
  // Document 2 does not parse.
  broken = await dir.write('broken.yml', `${documents(ingress('other', { host: 'a.example.com', paths: [{ path: '/', service: 'web' }] }))}---\nkind: [unclosed\n`);
  // Two Ingresses claim the same rule: a warning, nothing invalid.
  conflicting = await dir.write(
    'conflict.json',
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        ingress('old', { host: 'shop.example.com', paths: [{ path: '/x', service: 'a' }], creationTimestamp: '2024-01-01T00:00:00Z' }),
        ingress('new', { host: 'shop.example.com', paths: [{ path: '/x', service: 'b' }], creationTimestamp: '2024-02-01T00:00:00Z' }),
      ],
    }),
  );
});
afterAll(() => dir.remove());

describe('switchyard check', () => {
  test('valid manifests: exit 0 and a clean summary', async () => {
    const result = await runCli(['check', '-f', good]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^0 errors, 0 warnings, 0 info: ok$/m);
    expect(result.code).toBe(0);
  });

  test('an invalid Ingress: exit 1; the line names the file, the document, the object and the field', async () => {
    const result = await runCli(['check', '-f', invalid]);
    expect(result.code).toBe(1);
    const line = result.stdout.split('\n').find((l) => l.includes('SWY_INGRESS_PATH_INVALID'));
    expect(line).toBeDefined();
    expect(line).toContain(`${invalid} document 3`);
    expect(line).toContain('shop/bad spec.rules[0].http.paths[1].path');
    expect(line).toMatch(/: error SWY_INGRESS_PATH_INVALID /);
  });

  test('--json gives each diagnostic with its code, object, field and source', async () => {
    const result = await runCli(['check', '--json', '-f', invalid]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; counts: Record<string, number>; diagnostics: unknown[] };
    expect(report.ok).toBe(false);
    expect(report.counts.error).toBe(1);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({ code: 'SWY_INGRESS_PATH_INVALID', severity: 'error', object: 'shop/bad', field: 'spec.rules[0].http.paths[1].path', source: expect.objectContaining({ file: invalid, document: 3 }) }),
    ]);
  });

  test('a YAML error names the file, the document and the line, and the documents that parse are still checked', async () => {
    const result = await runCli(['check', '--json', '-f', broken]);
    expect(result.code).toBe(1);
    const { diagnostics } = JSON.parse(result.stdout) as { diagnostics: Array<{ code: string; source?: { file: string; document: number; line?: number } }> };
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SWY_MANIFEST_YAML_INVALID', severity: 'error', source: expect.objectContaining({ file: broken, document: 2 }) })]);
    expect(diagnostics[0]!.source!.line).toBeGreaterThan(1);
    const text = await runCli(['check', '-f', broken]);
    expect(text.stdout).toMatch(new RegExp(`^${escape(broken)} document 2 line \\d+: error SWY_MANIFEST_YAML_INVALID`, 'm'));
  });

  test('warnings pass unless --strict; a directory is read for .yaml, .yml and .json', async () => {
    const loose = await runCli(['check', '-f', conflicting]);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/warning SWY_ROUTE_CONFLICT shop\/new spec\.rules\[0\]\.http\.paths\[0\]: .*\(see shop\/old spec\.rules\[0\]\.http\.paths\[0\]\)/);
    const strict = await runCli(['check', '--strict', '-f', conflicting]);
    expect(strict.code).toBe(1);
    const all = await runCli(['check', '--json', '-f', dir.path]);
    const codes = (JSON.parse(all.stdout) as { diagnostics: Array<{ code: string }> }).diagnostics.map((d) => d.code).sort();
    // good.yaml holds a Service, so conflict.json's backend to Service a (missing) is a warning too.
    expect(codes).toEqual(['SWY_DISCOVERY_SERVICE_NOT_FOUND', 'SWY_INGRESS_PATH_INVALID', 'SWY_MANIFEST_YAML_INVALID', 'SWY_ROUTE_CONFLICT']);
  });

  test('--ingress-class leaves out the Ingresses of other classes (info) and checks only ours', async () => {
    const file = await dir.write(
      'classes.yaml.txt',
      documents(ingress('theirs', { host: 'a.example.com', paths: [{ path: 'relative', service: 'a' }], ingressClassName: 'other' }), ingress('ours', { host: 'b.example.com', paths: [{ path: '/', service: 'b' }], ingressClassName: 'switchyard' })),
    );
    const result = await runCli(['check', '--json', '--ingress-class', 'switchyard', '-f', file]);
    expect(result.code).toBe(0);
    const { diagnostics } = JSON.parse(result.stdout) as { diagnostics: Array<{ code: string; object: string; severity: string }> };
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SWY_INGRESS_CLASS_SKIPPED', object: 'shop/theirs', severity: 'info' })]);
    const everything = await runCli(['check', '-f', file]);
    expect(everything.code).toBe(1);
  });
});

describe('switchyard check: backends against the Services in the files', () => {
  let services: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    services = await tempDir();
  });
  afterAll(() => services.remove());

  type Found = { code: string; severity: string; object: string; field?: string; message: string; source?: { file?: string; line?: number } };
  async function checkJson(name: string, ...objects: object[]): Promise<{ code: number | null; file: string; diagnostics: Found[] }> {
    return checkJsonWith([], name, ...objects);
  }

  async function checkJsonWith(flags: readonly string[], name: string, ...objects: object[]): Promise<{ code: number | null; file: string; diagnostics: Found[] }> {
    const file = await services.write(name, documents(...objects));
    const result = await runCli(['check', '--json', '-f', file, ...flags]);
    return { code: result.code, file, diagnostics: (JSON.parse(result.stdout) as { diagnostics: Found[] }).diagnostics };
  }

  test('a backend naming a Service not in the files: a warning naming the Ingress, the field, the path and the Service', async () => {
    const { code, file, diagnostics } = await checkJson(
      'missing-service.yaml',
      service('web'),
      ingress('shop', { host: 'shop.example.com', paths: [{ path: '/', service: 'web' }, { path: '/api', service: 'api' }], defaultBackend: 'gone' }),
    );
    expect(code).toBe(0);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'SWY_DISCOVERY_SERVICE_NOT_FOUND', severity: 'warning', object: 'shop/shop', field: 'spec.rules[0].http.paths[1].backend', source: expect.objectContaining({ file }) }),
      expect.objectContaining({ code: 'SWY_DISCOVERY_SERVICE_NOT_FOUND', severity: 'warning', object: 'shop/shop', field: 'spec.defaultBackend' }),
    ]);
    expect(diagnostics[0]!.message).toContain('/api');
    expect(diagnostics[0]!.message).toContain('Service shop/api does not exist');
    expect(diagnostics[1]!.message).toContain('Service shop/gone does not exist');
    const text = await runCli(['check', '-f', file]);
    expect(text.stdout).toMatch(/warning SWY_DISCOVERY_SERVICE_NOT_FOUND shop\/shop spec\.rules\[0\]\.http\.paths\[1\]\.backend: .*Prefix \/api.*Service shop\/api/);
  });

  test('a port number the Service does not have: a warning', async () => {
    const { code, diagnostics } = await checkJson('missing-port-number.yaml', service('web'), ingress('shop', { host: 'shop.example.com', paths: [{ path: '/', service: 'web', port: 8080 }] }));
    expect(code).toBe(0);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SWY_DISCOVERY_PORT_NOT_FOUND', severity: 'warning', object: 'shop/shop', field: 'spec.rules[0].http.paths[0].backend' })]);
    expect(diagnostics[0]!.message).toContain('Service shop/web has no port with number 8080');
  });

  test('a port name the Service does not have: a warning', async () => {
    const { diagnostics } = await checkJson('missing-port-name.yaml', service('web'), ingress('shop', { host: 'shop.example.com', paths: [{ path: '/', service: 'web', port: 'https' }] }));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SWY_DISCOVERY_PORT_NOT_FOUND', severity: 'warning', field: 'spec.rules[0].http.paths[0].backend' })]);
    expect(diagnostics[0]!.message).toContain('Service shop/web has no port with name "https"');
  });

  test('a Service and port that are there (by number, by name, ExternalName allowed): no warning', async () => {
    const { code, diagnostics } = await checkJsonWith(
      ['--allow-external-name', 'example.org'],
      'present.yaml',
      service('web'),
      externalNameService('outside', 'example.org', 443),
      ingress('shop', {
        host: 'shop.example.com',
        paths: [
          { path: '/', service: 'web' },
          { path: '/named', service: 'web', port: 'http' },
          { path: '/out', service: 'outside' },
        ],
      }),
    );
    expect(diagnostics).toEqual([]);
    expect(code).toBe(0);
  });

  test('an ExternalName Service not allowed: a warning on its spec.externalName saying how to allow it', async () => {
    const objects = [externalNameService('outside', 'api.example.org', 443), ingress('shop', { host: 'shop.example.com', paths: [{ path: '/out', service: 'outside' }] })];
    const { code, diagnostics } = await checkJson('external-denied.yaml', ...objects);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SWY_DISCOVERY_EXTERNAL_NAME_DENIED', severity: 'warning', object: 'shop/outside', field: 'spec.externalName' })]);
    expect(diagnostics[0]!.message).toContain('--allow-external-name api.example.org');
    expect(code).toBe(0);
    expect((await checkJsonWith(['--allow-external-name', '*.example.org'], 'external-allowed.yaml', ...objects)).diagnostics).toEqual([]);
    expect((await checkJsonWith(['--allow-external-name', 'other.example.org'], 'external-other.yaml', ...objects)).diagnostics).toHaveLength(1);
  });

  test('files without any Service: backends are not looked at', async () => {
    const { code, diagnostics } = await checkJson('no-services.yaml', ingress('shop', { host: 'shop.example.com', paths: [{ path: '/', service: 'elsewhere' }] }));
    expect(diagnostics).toEqual([]);
    expect(code).toBe(0);
  });

  test('--strict makes those warnings fail the check', async () => {
    const file = await services.write('strict.yaml', documents(service('web'), ingress('shop', { host: 'shop.example.com', paths: [{ path: '/', service: 'api' }] })));
    expect((await runCli(['check', '-f', file])).code).toBe(0);
    const strict = await runCli(['check', '--strict', '-f', file]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('SWY_DISCOVERY_SERVICE_NOT_FOUND');
  });
});

describe('a kustomization.yaml among the manifests', () => {
  test.each([
    ['with apiVersion and kind', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ingress.yaml\n', 'kustomize.config.k8s.io/v1beta1 Kustomization'],
    ['without apiVersion and kind', 'resources:\n  - ingress.yaml\n', 'a kustomization'],
  ])('%s: skipped with an info line; check passes and serve serves the other files', async (_what, text, named) => {
    const kustomized = await tempDir();
    try {
      const kustomization = await kustomized.write('kustomization.yaml', text);
      await kustomized.write('ingress.yaml', documents(ingress('web', { host: 'shop.example.com', paths: [{ path: '/', service: 'web' }] }), ...backend('web', 8080)));
      const result = await runCli(['check', '--strict', '-f', kustomized.path]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^${escape(kustomization)} document 1 line 1: info SWY_MANIFEST_KIND_IGNORED .*skipped: it holds no object Switchyard reads \\(document 1: ${escape(named)}\\)$`, 'm'));
      expect(result.stdout).toMatch(/^0 errors, 0 warnings, 1 info: ok$/m);
      const server = await serve({ files: [kustomized.path], listen: { host: '127.0.0.1', port: 0 }, admin: false, logger: false, watch: false, report: () => undefined });
      try {
        expect(server.router.table.lookup('shop.example.com', '/')?.origin).toEqual({ kind: 'Ingress', namespace: 'shop', name: 'web' });
      } finally {
        await server.close();
      }
    } finally {
      await kustomized.remove();
    }
  });

  test('a document without apiVersion and kind in another file is still an error', async () => {
    const other = await tempDir();
    try {
      const file = await other.write('notes.yaml', 'resources:\n  - ingress.yaml\n');
      const result = await runCli(['check', '-f', file]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('error SWY_MANIFEST_OBJECT_INVALID');
    } finally {
      await other.remove();
    }
  });
});

describe('check()', () => {
  test('returns the diagnostics and counts as data', async () => {
    const result = await check({ files: [invalid, good] });
    expect(result.ok).toBe(false);
    expect(result.counts).toEqual({ error: 1, warning: 0, info: 0 });
    expect(result.diagnostics.map((d) => [d.code, d.object, d.field])).toEqual([['SWY_INGRESS_PATH_INVALID', 'shop/bad', 'spec.rules[0].http.paths[1].path']]);
  });

  test('strict counts warnings', async () => {
    expect((await check({ files: [conflicting] })).ok).toBe(true);
    expect((await check({ files: [conflicting], strict: true })).ok).toBe(false);
  });

  test('a path that does not exist is an error of the command line', async () => {
    await expect(check({ files: [`${dir.path}/missing.yaml`] })).rejects.toMatchObject({ code: 'SWY_CLI_FILE_UNREADABLE', field: '-f', exitCode: 2 });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
