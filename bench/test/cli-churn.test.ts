import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { compile, type Ingress } from '@switchyard/core';
import { loadManifestFiles } from '@switchyard/core/files';
import { explain } from '@switchyard/cli';
import { churnChange, churnOffsetsMs, churnRoundVerdict } from '../src/proxy/churn-schedule.js';
import { CHURN_FILES, churnedHost, churnedPath, churnFileName, churnRequestList, writeChurnChange, writeChurnTable } from '../src/proxy/churn-table.js';
import { SERVICES_FILE, writeManifestDir } from '../src/proxy/cli-manifests.js';
import { manifestsYaml } from '../src/proxy/manifest-yaml.js';
import { requestListFor, checkSample } from '../src/proxy/request-list.js';
import { workloadFor } from '../src/proxy/route-tables.js';
import { DEFAULT_SEED } from '../src/match/workload.js';

// The CLI targets' manifests and the churn schedule, read back the way the CLI reads them
// (core's file loader and compile, the CLI's own `explain`). Nothing is timed.
const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'swy-bench-churn-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const UPSTREAM_PORT = 4321;

describe('the churn table', () => {
  const dir = writeChurnTable(join(scratch(), 'table'), UPSTREAM_PORT);

  test('100 Ingress files of 100 paths and services.yaml, 10,000 routes on 100 hosts each merged from 5 files, no diagnostics', async () => {
    const names = readdirSync(dir).sort();
    expect(names).toHaveLength(CHURN_FILES + 1);
    expect(names).toContain(SERVICES_FILE);
    const loaded = await loadManifestFiles([dir]);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.ingresses).toHaveLength(CHURN_FILES);
    for (const ingress of loaded.ingresses) expect((ingress.spec?.rules ?? []).flatMap((rule) => rule.http?.paths ?? [])).toHaveLength(100);
    const { table, diagnostics } = compile({ ingresses: loaded.ingresses });
    expect(diagnostics).toEqual([]);
    expect(table.routes()).toHaveLength(10_000);
    const filesPerHost = new Map<string, Set<string>>();
    for (const ingress of loaded.ingresses) for (const rule of ingress.spec?.rules ?? []) filesPerHost.set(rule.host!, (filesPerHost.get(rule.host!) ?? new Set()).add(ingress.metadata!.name!));
    expect(filesPerHost.size).toBe(100);
    for (const files of filesPerHost.values()) expect(files.size).toBe(5);
  });

  test('the load asks for 1,000 distinct routes on all 100 hosts, each to its file\'s Service, none of them a churned path', async () => {
    const { ingresses } = await loadManifestFiles([dir]);
    const { table } = compile({ ingresses });
    const list = churnRequestList(DEFAULT_SEED);
    expect(list.requests).toHaveLength(1_000);
    expect(list.hosts).toBe(100);
    expect(new Set(list.requests.map((r) => r.host)).size).toBe(100);
    const routes = new Set<string>();
    for (const request of list.requests) {
      const match = table.match(request.host, request.path);
      expect(match, `${request.host}${request.path}`).toBeDefined();
      expect(match!.backendKey).toContain(`churn/${match!.origin.name}:`);
      expect(match!.path).not.toBe(churnedPath(Number(match!.origin.name.slice('team-'.length)), 0));
      routes.add(`${match!.host} ${match!.path} ${match!.pathType}`);
    }
    expect(routes.size).toBe(1_000);
    expect(new Set(list.requests.map((r) => table.match(r.host, r.path)!.pathType))).toEqual(new Set(['Prefix', 'Exact']));
    // The same seed, the same order: the load is repeatable.
    expect(churnRequestList(DEFAULT_SEED).requests).toEqual(list.requests);
  });

  test('a backend resolves to the upstream, as the CLI resolves it', async () => {
    const request = churnRequestList(DEFAULT_SEED).requests[0]!;
    const result = await explain({ files: [dir], host: request.host, path: request.path });
    expect(result.endpoints?.eligible.map((e) => `${e.address}:${e.port}`)).toEqual([`127.0.0.1:${UPSTREAM_PORT}`]);
  });

  test('a change rewrites one file only, renaming its churned path; the next change of that file renames it again', async () => {
    const churned = writeChurnTable(join(scratch(), 'churned'), UPSTREAM_PORT);
    const before = new Map(readdirSync(churned).map((name) => [name, readFileSync(join(churned, name), 'utf8')]));
    const change = churnChange(3);
    writeChurnChange(churned, change);
    const after = new Map(readdirSync(churned).map((name) => [name, readFileSync(join(churned, name), 'utf8')]));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort()); // the temporary file is gone
    expect([...after].filter(([name, text]) => before.get(name) !== text).map(([name]) => name)).toEqual([churnFileName(change.file)]);
    const { table, diagnostics } = compile({ ingresses: (await loadManifestFiles([churned])).ingresses });
    expect(diagnostics).toEqual([]);
    expect(table.routes()).toHaveLength(10_000);
    expect(table.match(change.host, change.path)?.path).toBe(change.path);
    expect(table.match(churnedHost(change.file), churnedPath(change.file, 0))).toBeUndefined();
    // Every request of the load still routes, to the same rule.
    const { table: original } = compile({ ingresses: (await loadManifestFiles([dir])).ingresses });
    for (const request of churnRequestList(DEFAULT_SEED).requests) expect(table.match(request.host, request.path)?.field).toBe(original.match(request.host, request.path)?.field);
  });
});

describe('the churn schedule', () => {
  test('one change per second of the window, each in the middle of its second; at least one', () => {
    expect(churnOffsetsMs(5)).toEqual([500, 1_500, 2_500, 3_500, 4_500]);
    expect(churnOffsetsMs(1)).toEqual([500]);
  });

  test('100 consecutive changes rewrite every file once, each at its next revision', () => {
    const first = Array.from({ length: CHURN_FILES }, (_, n) => churnChange(n));
    expect(new Set(first.map((c) => c.file)).size).toBe(CHURN_FILES);
    expect(first.every((c) => c.revision === 1)).toBe(true);
    expect(churnChange(CHURN_FILES).revision).toBe(2);
    expect(churnChange(CHURN_FILES).file).toBe(first[0]!.file);
    expect(churnChange(1).file).not.toBe(churnChange(0).file);
    const change = churnChange(7);
    expect(change.path).toBe(churnedPath(change.file, 1));
    expect(change.path).not.toBe(churnedPath(change.file, 0));
  });

  test('a round fails when a change was not routed in time, or never', () => {
    expect(churnRoundVerdict({ changes: 5, routedInTime: 5, slowestMs: 300 })).toBeUndefined();
    expect(churnRoundVerdict({ swaps: 100 })).toBeUndefined();
    expect(churnRoundVerdict({ changes: 0, routedInTime: 0, slowestMs: Number.NaN })).toBeUndefined();
    expect(churnRoundVerdict({ changes: 5, routedInTime: 4, slowestMs: 1_200 })).toBe('4 of 5 changes routed within 1000 ms (slowest: 1200 ms)');
    expect(churnRoundVerdict({ changes: 5, routedInTime: 4, slowestMs: Number.NaN })).toBe('4 of 5 changes routed within 1000 ms (slowest: one never routed)');
  });
});

describe('the 1,000-path table as manifest files (switchyard-cli-1k)', () => {
  const spec = { kind: 'generated', paths: 1_000, seed: DEFAULT_SEED } as const;
  const workload = workloadFor(spec);
  const dir = writeManifestDir(join(scratch(), 'cli-1k'), workload.ingresses, UPSTREAM_PORT);

  test('reads back as the same Ingresses, and compiles to the same routes', async () => {
    const loaded = await loadManifestFiles([dir]);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.ingresses).toEqual(workload.ingresses);
    expect(compile({ ingresses: loaded.ingresses }).table.routes()).toHaveLength(compile({ ingresses: workload.ingresses }).table.routes().length);
  });

  test('every backend the load reaches, by port number or name, resolves to the upstream', async () => {
    const list = requestListFor(spec, 2_048);
    const sample = checkSample(list.requests, 12);
    const ports = new Set<string>();
    for (const request of sample) {
      const result = await explain({ files: [dir], host: request.host, path: request.path });
      expect(result.explanation.winner, `${request.host}${request.path}`).toBeDefined();
      ports.add(result.explanation.winner!.backendKey.slice(result.explanation.winner!.backendKey.lastIndexOf(':') + 1));
      expect(result.endpoints?.eligible.map((e) => `${e.address}:${e.port}`)).toEqual([`127.0.0.1:${UPSTREAM_PORT}`]);
    }
    // The sample covers Ingress ports given by number and by name.
    expect([...ports].some((port) => /^\d+$/.test(port))).toBe(true);
    expect([...ports].some((port) => /^[a-z]+$/.test(port))).toBe(true);
  });
});

describe('manifestsYaml', () => {
  test('documents read back as written: quoted strings stay strings, nested lists and maps, empty ones, odd keys', async () => {
    const dir = scratch();
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'odd', namespace: 'n', labels: { 'kubernetes.io/name': 'x', 'a key': 'true', n: '80' }, annotations: {} },
      spec: { rules: [{ host: 'a.test', http: { paths: [{ path: '/a: b', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }], tls: [] },
    };
    const text = manifestsYaml([ingress, { ...ingress, metadata: { ...ingress.metadata, name: 'odd-2' } }]);
    expect(text).toContain('\n---\n');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'odd.yaml'), text);
    const loaded = await loadManifestFiles([dir]);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.ingresses).toEqual([ingress, { ...ingress, metadata: { ...ingress.metadata, name: 'odd-2' } }] as unknown as Ingress[]);
  });
});
