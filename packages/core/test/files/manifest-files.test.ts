import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, manifestSourceOf, StaticDiscovery, type EndpointSet, type Ingress, type KubernetesObject } from '@switchyard/core';
import { loadManifestFiles, ManifestFiles, watchManifestFiles, type ManifestWatch } from '@switchyard/core/files';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { eventually } from '@switchyard/test-utils';

let dir: string;
let watcher: ManifestWatch | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swy-manifests-'));
});
afterEach(async () => {
  watcher?.close();
  watcher = undefined;
  await rm(dir, { recursive: true, force: true });
});

const ingressClassText = (name: string) => `apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: ${name} }\nspec: { controller: example.com/switchyard }\n`;
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop }\nspec: { ports: [{ name: http, port: 80 }] }\n';
const slice = (address: string) =>
  `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: { name: web-a, namespace: shop, labels: { kubernetes.io/service-name: web } }\naddressType: IPv4\nports: [{ name: http, port: 8080 }]\nendpoints: [{ addresses: [${address}] }]\n`;

test('loads files and directories in order, and reports a missing path without losing the rest', async () => {
  await writeFile(join(dir, 'b.yaml'), slice('10.0.0.1'));
  await writeFile(join(dir, 'a.yml'), SERVICE);
  await writeFile(join(dir, 'notes.txt'), 'not a manifest');
  const loaded = await loadManifestFiles([dir, join(dir, 'missing.yaml')]);
  expect(loaded.objects.map((o) => o.kind)).toEqual(['Service', 'EndpointSlice']);
  expect(loaded.diagnostics).toEqual([expect.objectContaining({ code: 'SWY_MANIFEST_FILE_UNREADABLE', object: join(dir, 'missing.yaml') })]);
});

test('a StaticDiscovery follows the files as they are edited, including an editor-style rename', async () => {
  const file = join(dir, 'web.yaml');
  await writeFile(file, SERVICE + '---\n' + slice('10.0.0.1'));
  const sets: EndpointSet[] = [];
  let discovery: StaticDiscovery | undefined;
  watcher = await watchManifestFiles([file], (loaded) => discovery!.update({ objects: loaded.objects }), { debounceMs: 20 });
  discovery = new StaticDiscovery({ objects: watcher.initial.objects });
  discovery.watch({ namespace: 'shop', service: { name: 'web', port: { number: 80 } } }, (set) => sets.push(set));
  expect(sets.at(-1)?.endpoints.map((e) => e.address)).toEqual(['10.0.0.1']);

  await writeFile(file, SERVICE + '---\n' + slice('10.0.0.2'));
  await eventually('the edit', () => sets.at(-1)?.endpoints[0]?.address === '10.0.0.2');

  await writeFile(join(dir, '.web.yaml.tmp'), SERVICE + '---\n' + slice('10.0.0.3'));
  await rename(join(dir, '.web.yaml.tmp'), file);
  await eventually('the rename over the file', () => sets.at(-1)?.endpoints[0]?.address === '10.0.0.3');
});

/** What the kubelet's atomic writer does to a mounted ConfigMap: each file a link through `..data`, and an update swaps `..data` to a new directory. */
async function writeConfigMap(directory: string, version: number, files: Readonly<Record<string, string>>): Promise<void> {
  const versionDir = join(directory, `..2026_12_05_00_00_0${version}.000000001`);
  await mkdir(versionDir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(versionDir, name), text);
  await symlink(versionDir, join(directory, '..data_tmp'));
  await rename(join(directory, '..data_tmp'), join(directory, '..data'));
  for (const name of Object.keys(files)) await symlink(join('..data', name), join(directory, name)).catch(() => undefined);
}

test.each([
  ['the directory', (directory: string) => directory],
  ['the file', (directory: string) => join(directory, 'web.yaml')],
])('a ConfigMap mounted as a volume: the kubelet swapping its ..data is a change (watching %s)', async (_what, pathOf) => {
  await writeConfigMap(dir, 1, { 'web.yaml': SERVICE + '---\n' + slice('10.0.0.1') });
  const loads: Array<Awaited<ReturnType<typeof loadManifestFiles>>> = [];
  watcher = await watchManifestFiles([pathOf(dir)], (loaded) => loads.push(loaded), { debounceMs: 20 });
  expect(watcher.initial.objects.map((o) => o.kind)).toEqual(['Service', 'EndpointSlice']);

  await writeConfigMap(dir, 2, { 'web.yaml': SERVICE + '---\n' + slice('10.0.0.2') });
  const address = () => (loads.at(-1)?.objects[1] as { endpoints?: Array<{ addresses: string[] }> } | undefined)?.endpoints?.[0]?.addresses[0];
  await eventually('the swap of ..data', () => address() === '10.0.0.2');
  expect(loads.at(-1)).toEqual(await loadManifestFiles([pathOf(dir)]));
});

test('a reload parses only the files whose text changed, and gives what a fresh load gives', async () => {
  const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: shop }\nspec: { ports: [{ name: http, port: 80 }] }\n`;
  await writeFile(join(dir, 'a.yaml'), service('a'));
  await writeFile(join(dir, 'b.yaml'), service('b'));
  await writeFile(join(dir, 'c.yaml'), service('c'));
  const loads: Array<Awaited<ReturnType<typeof loadManifestFiles>>> = [];
  watcher = await watchManifestFiles([dir], (loaded) => loads.push(loaded), { debounceMs: 20 });
  const [a, b, c] = watcher.initial.objects;

  await writeFile(join(dir, 'b.yaml'), service('b2'));
  await eventually('the edit', () => loads.at(-1)?.objects[1]?.metadata?.name === 'b2');
  const edited = loads.at(-1)!;
  expect(edited).toEqual(await loadManifestFiles([dir]));
  // The unchanged files' objects are the ones parsed before; the edited file's are new.
  expect(edited.objects[0]).toBe(a);
  expect(edited.objects[2]).toBe(c);
  expect(edited.objects[1]).not.toBe(b);

  // A file deleted is forgotten: written back with the same text, it is parsed again.
  await rm(join(dir, 'c.yaml'));
  await eventually('the delete', () => loads.at(-1)?.objects.length === 2);
  expect(loads.at(-1)).toEqual(await loadManifestFiles([dir]));
  await writeFile(join(dir, 'c.yaml'), service('c'));
  await eventually('the file back', () => loads.at(-1)?.objects.length === 3);
  expect(loads.at(-1)!.objects[2]).toEqual(c);
  expect(loads.at(-1)!.objects[2]).not.toBe(c);
});

test('ManifestFiles parses on its worker what loadManifestFiles parses inline: objects, diagnostics, field lines', async () => {
  const ingress = [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata: { name: web, namespace: shop }',
    'spec:',
    '  rules:',
    '    - host: shop.test',
    '      http:',
    '        paths:',
    '          - path: /a',
    '            pathType: Prefix',
    '            backend: { service: { name: web, port: { number: 80 } } }',
    '          - path: /b',
    '            pathType: Sometimes',
    '            backend: { service: { name: web, port: { number: 80 } } }',
  ].join('\n');
  await writeFile(join(dir, 'a.yaml'), SERVICE + '---\n' + ingress + '\n');
  await writeFile(join(dir, 'b.yaml'), 'kind: [unclosed\n');
  const files = new ManifestFiles([dir]);
  try {
    const loaded = await files.load();
    const inline = await loadManifestFiles([dir]);
    expect(loaded).toEqual(inline);
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['SWY_MANIFEST_YAML_INVALID']);
    // One object, not a copy per list: the Ingress is the same object in both.
    expect(loaded.ingresses[0]).toBe(loaded.objects[1]);
    // Where each field was read from came back with it: compile's diagnostic names the line.
    const field = 'spec.rules[0].http.paths[1].pathType';
    expect(manifestSourceOf(loaded.ingresses[0], field)).toEqual({ file: join(dir, 'a.yaml'), document: 2, line: 18 });
    expect(manifestSourceOf(loaded.ingresses[0], field)).toEqual(manifestSourceOf(inline.ingresses[0], field));
    const problem = compile({ ingresses: loaded.ingresses }).diagnostics.find((d) => d.field === field);
    expect(problem?.source).toEqual({ file: join(dir, 'a.yaml'), document: 2, line: 18 });
  } finally {
    await files.close();
  }
});

test('ManifestFiles: a load its closed worker did not scan is a diagnostic per path and no objects (a gateway keeps its last good state)', async () => {
  await writeFile(join(dir, 'a.yaml'), SERVICE);
  const files = new ManifestFiles([dir]);
  const first = await files.load();
  expect(first.objects).toHaveLength(1);
  await files.close();
  await writeFile(join(dir, 'b.yaml'), slice('10.0.0.1'));
  const after = await files.load();
  expect(after.objects).toEqual([]);
  expect(after.diagnostics).toEqual([expect.objectContaining({ code: 'SWY_MANIFEST_PARSER_FAILED', severity: 'error', object: dir, source: { file: dir, document: 0 } })]);
  expect(after.diagnostics[0]!.message).toContain('the manifest parser is closed');
});

test('ManifestFiles: an old file unchanged keeps its objects; one rewritten to the same size and modification time is read again', async () => {
  const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: shop }\nspec: { ports: [{ name: http, port: 80 }] }\n`;
  const hourAgo = new Date(Date.now() - 3_600_000);
  await writeFile(join(dir, 'a.yaml'), service('a1'));
  await writeFile(join(dir, 'b.yaml'), service('b1'));
  for (const name of ['a.yaml', 'b.yaml']) await utimes(join(dir, name), hourAgo, hourAgo);
  const files = new ManifestFiles([dir]);
  try {
    const [a, b] = (await files.load()).objects;
    const again = await files.load();
    expect(again.objects[0]).toBe(a);
    expect(again.objects[1]).toBe(b);
    // The same size and modification time: only the change time (which no one can set) tells.
    await writeFile(join(dir, 'b.yaml'), service('b2'));
    await utimes(join(dir, 'b.yaml'), hourAgo, hourAgo);
    const edited = await files.load();
    expect(edited.objects[0]).toBe(a);
    expect(edited.objects[1]?.metadata?.name).toBe('b2');
    expect(edited).toEqual(await loadManifestFiles([dir]));
  } finally {
    await files.close();
  }
});

test('ManifestFiles: a file edited comes back sharing what did not change, with the lines of what it reads now', async () => {
  const ingress = (secondPath: string) =>
    [
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      'metadata: { name: web, namespace: shop }',
      'spec:',
      '  rules:',
      '    - host: a.test',
      '      http:',
      '        paths:',
      '          - { path: /a, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }',
      '    - host: b.test',
      '      http:',
      '        paths:',
      '          - { path: /b, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }',
      `          - { path: ${secondPath}, pathType: Sometimes, backend: { service: { name: web, port: { number: 80 } } } }`,
    ].join('\n');
  const file = join(dir, 'shop.yaml');
  const pathType = 'spec.rules[1].http.paths[1].pathType';
  await writeFile(file, `${SERVICE}---\n${ingress('/c')}\n`);
  const files = new ManifestFiles([dir]);
  try {
    const first = await files.load();
    const [service, web] = first.objects as [KubernetesObject, Ingress];
    expect(manifestSourceOf(web, pathType)?.line).toBe(19);

    // One path renamed: the Service is the object it was; the Ingress is another, made along the changed field only.
    await writeFile(file, `${SERVICE}---\n${ingress('/c2')}\n`);
    const edited = await files.load();
    expect(edited).toEqual(await loadManifestFiles([dir]));
    const [serviceAgain, webAgain] = edited.objects as [KubernetesObject, Ingress];
    expect(serviceAgain).toBe(service);
    expect(webAgain).not.toBe(web);
    expect(edited.ingresses[0]).toBe(webAgain);
    expect(webAgain.metadata).toBe(web.metadata);
    expect(webAgain.spec!.rules![0]).toBe(web.spec!.rules![0]);
    expect(webAgain.spec!.rules![1]!.http!.paths[0]).toBe(web.spec!.rules![1]!.http!.paths[0]);
    expect(webAgain.spec!.rules![1]!.http!.paths[1]!.path).toBe('/c2');
    expect(manifestSourceOf(webAgain, pathType)).toEqual({ file, document: 2, line: 19 });
    expect(compile({ ingresses: edited.ingresses }).diagnostics.find((d) => d.field === pathType)?.source).toEqual({ file, document: 2, line: 19 });

    // A comment above moves the Ingress two lines down: the same fields, so shared, in another object that reads the new lines.
    await writeFile(file, `# shop\n${SERVICE}---\n# web\n${ingress('/c2')}\n`);
    const moved = await files.load();
    expect(moved).toEqual(await loadManifestFiles([dir]));
    const [serviceMoved, webMoved] = moved.objects as [KubernetesObject, Ingress];
    expect(serviceMoved).not.toBe(service);
    expect(webMoved).not.toBe(webAgain);
    expect(webMoved.spec).toBe(webAgain.spec);
    expect(manifestSourceOf(webMoved, pathType)).toEqual({ file, document: 2, line: 21 });
    expect(manifestSourceOf(webAgain, pathType)).toEqual({ file, document: 2, line: 19 });

    // The documents swapped: each object is matched by kind and name, not place.
    await writeFile(file, `${ingress('/c2')}\n---\n${SERVICE}`);
    const swapped = await files.load();
    expect(swapped).toEqual(await loadManifestFiles([dir]));
    expect((swapped.objects[0] as Ingress).spec).toBe(webAgain.spec);
    expect((swapped.objects[1] as KubernetesObject & { spec: unknown }).spec).toBe((service as KubernetesObject & { spec: unknown }).spec);
    expect(manifestSourceOf(swapped.objects[0]!, pathType)).toEqual({ file, document: 1, line: 14 });
  } finally {
    await files.close();
  }
});

test('ManifestFiles: loads of a few files edited at a time give what a fresh load gives, whether the kinds and counts stay or change', async () => {
  const ingress = (name: string, path: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: ${name}, namespace: shop }\nspec: { rules: [{ host: ${name}.test, http: { paths: [{ path: ${path}, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] } }] }\n`;
  const write = (name: string, text: string) => writeFile(join(dir, name), text);
  await write('a.yaml', `${SERVICE}---\n${ingress('a', '/a')}`);
  await write('b.yaml', ingress('b', '/b'));
  await write('c.yaml', `${ingressClassText('edge')}---\n${ingress('c', '/c')}`);
  await write('d.yaml', ingress('d', '/d'));
  const files = new ManifestFiles([dir]);
  try {
    const steps: Array<[string, () => Promise<void>]> = [
      ['the first load', async () => {}],
      ['one file edited', () => write('b.yaml', ingress('b', '/b2'))],
      ['two files edited, one between them not', async () => {
        await write('a.yaml', `${SERVICE}---\n${ingress('a', '/a2')}`);
        await write('d.yaml', ingress('d', '/d2'));
      }],
      ['a document added (the counts change)', () => write('c.yaml', `${ingressClassText('edge')}---\n${ingress('c', '/c')}---\n${ingress('c2', '/c2')}`)],
      ['the same file edited again', () => write('c.yaml', `${ingressClassText('edge')}---\n${ingress('c', '/c3')}---\n${ingress('c2', '/c2')}`)],
      ['an IngressClass turned into an Ingress (the same count of objects)', () => write('c.yaml', `${ingress('c0', '/c0')}---\n${ingress('c', '/c3')}---\n${ingress('c2', '/c2')}`)],
      ['a file that does not parse', () => write('b.yaml', 'kind: [unclosed\n')],
      ['the file fixed', () => write('b.yaml', ingress('b', '/b3'))],
      ['another file edited after it', () => write('d.yaml', ingress('d', '/d3'))],
      ['a file gone', () => rm(join(dir, 'a.yaml'))],
      ['the next edit', () => write('b.yaml', ingress('b', '/b4'))],
    ];
    for (const [step, change] of steps) {
      await change();
      expect(await files.load(), step).toEqual(await loadManifestFiles([dir]));
    }
  } finally {
    await files.close();
  }
});

test.runIf(process.platform === 'linux')('ManifestFiles parses on a thread of its own at nice 10, the serving thread left at its priority', async () => {
  const nices = async () => {
    const tasks = await readdir('/proc/self/task');
    return Promise.all(tasks.map(async (task) => Number((await readFile(`/proc/self/task/${task}/stat`, 'utf8')).split(') ')[1]!.split(' ')[16])));
  };
  const before = await nices();
  await writeFile(join(dir, 'a.yaml'), SERVICE);
  const files = new ManifestFiles([dir]);
  try {
    await files.load();
    const after = await nices();
    expect(after.filter((nice) => nice === 10).length).toBe(before.filter((nice) => nice === 10).length + 1);
    expect(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ')[16]).toBe(String(before[0]));
  } finally {
    await files.close();
  }
});
